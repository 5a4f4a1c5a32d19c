import { idNumber } from '../world';
import { CITY, OWN, OWN_TOWN, OWN_VILLAGE, SIBLING, SIBLING_TOWN, SIBLING_VILLAGE, type BaseWorld, type MatrixKit } from './kit';

const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
const CREATE_CYCLE = `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`;

/** The org tree of both districts, people in each, and an election cycle per district. */
export async function seedBaseWorld(kit: MatrixKit): Promise<BaseWorld> {
  const units: Record<string, string> = {};
  const tree = [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
    { code: CITY, name: '成都市', kind: 'CITY' },
    { code: OWN, name: '武侯区', kind: 'DISTRICT' },
    { code: OWN_TOWN, name: '簇桥街道', kind: 'SUBDISTRICT' },
    { code: OWN_VILLAGE, name: '七里社区', kind: 'VILLAGE' },
    { code: '510107018004', name: '八里村', kind: 'VILLAGE' },
    { code: SIBLING, name: '锦江区', kind: 'DISTRICT' },
    { code: SIBLING_TOWN, name: '三圣街道', kind: 'SUBDISTRICT' },
    { code: SIBLING_VILLAGE, name: '红砂村', kind: 'VILLAGE' },
  ];
  for (const input of tree) {
    const d = await kit.seed<{ createOrgUnit: { id: string } }>(CREATE_UNIT, { input });
    units[input.code] = d.createOrgUnit.id;
    if (input.code.startsWith('510107')) kit.ledger.track('own', d.createOrgUnit.id);
    if (input.code.startsWith('510104')) kit.ledger.track('sibling', d.createOrgUnit.id);
  }
  const people: string[] = [];
  const idNumbers: string[] = [];
  for (const [i, name] of ['王五', '陈六', '刘芳', '张七'].entries()) {
    const idn = idNumber(`5101071980061500${i}`);
    const d = await kit.seed<{ registerPerson: { id: string } }>(REGISTER, {
      input: { orgUnitId: units[OWN_VILLAGE], name, idNumber: idn, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: i < 2 ? 'PARTY_MEMBER' : 'MASSES', ...(i < 2 ? { partyJoinedOn: '2005-07-01' } : {}) },
    });
    people.push(d.registerPerson.id);
    idNumbers.push(idn);
    kit.ledger.track('own', d.registerPerson.id);
  }
  const sibling = await kit.seed<{ registerPerson: { id: string } }>(REGISTER, {
    input: { orgUnitId: units[SIBLING_VILLAGE], name: '赵八', idNumber: idNumber('51010419750301001'), ethnicity: '汉族', education: 'SENIOR_SECONDARY', politicalStatus: 'MASSES' },
  });
  kit.ledger.track('sibling', sibling.registerPerson.id);
  const cycle = async (regionCode: string, name: string) =>
    (await kit.seed<{ createElectionCycle: { id: string } }>(CREATE_CYCLE, { input: { name, regionCode, termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' } })).createElectionCycle.id;
  const cycleId = await cycle(OWN, '2026年武侯区村(社区)两委换届');
  const siblingCycleId = await cycle(SIBLING, '2026年锦江区村(社区)两委换届');
  kit.ledger.track('own', cycleId);
  kit.ledger.track('sibling', siblingCycleId);
  return {
    units,
    village: units[OWN_VILLAGE]!,
    village2: units['510107018004']!,
    people,
    idNumbers,
    siblingVillage: units[SIBLING_VILLAGE]!,
    siblingPerson: sibling.registerPerson.id,
    cycleId,
    siblingCycleId,
  };
}
