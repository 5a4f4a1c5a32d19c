import { createPiiCipher, generatePiiKeys, nationalIdCheckChar, type QueryCounter, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

// 班子结构分析 on a seeded region, every figure checked against arithmetic done by hand below.
//
// Today, for the service, is 10 March 2026 in Beijing. In 城关镇 (Helingeer county), three villages
// elected their committees on 15 January 2021 (上届, ended 14 January 2026) and again on 15 January
// 2026 (本届); a fourth village has nothing on record. Ages are 周岁: nearly everyone is born on
// 1 July, so their age on 14 January, 20 January and 10 March 2026 alike is 2025 − birth year.
const NOW = new Date('2026-03-10T02:00:00Z');
const OLD_START = '2021-01-15';
const NEW_START = '2026-01-15';

let sut: ServiceUnderTest;
let counter: QueryCounter;

const gql = async <T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  roles: Role[] = ['ORG_ADMIN'],
  region?: string,
) => graphqlPost<T>(sut.url, { query, variables, token: await sut.token(roles, region) });

const COUNTY = '150123000000';
const TOWN = '150123100000'; // 城关镇: the region of the hand-computed report
const V1 = '150123100201';
const V2 = '150123100202';
const V3 = '150123100203';
const V4 = '150123100204'; // no committee on record
const TOWN2 = '150123101000'; // 盛乐镇: makes the county bigger for the statement count
const TOWN2_VILLAGES = ['150123101201', '150123101202', '150123101203', '150123101204', '150123101205'];

const UNITS: [string, string, string][] = [
  ['150000000000', '内蒙古自治区', 'PROVINCE'],
  ['150100000000', '呼和浩特市', 'CITY'],
  [COUNTY, '和林格尔县', 'COUNTY'],
  [TOWN, '城关镇', 'TOWN'],
  [V1, '台基营村', 'VILLAGE'],
  [V2, '南园子村', 'VILLAGE'],
  [V3, '北园子村', 'VILLAGE'],
  [V4, '西园子村', 'VILLAGE'],
  [TOWN2, '盛乐镇', 'TOWN'],
  ...TOWN2_VILLAGES.map((code, i): [string, string, string] => [code, `盛乐${i + 1}村`, 'VILLAGE']),
];
const units: Record<string, string> = {};

type Education = 'PRIMARY' | 'JUNIOR_SECONDARY' | 'SENIOR_SECONDARY' | 'COLLEGE' | 'BACHELOR' | 'MASTER';
type Status = 'PARTY_MEMBER' | 'PROBATIONARY_MEMBER' | 'MASSES';

