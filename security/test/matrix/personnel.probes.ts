import { idNumber } from '../world';
import { auditLogProbe, CITY, OWN, OWN_TOWN, OWN_VILLAGE, type BaseWorld, type MatrixKit, type ServiceProbes } from './kit';

interface Fixtures {
  committeeId: string;
  termId: string;
  positionId: string;
}

const START_TERM = `mutation($input: StartTermInput!) { startTerm(input: $input) { id committee { id } positions { id } } }`;
const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`;

/** A village code under the own district's town that no other probe has used. */
const freshVillageCode = (kit: MatrixKit) => `${OWN_TOWN.slice(0, 9)}${String(100 + kit.next()).padStart(3, '0')}`;

async function freshVillage(kit: MatrixKit): Promise<string> {
  const n = kit.next();
  const id = (await kit.seed<{ createOrgUnit: { id: string } }>(CREATE_UNIT, { input: { code: freshVillageCode(kit), name: `新建村${n}`, kind: 'VILLAGE' } })).createOrgUnit.id;
  kit.ledger.track('own', id);
  return id;
}

async function freshPerson(kit: MatrixKit, orgUnitId: string): Promise<string> {
  const n = kit.next();
  const input = { orgUnitId, name: `新人${n}`, idNumber: idNumber(`51010719900101${String(n % 1000).padStart(3, '0')}`), ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' };
  const id = (await kit.seed<{ registerPerson: { id: string } }>(REGISTER, { input })).registerPerson.id;
  kit.ledger.track('own', id);
  return id;
}

/** A new village with a three-seat term (the smallest villagers' committee the law allows). */
async function freshTerm(kit: MatrixKit): Promise<{ termId: string; positionId: string; unitId: string }> {
  const unitId = await freshVillage(kit);
  const positions = [];
  for (const role of ['DIRECTOR', 'MEMBER', 'MEMBER']) positions.push({ personId: await freshPerson(kit, unitId), role });
  const { startTerm } = await kit.seed<{ startTerm: { id: string; committee: { id: string }; positions: { id: string }[] } }>(START_TERM, {
    input: { orgUnitId: unitId, committeeKind: 'VILLAGERS', startsOn: '2026-01-15', positions },
  });
  kit.ledger.track('own', startTerm.id, startTerm.committee.id, ...startTerm.positions.map((p) => p.id));
  return { termId: startTerm.id, positionId: startTerm.positions[0]!.id, unitId };
}

async function setup(kit: MatrixKit, world: BaseWorld): Promise<Fixtures> {
  const seat = (personId: string, role: string) => ({ personId, role });
  const own = await kit.seed<{ startTerm: { id: string; committee: { id: string }; positions: { id: string }[] } }>(START_TERM, {
    input: { orgUnitId: world.village, committeeKind: 'VILLAGERS', startsOn: '2021-01-15', positions: [seat(world.people[0]!, 'DIRECTOR'), seat(world.people[1]!, 'MEMBER'), seat(world.people[2]!, 'MEMBER')] },
  });
  kit.ledger.track('own', own.startTerm.id, own.startTerm.committee.id, ...own.startTerm.positions.map((p) => p.id));
  // A decoy in the sibling district: its term, committee and positions must never reach the own district's callers.
  const decoys = [world.siblingPerson];
  for (const [i, name] of ['孙九', '周十'].entries()) {
    const input = { orgUnitId: world.siblingVillage, name, idNumber: idNumber(`5101041976040100${i}`), ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' };
    const id = (await kit.seed<{ registerPerson: { id: string } }>(REGISTER, { input })).registerPerson.id;
    kit.ledger.track('sibling', id);
    decoys.push(id);
  }
  const sibling = await kit.seed<{ startTerm: { id: string; committee: { id: string }; positions: { id: string }[] } }>(START_TERM, {
    input: { orgUnitId: world.siblingVillage, committeeKind: 'VILLAGERS', startsOn: '2021-01-15', positions: [seat(decoys[0]!, 'DIRECTOR'), seat(decoys[1]!, 'MEMBER'), seat(decoys[2]!, 'MEMBER')] },
  });
  kit.ledger.track('sibling', sibling.startTerm.id, sibling.startTerm.committee.id, ...sibling.startTerm.positions.map((p) => p.id));
  return { committeeId: own.startTerm.committee.id, termId: own.startTerm.id, positionId: own.startTerm.positions[0]!.id };
}

const UNIT_FIELDS = `id name code parent { id } children { edges { node { id } } } people { edges { node { id name } } } committees { id currentTerm { id positions { id person { id name } } } } elections { id } electionCycles { id }`;

export const personnelProbes: ServiceProbes<Fixtures> = {
  setup,
  probes: {
    orgUnit: async ({ world }) => ({ query: `query($id: ID!) { orgUnit(id: $id) { ${UNIT_FIELDS} } }`, variables: { id: world.village }, expectIds: [world.village, world.people[0]!] }),
    orgUnitByCode: async ({ world }) => ({ query: `query($code: String!) { orgUnitByCode(code: $code) { ${UNIT_FIELDS} } }`, variables: { code: OWN_VILLAGE }, expectIds: [world.village] }),
    // The top of the caller's scope: the district for its own officers, the city for the city's.
    rootOrgUnits: async ({ world, cell }) => ({
      query: `{ rootOrgUnits { id code children { edges { node { id children { edges { node { id } } } } } } } }`,
      expectIds: [cell.scope === 'parent' ? world.units[CITY]! : world.units[OWN]!],
    }),
    person: async ({ world }) => ({
      query: `query($id: ID!) { person(id: $id) { id name idNumberMasked orgUnit { id name } positions { id term { id } } } }`,
      variables: { id: world.people[0] },
      expectIds: [world.people[0]!],
    }),
    searchOrgUnits: async ({ world }) => ({ query: `{ searchOrgUnits(name: "村") { edges { node { id name parent { id } } } } }`, expectIds: [world.village2] }),
    personIdentity: async ({ world }) => ({ query: `query($id: ID!) { personIdentity(id: $id) { person { id } idNumber } }`, variables: { id: world.people[0] }, expectIds: [world.people[0]!, world.idNumbers[0]!] }),
    ethnicities: async () => ({ query: `{ ethnicities }`, expectIds: ['汉族'] }),
    committee: async ({ fixtures }) => ({
      query: `query($id: ID!) { committee(id: $id) { id orgUnit { id } currentTerm { id positions { id person { id } } } terms { edges { node { id } } } } }`,
      variables: { id: fixtures.committeeId },
      expectIds: [fixtures.committeeId, fixtures.termId],
    }),
    term: async ({ fixtures }) => ({
      query: `query($id: ID!) { term(id: $id) { id committee { id orgUnit { id } } positions { id person { id name } } } }`,
      variables: { id: fixtures.termId },
      expectIds: [fixtures.termId, fixtures.positionId],
    }),
    oneShoulderRate: async () => ({ query: `{ oneShoulderRate(regionCode: "${OWN}") { regionCode unitCount secretaryCount oneShoulderCount rate } }`, expectIds: [OWN], outOfScope: 'refuse' }),
    structureReport: async ({ world }) => ({ query: `{ structureReport(regionCode: "${OWN}") { region { id } unitCount } }`, expectIds: [world.units[OWN]!], outOfScope: 'refuse' }),
    personnelAuditLog: async ({ world }) => auditLogProbe('personnelAuditLog', { entityType: 'Person' }, world.people[0]!),
    createOrgUnit: async ({ kit }) => {
      const code = freshVillageCode(kit);
      return { query: `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id code } }`, variables: { input: { code, name: `新村${code.slice(-3)}`, kind: 'VILLAGE' } }, expectIds: [code] };
    },
    registerPerson: async ({ kit, world }) => {
      const n = kit.next();
      const name = `登记${n}`;
      const input = { orgUnitId: world.village2, name, idNumber: idNumber(`51010719850202${String(n % 1000).padStart(3, '0')}`), ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'MASSES' };
      return { query: `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id name orgUnit { id } } }`, variables: { input }, expectIds: [name, world.village2] };
    },
    updatePerson: async ({ kit, cell, world }) => {
      // A fresh person for each allowed call: an update that changes nothing is refused as such.
      const id = cell.allowed ? await freshPerson(kit, world.village2) : world.people[3]!;
      return { query: `mutation($id: ID!) { updatePerson(id: $id, input: { education: BACHELOR }) { id education } }`, variables: { id }, expectIds: [id] };
    },
    startTerm: async ({ kit, cell, world }) => {
      const unitId = cell.allowed ? await freshVillage(kit) : world.village2;
      const positions = [];
      for (const role of ['DIRECTOR', 'MEMBER', 'MEMBER']) positions.push({ personId: cell.allowed ? await freshPerson(kit, unitId) : world.people[3]!, role });
      return {
        query: `mutation($input: StartTermInput!) { startTerm(input: $input) { id committee { id orgUnit { id } } } }`,
        variables: { input: { orgUnitId: unitId, committeeKind: 'VILLAGERS', startsOn: '2026-01-15', positions } },
        expectIds: [unitId],
      };
    },
    assignPosition: async ({ kit, cell, world, fixtures }) => {
      const term = cell.allowed ? await freshTerm(kit) : { termId: fixtures.termId, unitId: world.village };
      const personId = cell.allowed ? await freshPerson(kit, term.unitId) : world.people[3]!;
      return {
        query: `mutation($input: AssignPositionInput!) { assignPosition(input: $input) { id role person { id } term { id } } }`,
        variables: { input: { termId: term.termId, personId, role: 'MEMBER' } },
        expectIds: [term.termId, personId],
      };
    },
    endPosition: async ({ kit, cell, fixtures }) => {
      const positionId = cell.allowed ? (await freshTerm(kit)).positionId : fixtures.positionId;
      return { query: `mutation($id: ID!) { endPosition(input: { positionId: $id, reason: RESIGNED }) { id active endReason } }`, variables: { id: positionId }, expectIds: [positionId] };
    },
  },
};