// The people: unit, birth date, gender, education, political status (whoever sits on a Party committee is a full member).
//   current  (本届, from 2026-01-15)                     previous (上届, 2021-01-15 – 2026-01-14)
//   V1 Party: a1 书记, a2, a3   villagers: a1 主任, a4, a5 妇女委员    V1 Party: a1 书记, p1, p2   villagers: p3 主任, a3, p4 妇女委员
//   V2 Party: b1 书记, b2, b3   villagers: b4 主任, b2, b5, b6 妇女委员 (b6 resigns 2026-02-01)
//                                                                      V2 Party: b2 书记, q1, q2   villagers: b2 主任, q3, q4
//   V3 Party: c1 书记, c2, c3   villagers: c1 主任, c4, c5             V3 Party: r1 书记, c1, r2 (r2 resigns 2023-06-30; r3 from 2023-07-01)
//                                                                      villagers: r4 主任, c5, r5
const PEOPLE: Record<string, [unit: string, birth: string, gender: 'M' | 'F', education: Education, status: Status]> = {
  a1: [V1, '1965-12-01', 'M', 'COLLEGE', 'PARTY_MEMBER'],
  a2: [V1, '1991-03-10', 'F', 'COLLEGE', 'PARTY_MEMBER'], // 35 on 10 March 2026, the day itself
  a3: [V1, '1980-07-01', 'M', 'JUNIOR_SECONDARY', 'PARTY_MEMBER'],
  a4: [V1, '1996-07-01', 'M', 'BACHELOR', 'MASSES'],
  a5: [V1, '1986-07-01', 'F', 'SENIOR_SECONDARY', 'PROBATIONARY_MEMBER'],
  p1: [V1, '1962-07-01', 'M', 'JUNIOR_SECONDARY', 'PARTY_MEMBER'],
  p2: [V1, '1968-07-01', 'M', 'SENIOR_SECONDARY', 'PARTY_MEMBER'],
  p3: [V1, '1964-07-01', 'M', 'JUNIOR_SECONDARY', 'MASSES'],
  p4: [V1, '1970-07-01', 'F', 'SENIOR_SECONDARY', 'MASSES'],
  b1: [V2, '1971-01-20', 'F', 'COLLEGE', 'PARTY_MEMBER'], // 54 when seated on 15 January 2026, 55 from the 20th
  b2: [V2, '1975-07-01', 'M', 'SENIOR_SECONDARY', 'PARTY_MEMBER'],
  b3: [V2, '1978-07-01', 'M', 'SENIOR_SECONDARY', 'PARTY_MEMBER'],
  b4: [V2, '1970-07-01', 'M', 'JUNIOR_SECONDARY', 'MASSES'],
  b5: [V2, '1984-07-01', 'M', 'PRIMARY', 'MASSES'],
  b6: [V2, '1995-07-01', 'F', 'BACHELOR', 'MASSES'],
  q1: [V2, '1958-07-01', 'M', 'PRIMARY', 'PARTY_MEMBER'],
  q2: [V2, '1966-07-01', 'M', 'SENIOR_SECONDARY', 'PARTY_MEMBER'],
  q3: [V2, '1972-07-01', 'M', 'JUNIOR_SECONDARY', 'MASSES'],
  q4: [V2, '1969-07-01', 'M', 'COLLEGE', 'MASSES'],
  c1: [V3, '1980-02-01', 'M', 'MASTER', 'PARTY_MEMBER'], // 45 on 14 January 2026, 46 on 10 March
  c2: [V3, '1990-07-01', 'M', 'BACHELOR', 'PARTY_MEMBER'],
  c3: [V3, '1985-07-01', 'M', 'COLLEGE', 'PARTY_MEMBER'],
  c4: [V3, '1992-07-01', 'M', 'SENIOR_SECONDARY', 'MASSES'],
  c5: [V3, '1960-07-01', 'M', 'PRIMARY', 'MASSES'],
  r1: [V3, '1961-07-01', 'M', 'SENIOR_SECONDARY', 'PARTY_MEMBER'],
  r2: [V3, '1967-07-01', 'M', 'JUNIOR_SECONDARY', 'PARTY_MEMBER'],
  r3: [V3, '1975-07-01', 'F', 'COLLEGE', 'PARTY_MEMBER'],
  r4: [V3, '1963-07-01', 'M', 'PRIMARY', 'MASSES'],
  r5: [V3, '1974-07-01', 'M', 'SENIOR_SECONDARY', 'MASSES'],
};
const ids: Record<string, string> = {};

let serial = 0;
/** Registers a person through the API with an ID number that carries the wanted birth date and gender (GB 11643). */
async function register(
  unit: string,
  name: string,
  birth: string,
  gender: 'M' | 'F',
  education: Education,
  status: Status,
): Promise<string> {
  serial++;
  // The 17th digit is odd for men, even for women.
  const seq = String(serial * 2 + (gender === 'M' ? 1 : 0)).padStart(3, '0');
  const first17 = `${unit.slice(0, 6)}${birth.replaceAll('-', '')}${seq}`;
  const joined =
    status === 'MASSES'
      ? {}
      : { partyJoinedOn: status === 'PROBATIONARY_MEMBER' ? '2025-07-01' : `${Number(birth.slice(0, 4)) + 25}-07-01` };
  const res = await gql<{ registerPerson: { id: string } }>(
    `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
    {
      input: {
        orgUnitId: units[unit],
        name,
        idNumber: `${first17}${nationalIdCheckChar(first17)}`,
        ethnicity: '蒙古族',
        education,
        politicalStatus: status,
        ...joined,
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.registerPerson.id;
}

interface TermView {
  id: string;
  positions: { id: string; person: { id: string } }[];
}
async function startTerm(
  unit: string,
  committeeKind: 'PARTY' | 'VILLAGERS',
  startsOn: string,
  seats: [string, string][],
): Promise<TermView> {
  const res = await gql<{ startTerm: TermView }>(
    `mutation($input: StartTermInput!) { startTerm(input: $input) { id positions { id person { id } } } }`,
    {
      input: {
        orgUnitId: units[unit],
        committeeKind,
        ...(committeeKind === 'PARTY' ? { partyOrgForm: 'BRANCH' } : {}),
        startsOn,
        positions: seats.map(([who, role]) => ({ personId: ids[who] ?? who, role })),
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.startTerm;
}

async function mutate(query: string, input: Record<string, unknown>) {
  const res = await gql(query, { input });
  expect(res.errors).toBeUndefined();
}

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'personnel_structure',
    migrations,
    create: (deps) => createServer({ ...deps, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  ({ counter } = sut);
  for (const [code, name, kind] of UNITS) {
    const res = await gql<{ createOrgUnit: { id: string } }>(
      `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`,
      { input: { code, name, kind } },
    );
    expect(res.errors).toBeUndefined();
    units[code] = res.data!.createOrgUnit.id;
  }
  for (const [key, [unit, birth, gender, education, status]] of Object.entries(PEOPLE)) {
    ids[key] = await register(unit, `成员${key}`, birth, gender, education, status);
  }

  // 上届, with one change during the term: r2 resigned, r3 took a seat the next day.
  await startTerm(V1, 'PARTY', OLD_START, [
    ['a1', 'SECRETARY'],
    ['p1', 'PARTY_MEMBER_SEAT'],
    ['p2', 'PARTY_MEMBER_SEAT'],
  ]);
  await startTerm(V1, 'VILLAGERS', OLD_START, [
    ['p3', 'DIRECTOR'],
    ['a3', 'MEMBER'],
    ['p4', 'WOMEN_MEMBER'],
  ]);
  await startTerm(V2, 'PARTY', OLD_START, [
    ['b2', 'SECRETARY'],
    ['q1', 'PARTY_MEMBER_SEAT'],
    ['q2', 'PARTY_MEMBER_SEAT'],
  ]);
  await startTerm(V2, 'VILLAGERS', OLD_START, [
    ['b2', 'DIRECTOR'],
    ['q3', 'MEMBER'],
    ['q4', 'MEMBER'],
  ]);
  const v3Party = await startTerm(V3, 'PARTY', OLD_START, [
    ['r1', 'SECRETARY'],
    ['c1', 'PARTY_MEMBER_SEAT'],
    ['r2', 'PARTY_MEMBER_SEAT'],
  ]);
  await startTerm(V3, 'VILLAGERS', OLD_START, [
    ['r4', 'DIRECTOR'],
    ['c5', 'MEMBER'],
    ['r5', 'MEMBER'],
  ]);
  const r2Seat = v3Party.positions.find((p) => p.person.id === ids.r2)!.id;
  await mutate(`mutation($input: EndPositionInput!) { endPosition(input: $input) { id } }`, {
    positionId: r2Seat,
    reason: 'RESIGNED',
    endsOn: '2023-06-30',
  });
  await mutate(`mutation($input: AssignPositionInput!) { assignPosition(input: $input) { id } }`, {
    termId: v3Party.id,
    personId: ids.r3,
    role: 'PARTY_MEMBER_SEAT',
    startsOn: '2023-07-01',
  });

  // 本届: each new term ends the old one on 2026-01-14.
  await startTerm(V1, 'PARTY', NEW_START, [
    ['a1', 'SECRETARY'],
    ['a2', 'PARTY_MEMBER_SEAT'],
    ['a3', 'PARTY_MEMBER_SEAT'],
  ]);
  await startTerm(V1, 'VILLAGERS', NEW_START, [
    ['a1', 'DIRECTOR'],
    ['a4', 'MEMBER'],
    ['a5', 'WOMEN_MEMBER'],
  ]);
  await startTerm(V2, 'PARTY', NEW_START, [
    ['b1', 'SECRETARY'],
    ['b2', 'PARTY_MEMBER_SEAT'],
    ['b3', 'PARTY_MEMBER_SEAT'],
  ]);
  const v2Villagers = await startTerm(V2, 'VILLAGERS', NEW_START, [
    ['b4', 'DIRECTOR'],
    ['b2', 'MEMBER'],
    ['b5', 'MEMBER'],
    ['b6', 'WOMEN_MEMBER'],
  ]);
  await startTerm(V3, 'PARTY', NEW_START, [
    ['c1', 'SECRETARY'],
    ['c2', 'PARTY_MEMBER_SEAT'],
    ['c3', 'PARTY_MEMBER_SEAT'],
  ]);
  await startTerm(V3, 'VILLAGERS', NEW_START, [
    ['c1', 'DIRECTOR'],
    ['c4', 'MEMBER'],
    ['c5', 'MEMBER'],
  ]);
  const b6Seat = v2Villagers.positions.find((p) => p.person.id === ids.b6)!.id;
  await mutate(`mutation($input: EndPositionInput!) { endPosition(input: $input) { id } }`, {
    positionId: b6Seat,
    reason: 'RESIGNED',
    endsOn: '2026-02-01',
  });
}, 120_000);

afterAll(async () => {
  await sut?.stop();
});

const SIDE = `committeeCount unitCount memberCount averageAge
  aged35OrUnder { count percent } aged40OrUnder { count percent } collegeOrAbove { count percent } women { count percent }
  partyMembers { count percent } oneShoulder { unitsWithBothPosts oneShoulderUnits percent }`;
const REPORT = `query($code: String!, $asOf: String, $n: Int) {
  structureReport(regionCode: $code, asOf: $asOf, unitsPerList: $n) {
    region { code name } regionCode asOf unitCount
    current { ${SIDE} }
    previous { ${SIDE} }
    change { memberCount averageAgeYears aged35OrUnderPoints aged40OrUnderPoints collegeOrAbovePoints womenPoints partyMembersPoints oneShoulderPoints }
    twoUpOneDown { educationUp womenUp ageDown ageDownByTarget achieved }
    compliance {
      assessedUnitCount
      withoutWoman { minimum count units { code name } }
      withoutMemberAged35OrUnder { minimum count units { code name } }
      fewerThanTwoCollege { minimum count units { code name } }
      secretariesOverAgeRule { count secretaries { orgUnit { code } person { name } gender seatedOn ageWhenSeated ageLimit } }
    }
  }
}`;

interface Report {
  region: { code: string; name: string } | null;
  regionCode: string;
  asOf: string;
  unitCount: number;
  current: Record<string, unknown>;
  previous: Record<string, unknown>;
  change: Record<string, unknown>;
  twoUpOneDown: Record<string, unknown>;
  compliance: {
    assessedUnitCount: number;
    withoutWoman: { minimum: number; count: number; units: { code: string; name: string }[] };
    withoutMemberAged35OrUnder: { minimum: number; count: number; units: { code: string; name: string }[] };
    fewerThanTwoCollege: { minimum: number; count: number; units: { code: string; name: string }[] };
    secretariesOverAgeRule: { count: number; secretaries: Record<string, unknown>[] };
  };
}

async function report(code: string, options: { asOf?: string; n?: number; roles?: Role[]; region?: string } = {}) {
  return gql<{ structureReport: Report }>(REPORT, { code, asOf: options.asOf, n: options.n }, options.roles, options.region);
}
async function mustReport(code: string, options: Parameters<typeof report>[1] = {}): Promise<Report> {
  const res = await report(code, options);
  expect(res.errors).toBeUndefined();
  return res.data!.structureReport;
}

describe('the structure report of 城关镇 on 10 March 2026 (today)', () => {
  let r: Report;
  beforeAll(async () => {
    r = await mustReport(TOWN);
  });

  it('counts the current term: members in office today, ages today', () => {
    // Members: V1 a1 a2 a3 a4 a5, V2 b1 b2 b3 b4 b5 (b6 left on 1 February), V3 c1 c2 c3 c4 c5 = 15 distinct
    // people (a1, b2 and c1 sit on both committees and count once); six committees in three villages.
    // Ages on 2026-03-10: a1 60 (born 1 December), a2 35 (born 10 March: the birthday is today), a3 45,
    // a4 29, a5 39 → 208; b1 55, b2 50, b3 47, b4 55, b5 41 → 248; c1 46 (born 1 February), c2 35, c3 40,
    // c4 33, c5 65 → 219. Sum 208 + 248 + 219 = 675; 675 / 15 = 45.0.
    // 35 or under: a2 (35), a4, c2 (35), c4 = 4 → 4/15 = 26.67 % → 26.7.
    // 40 or under: those 4 + a5 (39), c3 (40) = 6 → 6/15 = 40.0 %.
    // College or above: a1 大专, a2 大专, a4 本科, b1 大专, c1 硕士, c2 本科, c3 大专 = 7 → 7/15 = 46.67 % → 46.7.
    // Women: a2, a5, b1 = 3 → 20.0 %.
    // Party members: a1 a2 a3 b1 b2 b3 c1 c2 c3 (full) + a5 (probationary) = 10 → 66.67 % → 66.7.
    // 一肩挑: all three villages have a secretary and a director; a1 and c1 hold both, V2's are b1 and b4 → 2/3 → 66.7 %.
    expect(r.current).toEqual({
      committeeCount: 6,
      unitCount: 3,
      memberCount: 15,
      averageAge: 45,
      aged35OrUnder: { count: 4, percent: 26.7 },
      aged40OrUnder: { count: 6, percent: 40 },
      collegeOrAbove: { count: 7, percent: 46.7 },
      women: { count: 3, percent: 20 },
      partyMembers: { count: 10, percent: 66.7 },
      oneShoulder: { unitsWithBothPosts: 3, oneShoulderUnits: 2, percent: 66.7 },
    });
    expect(r).toMatchObject({ region: { code: TOWN, name: '城关镇' }, regionCode: TOWN, asOf: '2026-03-10', unitCount: 4 });
  });

  it('counts the previous term: members in office on its last day (2026-01-14), ages that day', () => {
    // Members on 2026-01-14: V1 a1 p1 p2 p3 a3 p4 = 6; V2 b2 q1 q2 q3 q4 = 5 (b2 on both); V3 r1 c1 r3 r4 c5 r5
    // = 6 (r2 left in 2023) → 17.
    // Ages: V1 60 + 63 + 57 + 61 + 45 + 55 = 341; V2 50 + 67 + 59 + 53 + 56 = 285; V3 64 + 45 (c1, before his
    // February birthday) + 50 + 62 + 65 + 51 = 337. Sum 963; 963 / 17 = 56.647 → 56.6.
    // 35 or under, 40 or under: nobody → 0.0 %.
    // College or above: a1, q4 大专, c1 硕士, r3 大专 = 4 → 4/17 = 23.53 % → 23.5.
    // Women: p4, r3 = 2 → 2/17 = 11.76 % → 11.8.
    // Party members: a1 p1 p2 a3, b2 q1 q2, r1 c1 r3 = 10 → 10/17 = 58.82 % → 58.8.
    // 一肩挑: three villages with both posts; only b2 held both → 1/3 → 33.3 %.
    expect(r.previous).toEqual({
      committeeCount: 6,
      unitCount: 3,
      memberCount: 17,
      averageAge: 56.6,
      aged35OrUnder: { count: 0, percent: 0 },
      aged40OrUnder: { count: 0, percent: 0 },
      collegeOrAbove: { count: 4, percent: 23.5 },
      women: { count: 2, percent: 11.8 },
      partyMembers: { count: 10, percent: 58.8 },
      oneShoulder: { unitsWithBothPosts: 3, oneShoulderUnits: 1, percent: 33.3 },
    });
  });

  it('gives the change in percentage points (years for age), from the exact fractions', () => {
    // Members 15 − 17 = −2.
    // Age: 675/15 − 963/17 = (675·17 − 963·15)/255 = (11475 − 14445)/255 = −2970/255 = −11.647 → −11.6.
    // 35 or under: 4/15 − 0 = 26.67 → 26.7.  40 or under: 6/15 − 0 = 40.0.
    // College: 7/15 − 4/17 = (119 − 60)/255 = 59/255 = 23.14 → 23.1 (the rounded shares would say 46.7 − 23.5 = 23.2).
    // Women: 3/15 − 2/17 = (51 − 30)/255 = 21/255 = 8.24 → 8.2.
    // Party: 10/15 − 10/17 = (170 − 150)/255 = 20/255 = 7.84 → 7.8 (not 66.7 − 58.8 = 7.9).
    // 一肩挑: 2/3 − 1/3 = 33.33 → 33.3.
    expect(r.change).toEqual({
      memberCount: -2,
      averageAgeYears: -11.6,
      aged35OrUnderPoints: 26.7,
      aged40OrUnderPoints: 40,
      collegeOrAbovePoints: 23.1,
      womenPoints: 8.2,
      partyMembersPoints: 7.8,
      oneShoulderPoints: 33.3,
    });
    // Education up, women up, age down by more than 3 years: 两升一降.
    expect(r.twoUpOneDown).toEqual({ educationUp: true, womenUp: true, ageDown: true, ageDownByTarget: true, achieved: true });
  });

  it('lists the units that miss each target, and the secretary over the age rule', () => {
    // V4 has no members, so three villages are assessed.
    // Woman: V1 has a2, a5; V2 has b1; V3's ten seats are all men's → V3.
    // 35 or under: V1 has a2 (35) and a4; V3 has c2 (35) and c4; V2's youngest is b5, 41 → V2.
    // College: V1 a1 a2 a4 = 3; V3 c1 c2 c3 = 3; V2 only b1 = 1 → V2.
    // Secretaries when seated on 2026-01-15: a1, a man of 60 (born 1965-12-01) → flagged; b1, a woman of 54
    // (55 only from 20 January) → not; c1, 45 → not.
    expect(r.compliance).toEqual({
      assessedUnitCount: 3,
      withoutWoman: { minimum: 1, count: 1, units: [{ code: V3, name: '北园子村' }] },
      withoutMemberAged35OrUnder: { minimum: 1, count: 1, units: [{ code: V2, name: '南园子村' }] },
      fewerThanTwoCollege: { minimum: 2, count: 1, units: [{ code: V2, name: '南园子村' }] },
      secretariesOverAgeRule: {
        count: 1,
        secretaries: [
          { orgUnit: { code: V1 }, person: { name: '成员a1' }, gender: 'MALE', seatedOn: NEW_START, ageWhenSeated: 60, ageLimit: 60 },
        ],
      },
    });
  });
});

describe('the structure report on another date', () => {
  it('counts those in office on asOf with their ages that day (20 January 2026: b6 still in office)', async () => {
    const r = await mustReport(TOWN, { asOf: '2026-01-20' });
    // Members: the 15 above and b6 = 16.
    // Ages on 2026-01-20: a2 34 (not yet 35), b1 55 (her birthday), c1 45, b6 30; the others as on 10 March.
    // Sum: 675 − 1 (a2) − 0 (b1) − 1 (c1) + 30 (b6) = 703; 703 / 16 = 43.9375 → 43.9.
    // 35 or under: a2 (34), a4, b6, c2, c4 = 5 → 5/16 = 31.25 % → 31.3 (half away from zero).
    // 40 or under: + a5, c3 = 7 → 43.75 % → 43.8.  College: 7 + b6 = 8 → 50.0 %.  Women: + b6 = 4 → 25.0 %.
    // Party: 10/16 = 62.5 %.
    expect(r.current).toMatchObject({
      memberCount: 16,
      averageAge: 43.9,
      aged35OrUnder: { count: 5, percent: 31.3 },
      aged40OrUnder: { count: 7, percent: 43.8 },
      collegeOrAbove: { count: 8, percent: 50 },
      women: { count: 4, percent: 25 },
      partyMembers: { count: 10, percent: 62.5 },
    });
    // The previous term is the same one, on the same day.
    expect(r.previous).toMatchObject({ memberCount: 17, averageAge: 56.6 });
    // Age: 703/16 − 963/17 = (11951 − 15408)/272 = −3457/272 = −12.709 → −12.7.
    // College: 8/16 − 4/17 = (136 − 64)/272 = 72/272 = 26.47 → 26.5.
    expect(r.change).toMatchObject({ memberCount: -1, averageAgeYears: -12.7, collegeOrAbovePoints: 26.5 });
    // With b6, V2 has a member of 35 or under and two with college education (b1, b6); V3 still has no woman.
    expect(r.compliance.withoutWoman.units.map((u) => u.code)).toEqual([V3]);
    expect(r.compliance.withoutMemberAged35OrUnder).toEqual({ minimum: 1, count: 0, units: [] });
    expect(r.compliance.fewerThanTwoCollege).toEqual({ minimum: 2, count: 0, units: [] });
    // The age rule looks at the day of seating, whatever the date of the report.
    expect(r.compliance.secretariesOverAgeRule.count).toBe(1);
  });

  it('has no previous term to compare with before the second term began (1 June 2025)', async () => {
    const r = await mustReport(TOWN, { asOf: '2025-06-01' });
    // The 2021 terms run: V1 a1 p1 p2 p3 a3 p4, V2 b2 q1 q2 q3 q4, V3 r1 c1 r3 r4 c5 r5 = 17.
    // Ages on 2025-06-01: V1 59 + 62 + 56 + 60 + 44 + 54 = 335; V2 49 + 66 + 58 + 52 + 55 = 280;
    // V3 63 + 45 (c1, after his February birthday) + 49 + 61 + 64 + 50 = 332. 947 / 17 = 55.706 → 55.7.
    expect(r.current).toMatchObject({ memberCount: 17, averageAge: 55.7, women: { count: 2, percent: 11.8 } });
    expect(r.previous).toMatchObject({ committeeCount: 0, memberCount: 0, averageAge: null, women: { count: 0, percent: null } });
    expect(r.change).toMatchObject({ memberCount: 17, averageAgeYears: null, womenPoints: null });
    expect(r.twoUpOneDown).toEqual({ educationUp: null, womenUp: null, ageDown: null, ageDownByTarget: null, achieved: null });
    // 2021's secretaries when seated: a1 55 (a man), b2 45, r1 59 → none over the rule.
    expect(r.compliance.secretariesOverAgeRule).toEqual({ count: 0, secretaries: [] });
  });
});

describe('who may read it', () => {
  it('answers the roles that oversee the 换届, within their scope', async () => {
    for (const roles of [['CIVIL_AFFAIRS'], ['DISCIPLINE'], ['AUDITOR']] as Role[][]) {
      expect((await mustReport(TOWN, { roles })).current).toMatchObject({ memberCount: 15 });
    }
    expect((await mustReport(TOWN, { roles: ['TOWN_OFFICER'], region: TOWN })).current).toMatchObject({ memberCount: 15 });
    expect((await mustReport(V1, { roles: ['TOWN_OFFICER'], region: TOWN })).current).toMatchObject({ memberCount: 5 });
    // Nationwide: no unit names the region; the nine villages on record (盛乐镇's five have no committees yet).
    expect(await mustReport('000000000000')).toMatchObject({ region: null, unitCount: 9, current: { memberCount: 15 } });
  });

  it.each([
    ['a 联审 department', ['REVIEWER'], '000000000000', TOWN, 'AUTH.ROLE'],
    ['training staff', ['TRAINER'], '000000000000', TOWN, 'AUTH.ROLE'],
    ['a township officer asking for the county above', ['TOWN_OFFICER'], TOWN, COUNTY, 'AUTH.REGION_SCOPE'],
    ['a township officer asking for another town', ['TOWN_OFFICER'], TOWN2, TOWN, 'AUTH.REGION_SCOPE'],
    ['the organisation department of another province', ['ORG_ADMIN'], '510000000000', TOWN, 'AUTH.REGION_SCOPE'],
  ] as [string, Role[], string, string, string][])('refuses %s', async (_who, roles, scope, code, rule) => {
    const res = await report(code, { roles, region: scope });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0]!.extensions!.rule).toBe(rule);
  });

  it.each([
    ['a malformed region code', '1501231', {}, 'BAD_USER_INPUT', 'REGION.CODE_FORMAT'],
    ['a region code no unit has', '150123109000', {}, 'NOT_FOUND', 'STRUCTURE_REPORT.REGION_EXISTS'],
    ['a date that does not exist', TOWN, { asOf: '2026-02-30' }, 'BAD_USER_INPUT', 'STRUCTURE_REPORT.AS_OF'],
    ['a list longer than 100', TOWN, { n: 101 }, 'BAD_USER_INPUT', 'STRUCTURE_REPORT.UNITS_PER_LIST'],
  ] as [string, string, { asOf?: string; n?: number }, string, string][])('refuses %s', async (_what, code, options, errorCode, rule) => {
    const res = await report(code, options);
    expect(errorCodes(res)).toEqual([errorCode]);
    expect(res.errors![0]!.extensions!.rule).toBe(rule);
  });
});

describe('the cost', () => {
  // The outbox relay polls on the same data source; count only the request's statements.
  const requestStatements = () => counter.queries.filter((q) => !/outbox|pg_try_advisory|inbox/.test(q));

  beforeAll(async () => {
    // 盛乐镇: five more villages, each a villagers' committee of three men and no woman; the first also a
    // Party committee whose secretary took the seat at 62. The county holds both towns.
    for (const [i, code] of TOWN2_VILLAGES.entries()) {
      const men: string[] = [];
      for (let k = 0; k < 3; k++) men.push(await register(code, `盛乐${i + 1}-${k}`, `197${k}-07-01`, 'M', 'SENIOR_SECONDARY', 'MASSES'));
      await startTerm(code, 'VILLAGERS', NEW_START, [
        [men[0]!, 'DIRECTOR'],
        [men[1]!, 'MEMBER'],
        [men[2]!, 'MEMBER'],
      ]);
    }
    const party: string[] = [];
    for (let k = 0; k < 3; k++)
      party.push(await register(TOWN2_VILLAGES[0]!, `盛乐党员${k}`, `196${3 + k}-07-01`, 'M', 'SENIOR_SECONDARY', 'PARTY_MEMBER'));
    await startTerm(TOWN2_VILLAGES[0]!, 'PARTY', NEW_START, [
      [party[0]!, 'SECRETARY'],
      [party[1]!, 'PARTY_MEMBER_SEAT'],
      [party[2]!, 'PARTY_MEMBER_SEAT'],
    ]);
  }, 60_000);

  it('is one statement for the report, and one for the flagged secretaries’ names, whatever the size of the region', async () => {
    counter.reset();
    const town = await mustReport(TOWN);
    const forTown = requestStatements();

    counter.reset();
    const county = await mustReport(COUNTY, { n: 2 });
    const forCounty = requestStatements();

    // The county: 4 + 5 villages; 15 + 18 members; six villages without a woman (V3 and 盛乐 1–5), the
    // first two by code listed; two secretaries over the rule (a1, and 盛乐1村's, 62 when seated).
    expect(town.current).toMatchObject({ memberCount: 15 });
    expect(county).toMatchObject({ unitCount: 9, current: { memberCount: 33, committeeCount: 12, unitCount: 8 } });
    expect(county.compliance.withoutWoman).toMatchObject({ count: 6, units: [{ code: V3 }, { code: TOWN2_VILLAGES[0] }] });
    expect(county.compliance.secretariesOverAgeRule).toMatchObject({ count: 2 });
    expect(county.compliance.secretariesOverAgeRule.secretaries.map((s) => s.ageWhenSeated)).toEqual([60, 62]);

    expect(forCounty.length).toBe(forTown.length);
    expect(forTown.length).toBe(2);
  });
});
