import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { createPiiCipher, generatePiiKeys, nationalIdCheckChar, type QueryCounter, type Role } from '@huanjie/platform';
import { ElectionResultCertified, ElectionVoided, envelopeOf, type EventEnvelope } from '@huanjie/events';
import { errorCodes, graphqlPost, startServiceUnderTest, testKafkaBrokers, waitFor, type GraphQLResponse, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

// Today, for the service, is 10 March 2026 in Beijing: the first terms of the 2026 cycle began on
// 15 January; the ones they replaced began on 15 January 2021.
const NOW = new Date('2026-03-10T02:00:00Z');
const OLD_START = '2021-01-15';
const NEW_START = '2026-01-15';

let sut: ServiceUnderTest;
let dataSource: DataSource;
let counter: QueryCounter;

const gql = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, roles: Role[] = ['ORG_ADMIN'], region?: string) =>
  graphqlPost<T>(sut.url, { query, variables, token: await sut.token(roles, region) });

const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const WRITTEN = ['committee', 'committee_term', 'committee_position', 'outbox', 'audit_log'];
const snapshot = () => Promise.all(WRITTEN.map(count));

const units: Record<string, string> = {};
const UNITS = [
  ['510000000000', '四川省', 'PROVINCE'],
  ['510100000000', '成都市', 'CITY'],
  ['510107000000', '武侯区', 'DISTRICT'],
  ['510107018000', '簇桥街道', 'SUBDISTRICT'],
  ['510107018003', '七里社区', 'COMMUNITY'],
  ['510184000000', '崇州市', 'COUNTY'],
  ['510184101000', '三江镇', 'TOWN'],
  ['510184101201', '青桥村', 'VILLAGE'],
  ['510184101202', '白果村', 'VILLAGE'],
  ['510184101203', '金鸡村', 'VILLAGE'],
  ['510184102000', '道明镇', 'TOWN'],
  ['510184102201', '竹艺村', 'VILLAGE'],
  ['510184102202', '斜阳村', 'VILLAGE'],
  ['510184102203', '龙泉社区', 'COMMUNITY'],
  ['510184103000', '怀远镇', 'TOWN'],
  ['510184103201', '南街村', 'VILLAGE'],
] as const;

let serial = 0;
/** Registers a person through the API; the ID number is made up, valid, and unique to this file. */
async function person(unitCode: string, name: string, options: { female?: boolean; party?: boolean } = {}): Promise<string> {
  serial++;
  // The 17th digit is odd for men, even for women (GB 11643).
  const seq = String(serial * 2 + (options.female ? 0 : 1)).padStart(3, '0');
  const first17 = `${unitCode.slice(0, 6)}19${70 + (serial % 20)}0615${seq}`;
  const res = await gql<{ registerPerson: { id: string } }>(
    `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
    {
      input: {
        orgUnitId: units[unitCode],
        name,
        idNumber: `${first17}${nationalIdCheckChar(first17)}`,
        ethnicity: '汉族',
        education: 'COLLEGE',
        politicalStatus: options.party ? 'PARTY_MEMBER' : 'MASSES',
        ...(options.party ? { partyJoinedOn: '2012-07-01' } : {}),
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.registerPerson.id;
}

async function people(unitCode: string, n: number, options: { female?: boolean; party?: boolean } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await person(unitCode, `${unitCode.slice(-3)}成员${serial + 1}`, options));
  return ids;
}

type Seat = { personId: string; role: string };
const START_TERM = `mutation($input: StartTermInput!) { startTerm(input: $input) { id startsOn endsOn status committee { id kind } positions { id role person { id } } } }`;
const ASSIGN = `mutation($input: AssignPositionInput!) { assignPosition(input: $input) { id role startsOn active } }`;
const END = `mutation($input: EndPositionInput!) { endPosition(input: $input) { id endsOn endReason active } }`;

interface TermView {
  id: string;
  startsOn: string;
  endsOn: string;
  status: string;
  committee: { id: string; kind: string };
  positions: { id: string; role: string; person: { id: string } }[];
}

async function startTerm(input: Record<string, unknown>, roles: Role[] = ['ORG_ADMIN'], region?: string) {
  return gql<{ startTerm: TermView }>(START_TERM, { input }, roles, region);
}
async function mustStartTerm(input: Record<string, unknown>): Promise<TermView> {
  const res = await startTerm(input);
  expect(res.errors).toBeUndefined();
  return res.data!.startTerm;
}

/** A roster: the first person heads it, the others take `rest`. */
const seats = (ids: string[], head: string, rest: string): Seat[] => ids.map((personId, i) => ({ personId, role: i === 0 ? head : rest }));

/** An ElectionResultCertified envelope as recordEvent in elections would build it. */
function certified(data: { electionId?: string; unitCode: string; kind: 'PARTY' | 'VILLAGERS' | 'RESIDENTS'; elected: Seat[]; startsOn?: string; id?: string }) {
  const electionId = data.electionId ?? randomUUID();
  return envelopeOf(ElectionResultCertified, {
    id: data.id ?? randomUUID(),
    subject: electionId,
    data: {
      electionId,
      orgUnitId: units[data.unitCode]!,
      regionPath: regionPathOf(data.unitCode),
      committeeKind: data.kind,
      partyOrgForm: data.kind === 'PARTY' ? 'BRANCH' : null,
      termStartsOn: data.startsOn ?? NEW_START,
      termEndsOn: '2031-01-14',
      elected: data.elected as { personId: string; role: 'DIRECTOR' }[],
      certifiedAt: '2026-01-15T04:00:00Z',
    },
  });
}

const regionPathOf = (code: string) => [2, 4, 6, 9, 12].map((n) => code.slice(0, n)).join('.');

async function publish(...events: EventEnvelope[]) {
  for (const event of events) await sut.bus.publish([event]);
}

const termsOfUnit = (unitCode: string, kind: string) =>
  dataSource.query(
    `SELECT t.id, t.status, to_char(t.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(t.ends_on, 'YYYY-MM-DD') AS ends_on, t.election_id
       FROM committee_term t JOIN committee c ON c.id = t.committee_id WHERE c.org_unit_id = $1 AND c.kind = $2 ORDER BY t.starts_on`,
    [units[unitCode], kind],
  );

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'personnel_committees',
    migrations,
    partitions: 1,
    create: (deps) => createServer({ ...deps, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  ({ dataSource, counter } = sut);
  for (const [code, name, kind] of UNITS) {
    const res = await gql<{ createOrgUnit: { id: string } }>(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
      input: { code, name, kind },
    });
    expect(res.errors).toBeUndefined();
    units[code] = res.data!.createOrgUnit.id;
  }
});

afterAll(async () => {
  await sut?.stop();
});

describe('recording a term by hand', () => {
  it('records a villagers’ committee with its members, audits it and publishes TermStarted then PositionAssigned', async () => {
    const ids = await people('510184101201', 4);
    const woman = await person('510184101201', '青桥妇女委员', { female: true });
    const term = await mustStartTerm({
      orgUnitId: units['510184101201'],
      committeeKind: 'VILLAGERS',
      startsOn: OLD_START,
      positions: [...seats(ids, 'DIRECTOR', 'MEMBER'), { personId: woman, role: 'WOMEN_MEMBER' }],
    });
    expect(term).toMatchObject({ startsOn: OLD_START, endsOn: '2026-01-14', status: 'ACTIVE', committee: { kind: 'VILLAGERS' } });
    expect(term.positions.map((p) => p.role)).toEqual(['DIRECTOR', 'WOMEN_MEMBER', 'MEMBER', 'MEMBER', 'MEMBER']);

    const res = await gql<{ orgUnit: { committees: { kind: string; sizeRange: { min: number; max: number }; currentTerm: { id: string } }[] } }>(
      `query($id: ID!) { orgUnit(id: $id) { committees { kind sizeRange { min max } currentTerm { id } } } }`,
      { id: units['510184101201'] },
    );
    expect(res.data!.orgUnit.committees).toEqual([{ kind: 'VILLAGERS', sizeRange: { min: 3, max: 7 }, currentTerm: { id: term.id } }]);

    const events = await dataSource.query(`SELECT type, payload FROM outbox WHERE subject = $1 ORDER BY seq`, [term.committee.id]);
    expect(events.map((e: { type: string }) => e.type.replace('huanjie.personnel.', ''))).toEqual(['TermStarted', ...Array(5).fill('PositionAssigned')]);
    expect(events[0].payload).toMatchObject({ termId: term.id, memberCount: 5, previousTermId: null, electionId: null, startsOn: OLD_START });
    const audit = await dataSource.query(`SELECT actor, after FROM audit_log WHERE entity_type = 'Term' AND entity_id = $1`, [term.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0].after.seats).toHaveLength(5);
  });

  it('ends the current term and its seats (TERM_ENDED) the day before a new one starts', async () => {
    const [secretary, ...others] = await people('510184101203', 3, { party: true });
    const first = await mustStartTerm({
      orgUnitId: units['510184101203'],
      committeeKind: 'PARTY',
      partyOrgForm: 'BRANCH',
      startsOn: OLD_START,
      positions: seats([secretary!, ...others], 'SECRETARY', 'PARTY_MEMBER_SEAT'),
    });
    const second = await mustStartTerm({
      orgUnitId: units['510184101203'],
      committeeKind: 'PARTY',
      startsOn: NEW_START,
      positions: seats([others[0]!, secretary!, others[1]!], 'SECRETARY', 'PARTY_MEMBER_SEAT'),
    });
    const res = await gql<{ term: { status: string; endsOn: string; positions: { endReason: string; endsOn: string }[] } }>(
      `query($id: ID!) { term(id: $id) { status endsOn positions { endReason endsOn } } }`,
      { id: first.id },
    );
    expect(res.data!.term).toEqual({ status: 'ENDED', endsOn: '2026-01-14', positions: Array(3).fill({ endReason: 'TERM_ENDED', endsOn: '2026-01-14' }) });
    const types = await dataSource.query(`SELECT type FROM outbox WHERE subject = $1 ORDER BY seq`, [second.committee.id]);
    expect(types.map((e: { type: string }) => e.type.replace('huanjie.personnel.', ''))).toEqual([
      'TermStarted',
      ...Array(3).fill('PositionAssigned'),
      ...Array(3).fill('PositionEnded'),
      'TermStarted',
      ...Array(3).fill('PositionAssigned'),
    ]);
  });

  it('fills and vacates seats during the term, each audited and published', async () => {
    const [term] = await termsOfUnit('510184101201', 'VILLAGERS');
    const newcomer = await person('510184101201', '增补委员');
    const assigned = await gql<{ assignPosition: { id: string; role: string; startsOn: string; active: boolean } }>(ASSIGN, {
      input: { termId: term.id, personId: newcomer, role: 'MEMBER', startsOn: '2024-05-06' },
    });
    expect(assigned.data!.assignPosition).toMatchObject({ role: 'MEMBER', startsOn: '2024-05-06', active: true });
    const ended = await gql<{ endPosition: { endsOn: string; endReason: string; active: boolean } }>(END, {
      input: { positionId: assigned.data!.assignPosition.id, reason: 'RESIGNED' },
    });
    // Default: today in Asia/Shanghai.
    expect(ended.data!.endPosition).toMatchObject({ endsOn: '2026-03-10', endReason: 'RESIGNED', active: false });
    const audits = await dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [assigned.data!.assignPosition.id]);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(['assignPosition', 'endPosition']);
    const [event] = await dataSource.query(`SELECT payload FROM outbox WHERE type LIKE '%PositionEnded' AND payload->>'positionId' = $1`, [
      assigned.data!.assignPosition.id,
    ]);
    expect(event.payload).toMatchObject({ personId: newcomer, endReason: 'RESIGNED', endsOn: '2026-03-10', role: 'MEMBER' });

    const again = await gql(END, { input: { positionId: assigned.data!.assignPosition.id, reason: 'REMOVED' } });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions!.rule).toBe('POSITION.ACTIVE');
  });
});

describe('the invariants: each refusal is typed, names its rule, and writes nothing', () => {
  let villagersTerm: { id: string; directorId: string; memberIds: string[] };
  let spare: string[];
  let partyMembers: string[];

  beforeAll(async () => {
    const [term] = await termsOfUnit('510184101201', 'VILLAGERS');
    const held = await dataSource.query(
      `SELECT person_id, role FROM committee_position WHERE term_id = $1 AND end_reason IS NULL ORDER BY role`,
      [term.id],
    );
    villagersTerm = {
      id: term.id,
      directorId: held.find((h: { role: string }) => h.role === 'DIRECTOR').person_id,
      memberIds: held.filter((h: { role: string }) => h.role === 'MEMBER').map((h: { person_id: string }) => h.person_id),
    };
    spare = await people('510184101201', 8);
    partyMembers = await people('510184101201', 3, { party: true });
  });

  const cases: [string, () => Promise<GraphQLResponse>, string, string, RegExp][] = [
    [
      'a villagers’ committee of eight (村民委员会组织法 第六条: 3–7)',
      () => startTerm({ orgUnitId: units['510184101202'], committeeKind: 'VILLAGERS', startsOn: NEW_START, positions: seats(spare, 'DIRECTOR', 'MEMBER') }),
      'BAD_USER_INPUT',
      'TERM.SIZE',
      /村民委员会组织法 第六条.*3–7 members, the roster names 8/,
    ],
    [
      'a residents’ committee of four (城市居民委员会组织法 第七条: 5–9)',
      () => startTerm({ orgUnitId: units['510107018003'], committeeKind: 'RESIDENTS', startsOn: NEW_START, positions: seats(spare.slice(0, 4), 'DIRECTOR', 'MEMBER') }),
      'BAD_USER_INPUT',
      'TERM.SIZE',
      /城市居民委员会组织法 第七条.*5–9/,
    ],
    [
      'a Party committee with two secretaries',
      () =>
        startTerm({
          orgUnitId: units['510184101202'],
          committeeKind: 'PARTY',
          partyOrgForm: 'BRANCH',
          startsOn: NEW_START,
          positions: [
            { personId: partyMembers[0], role: 'SECRETARY' },
            { personId: partyMembers[1], role: 'SECRETARY' },
            { personId: partyMembers[2], role: 'PARTY_MEMBER_SEAT' },
          ],
        }),
      'BAD_USER_INPUT',
      'TERM.ONE_SECRETARY',
      /exactly one 书记 \(SECRETARY\); the roster names 2/,
    ],
    [
      'a second director while one is in office',
      () => gql(ASSIGN, { input: { termId: villagersTerm.id, personId: spare[0], role: 'DIRECTOR', startsOn: '2024-01-01' } }),
      'CONFLICT',
      'TERM.ONE_DIRECTOR',
      /one 主任 \(DIRECTOR\), and the seat is held/,
    ],
    [
      'a second seat on the same committee for one person',
      () => gql(ASSIGN, { input: { termId: villagersTerm.id, personId: villagersTerm.memberIds[0], role: 'DEPUTY_DIRECTOR', startsOn: '2024-01-01' } }),
      'CONFLICT',
      'POSITION.ONE_PER_PERSON',
      /already holds a seat/,
    ],
    [
      'a Party seat on the villagers’ committee',
      () => gql(ASSIGN, { input: { termId: villagersTerm.id, personId: spare[0], role: 'SECRETARY', startsOn: '2024-01-01' } }),
      'BAD_USER_INPUT',
      'POSITION.ROLE_FOR_KIND',
      /its seats are DIRECTOR, DEPUTY_DIRECTOR, MEMBER, WOMEN_MEMBER/,
    ],
    [
      'a residents’ committee in a village',
      () => startTerm({ orgUnitId: units['510184101202'], committeeKind: 'RESIDENTS', startsOn: NEW_START, positions: seats(spare.slice(0, 5), 'DIRECTOR', 'MEMBER') }),
      'BAD_USER_INPUT',
      'COMMITTEE.KIND_FOR_UNIT',
      /committees allowed are PARTY and VILLAGERS/,
    ],
    [
      'a term overlapping the current one',
      () => startTerm({ orgUnitId: units['510184101201'], committeeKind: 'VILLAGERS', startsOn: OLD_START, positions: seats(spare.slice(0, 3), 'DIRECTOR', 'MEMBER') }),
      'CONFLICT',
      'TERM.NO_OVERLAP',
      /the current term runs from 2021-01-15, so a new term starts after 2021-01-15, not on 2021-01-15/,
    ],
    [
      'a term longer than five years',
      () =>
        startTerm({ orgUnitId: units['510184101202'], committeeKind: 'VILLAGERS', startsOn: NEW_START, endsOn: '2031-06-30', positions: seats(spare.slice(0, 3), 'DIRECTOR', 'MEMBER') }),
      'BAD_USER_INPUT',
      'TERM.DATES',
      /on or before 2031-01-14/,
    ],
    [
      'a non-member on the Party committee',
      () =>
        startTerm({ orgUnitId: units['510184101202'], committeeKind: 'PARTY', partyOrgForm: 'BRANCH', startsOn: NEW_START, positions: seats([partyMembers[0]!, partyMembers[1]!, spare[0]!], 'SECRETARY', 'PARTY_MEMBER_SEAT') }),
      'BAD_USER_INPUT',
      'POSITION.FULL_PARTY_MEMBER',
      /full Party member \(PARTY_MEMBER\), not MASSES/,
    ],
    [
      'a man in the women’s seat',
      () => gql(ASSIGN, { input: { termId: villagersTerm.id, personId: spare[0], role: 'WOMEN_MEMBER', startsOn: '2024-01-01' } }),
      'BAD_USER_INPUT',
      'POSITION.WOMEN_MEMBER_IS_WOMAN',
      /妇女委员/,
    ],
    [
      'a change by a read-only auditor',
      () => startTerm({ orgUnitId: units['510184101202'], committeeKind: 'VILLAGERS', startsOn: NEW_START, positions: seats(spare.slice(0, 3), 'DIRECTOR', 'MEMBER') }, ['AUDITOR']),
      'FORBIDDEN',
      'AUTH.ROLE',
      /ORG_ADMIN, TOWN_OFFICER/,
    ],
    [
      'a change by a township officer of another town',
      () =>
        startTerm(
          { orgUnitId: units['510184101202'], committeeKind: 'VILLAGERS', startsOn: NEW_START, positions: seats(spare.slice(0, 3), 'DIRECTOR', 'MEMBER') },
          ['TOWN_OFFICER'],
          '510184102000',
        ),
      'NOT_FOUND',
      'ORG_UNIT.EXISTS',
      /outside your scope/,
    ],
  ];

  it.each(cases)('refuses %s', async (_what, mutate, code, rule, message) => {
    const before = await snapshot();
    const res = await mutate();
    expect(errorCodes(res)).toEqual([code]);
    expect(res.errors![0]!.extensions!.rule).toBe(rule);
    expect(res.errors![0]!.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an eighth member of a villagers’ committee once seven hold seats', async () => {
    // The term holds five; two more fill it to the most a villagers' committee may have.
    for (const personId of spare.slice(0, 2)) {
      const res = await gql(ASSIGN, { input: { termId: villagersTerm.id, personId, role: 'MEMBER', startsOn: '2024-06-01' } });
      expect(res.errors).toBeUndefined();
    }
    const before = await snapshot();
    const res = await gql(ASSIGN, { input: { termId: villagersTerm.id, personId: spare[2], role: 'MEMBER', startsOn: '2024-06-01' } });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors![0]!.extensions!.rule).toBe('TERM.SIZE');
    expect(res.errors![0]!.message).toMatch(/3–7 members and this one has 7 already/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('forming the new term from a certified election result (Kafka)', () => {
  it('forms exactly one term from a result delivered twice, and ends the previous one', async () => {
    const [previous] = await termsOfUnit('510184101201', 'VILLAGERS');
    const previousSeats = await count(`committee_position WHERE term_id = '${previous.id}' AND end_reason IS NULL`);
    const winners = await people('510184101201', 5);
    const result = certified({ unitCode: '510184101201', kind: 'VILLAGERS', elected: seats(winners, 'DIRECTOR', 'MEMBER') });
    const marker = certified({ unitCode: '510184101202', kind: 'VILLAGERS', elected: seats(await people('510184101202', 3), 'DIRECTOR', 'MEMBER') });
    // The same event twice (same ce_id), then another unit's result on the same partition behind it.
    await publish(result, result, marker);
    await waitFor(async () => (await termsOfUnit('510184101202', 'VILLAGERS')).length === 1, { timeoutMs: 30_000, message: 'the later result handled' });

    const terms = await termsOfUnit('510184101201', 'VILLAGERS');
    expect(terms).toEqual([
      { id: previous.id, status: 'ENDED', starts_on: OLD_START, ends_on: '2026-01-14', election_id: null },
      { id: expect.any(String), status: 'ACTIVE', starts_on: NEW_START, ends_on: '2031-01-14', election_id: result.data.electionId },
    ]);
    const seatsNow = await dataSource.query(`SELECT person_id, role, election_id FROM committee_position WHERE term_id = $1 ORDER BY role, person_id`, [terms[1].id]);
    expect(seatsNow).toHaveLength(5);
    expect(seatsNow.map((s: { person_id: string }) => s.person_id).sort()).toEqual([...winners].sort());
    expect(await count(`committee_position WHERE term_id = '${previous.id}' AND end_reason = 'TERM_ENDED'`)).toBe(previousSeats);
    expect(await count(`inbox WHERE consumer = 'personnel.form-term' AND event_id = '${result.id}'`)).toBe(1);

    // Published in order under the committee's key: seats vacated, term started, seats filled.
    const committeeId = (await dataSource.query(`SELECT committee_id FROM committee_term WHERE id = $1`, [terms[1].id]))[0].committee_id;
    const events = await dataSource.query(`SELECT type FROM outbox WHERE subject = $1 ORDER BY seq`, [committeeId]);
    const names = events.map((e: { type: string }) => e.type.replace('huanjie.personnel.', ''));
    expect(names.filter((n: string) => n === 'TermStarted')).toHaveLength(1 + 1); // the hand-entered term and this one
    expect(names.slice(-(previousSeats + 1 + 5))).toEqual([...Array(previousSeats).fill('PositionEnded'), 'TermStarted', ...Array(5).fill('PositionAssigned')]);
    const audit = await dataSource.query(`SELECT actor, request_id FROM audit_log WHERE entity_type = 'Term' AND entity_id = $1`, [terms[1].id]);
    expect(audit).toEqual([{ actor: 'system:ElectionResultCertified', request_id: result.id }]);
  });

  it('sends a result that breaks the rules to the dead-letter topic with the rule named, and moves on', async () => {
    const tooMany = certified({ unitCode: '510184101202', kind: 'PARTY', elected: seats(await people('510184101202', 8, { party: true }), 'SECRETARY', 'PARTY_MEMBER_SEAT') });
    const marker = certified({ unitCode: '510107018003', kind: 'RESIDENTS', elected: seats(await people('510107018003', 5), 'DIRECTOR', 'MEMBER') });
    const dlq: { error: string; id: string }[] = [];
    const kafka = new Kafka({ clientId: 'dlq-reader', brokers: testKafkaBrokers().split(','), logLevel: 0 });
    const reader = kafka.consumer({ groupId: `${sut.topicPrefix}dlq-reader` });
    await reader.connect();
    await reader.subscribe({ topic: `${sut.topicPrefix}elections.election.v1.dlq`, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        dlq.push({ error: String(message.headers?.dlq_error), id: String(message.headers?.ce_id) });
      },
    });
    try {
      await publish(tooMany, marker);
      await waitFor(async () => (await termsOfUnit('510107018003', 'RESIDENTS')).length === 1, { timeoutMs: 30_000, message: 'the later result handled' });
      await waitFor(() => dlq.some((m) => m.id === tooMany.id), { timeoutMs: 30_000, message: 'the broken result dead-lettered' });
    } finally {
      await reader.disconnect();
    }
    expect(dlq.find((m) => m.id === tooMany.id)!.error).toMatch(/TERM.SIZE: .*3–7 members, the roster names 8/);
    expect(await termsOfUnit('510184101202', 'PARTY')).toEqual([]);
    expect(await count(`inbox WHERE event_id = '${tooMany.id}'`)).toBe(0);
  });

  it('ends the seats of a voided result (RESULT_VOIDED), once, however often the void arrives', async () => {
    const electionId = randomUUID();
    const [buyer, ...rest] = await people('510184103201', 5);
    await publish(certified({ electionId, unitCode: '510184103201', kind: 'VILLAGERS', elected: seats([buyer!, ...rest], 'DIRECTOR', 'MEMBER') }));
    await waitFor(async () => (await termsOfUnit('510184103201', 'VILLAGERS')).length === 1, { timeoutMs: 30_000, message: 'the result handled' });

    // 三个一律: the director won by buying votes; his election is void. 18:00 UTC is 02:00 the next day in Beijing.
    const voided = envelopeOf(ElectionVoided, {
      subject: electionId,
      data: {
        electionId,
        orgUnitId: units['510184103201']!,
        regionPath: regionPathOf('510184103201'),
        committeeKind: 'VILLAGERS',
        personIds: [buyer!],
        reason: 'VOTE_BUYING',
        voidedAt: '2026-03-01T18:00:00Z',
      },
    });
    const marker = certified({ unitCode: '510184101203', kind: 'VILLAGERS', elected: seats(await people('510184101203', 3), 'DIRECTOR', 'MEMBER') });
    await publish(voided, voided, marker);
    await waitFor(async () => (await termsOfUnit('510184101203', 'VILLAGERS')).length === 1, { timeoutMs: 30_000, message: 'the later result handled' });

    const res = await gql<{ person: { positions: { role: string; endsOn: string | null; endReason: string | null; active: boolean }[] } }>(
      `query($id: ID!) { person(id: $id) { positions { role endsOn endReason active } } }`,
      { id: buyer },
    );
    expect(res.data!.person.positions).toEqual([{ role: 'DIRECTOR', endsOn: '2026-03-02', endReason: 'RESULT_VOIDED', active: false }]);
    expect(await count(`committee_position WHERE election_id = '${electionId}' AND end_reason IS NULL`)).toBe(4);
    expect(await count(`outbox WHERE type LIKE '%PositionEnded' AND payload->>'personId' = '${buyer}'`)).toBe(1);
    expect(await count(`audit_log WHERE action = 'voidElectionSeat' AND request_id = '${voided.id}'`)).toBe(1);
  });
});

describe('一肩挑', () => {
  const RATE = `query($code: String!, $kind: OrgUnitKind) { oneShoulderRate(regionCode: $code, unitKind: $kind) { unitCount secretaryCount oneShoulderCount rate } }`;
  let both: string;
  let directorPositionId: string;

  beforeAll(async () => {
    // 竹艺村: one person is secretary and director. 斜阳村: two people. 龙泉社区: nothing on record.
    const [zhuSecretary, ...zhuParty] = await people('510184102201', 3, { party: true });
    both = zhuSecretary!;
    await mustStartTerm({ orgUnitId: units['510184102201'], committeeKind: 'PARTY', partyOrgForm: 'BRANCH', startsOn: NEW_START, positions: seats([both, ...zhuParty], 'SECRETARY', 'PARTY_MEMBER_SEAT') });
    const villagers = await mustStartTerm({
      orgUnitId: units['510184102201'],
      committeeKind: 'VILLAGERS',
      startsOn: NEW_START,
      positions: seats([both, ...(await people('510184102201', 2))], 'DIRECTOR', 'MEMBER'),
    });
    directorPositionId = villagers.positions.find((p) => p.role === 'DIRECTOR')!.id;
    await mustStartTerm({
      orgUnitId: units['510184102202'],
      committeeKind: 'PARTY',
      partyOrgForm: 'BRANCH',
      startsOn: NEW_START,
      positions: seats(await people('510184102202', 3, { party: true }), 'SECRETARY', 'PARTY_MEMBER_SEAT'),
    });
    await mustStartTerm({ orgUnitId: units['510184102202'], committeeKind: 'VILLAGERS', startsOn: NEW_START, positions: seats(await people('510184102202', 3), 'DIRECTOR', 'MEMBER') });
  });

  it('marks the person who holds both top posts of one unit', async () => {
    const res = await gql<{ person: { holdsBothTopPosts: boolean; positions: { role: string; committee: { kind: string } }[] } }>(
      `query($id: ID!) { person(id: $id) { holdsBothTopPosts positions(activeOnly: true) { role committee { kind } } } }`,
      { id: both },
    );
    expect(res.data!.person).toEqual({
      holdsBothTopPosts: true,
      positions: [
        { role: 'SECRETARY', committee: { kind: 'PARTY' } },
        { role: 'DIRECTOR', committee: { kind: 'VILLAGERS' } },
      ],
    });
  });

  it('computes the rate of a region: units, units with a secretary, units with one person in both', async () => {
    const town = await gql<{ oneShoulderRate: unknown }>(RATE, { code: '510184102000' }, ['TOWN_OFFICER'], '510184102000');
    expect(town.data!.oneShoulderRate).toEqual({ unitCount: 3, secretaryCount: 2, oneShoulderCount: 1, rate: 1 / 3 });
    const villages = await gql<{ oneShoulderRate: unknown }>(RATE, { code: '510184102000', kind: 'VILLAGE' });
    expect(villages.data!.oneShoulderRate).toEqual({ unitCount: 2, secretaryCount: 2, oneShoulderCount: 1, rate: 0.5 });
    const outside = await gql(RATE, { code: '510184000000' }, ['TOWN_OFFICER'], '510184102000');
    expect(errorCodes(outside)).toEqual(['FORBIDDEN']);
  });

  it('no longer holds once the director’s seat is vacated', async () => {
    const res = await gql(END, { input: { positionId: directorPositionId, reason: 'TRANSFERRED' } }, ['TOWN_OFFICER'], '510184102000');
    expect(res.errors).toBeUndefined();
    const person = await gql<{ person: { holdsBothTopPosts: boolean } }>(`query($id: ID!) { person(id: $id) { holdsBothTopPosts } }`, { id: both });
    expect(person.data!.person.holdsBothTopPosts).toBe(false);
    const town = await gql<{ oneShoulderRate: { oneShoulderCount: number; rate: number } }>(RATE, { code: '510184102000' });
    expect(town.data!.oneShoulderRate).toMatchObject({ oneShoulderCount: 0, rate: 0 });
  });
});

describe('lists', () => {
  // The outbox relay and the consumer poll on the same data source; count only the request's statements.
  const requestStatements = () => counter.queries.filter((q) => !/outbox|pg_try_advisory|inbox/.test(q));

  // People with their seats, each seat's term and committee, and each committee's unit and current term's seats.
  const PEOPLE_AND_SEATS = `query($id: ID!) { orgUnit(id: $id) { people(first: 100) { nodes { name holdsBothTopPosts
      positions { role active term { startsOn previousTerm { startsOn } } committee { kind orgUnit { name } currentTerm { positions(activeOnly: true) { role person { name } } } } } } }
      committees { kind terms(first: 5) { nodes { startsOn positions { role } } } } } }`;

  it('costs the same number of statements for the seats of 8 people as of 28', async () => {
    const unit = '510184103201'; // 南街村: five people with seats from the voided election
    const party = await people(unit, 3, { party: true });
    await mustStartTerm({ orgUnitId: units[unit], committeeKind: 'PARTY', partyOrgForm: 'BRANCH', startsOn: OLD_START, positions: seats(party, 'SECRETARY', 'PARTY_MEMBER_SEAT') });
    await mustStartTerm({ orgUnitId: units[unit], committeeKind: 'PARTY', startsOn: NEW_START, positions: seats([...party].reverse(), 'SECRETARY', 'PARTY_MEMBER_SEAT') });
    counter.reset();
    const small = await gql<{ orgUnit: { people: { nodes: { positions: unknown[] }[] } } }>(PEOPLE_AND_SEATS, { id: units[unit] });
    expect(small.errors).toBeUndefined();
    expect(small.data!.orgUnit.people.nodes).toHaveLength(8);
    const statementsSmall = requestStatements().length;

    // More people, and a new villagers' committee replacing the elected one: more rows under the same levels.
    const more = await people(unit, 20);
    await mustStartTerm({ orgUnitId: units[unit], committeeKind: 'VILLAGERS', startsOn: '2026-02-01', positions: seats(more.slice(0, 7), 'DIRECTOR', 'MEMBER') });

    counter.reset();
    const big = await gql<{ orgUnit: { people: { nodes: { positions: unknown[] }[] } } }>(PEOPLE_AND_SEATS, { id: units[unit] });
    expect(big.errors).toBeUndefined();
    expect(big.data!.orgUnit.people.nodes).toHaveLength(28);
    expect(big.data!.orgUnit.people.nodes.flatMap((n) => n.positions)).toHaveLength(5 + 6 + 7);
    expect(requestStatements().length).toBe(statementsSmall);
    // One per level: unit, people, their seats, held seats (一肩挑), terms, committees, current terms, their seats,
    // holders; the unit's committees, their terms, those terms' seats. previousTerm and orgUnit come from the cache.
    expect(statementsSmall).toBeLessThanOrEqual(12);
  });

  it('resolves the seats of many people referenced by another subgraph in one statement per level', async () => {
    const ids: string[] = (await dataSource.query(`SELECT DISTINCT person_id FROM committee_position LIMIT 40`)).map((r: { person_id: string }) => r.person_id);
    expect(ids.length).toBeGreaterThan(30);
    counter.reset();
    const res = await gql<{ _entities: { positions: { role: string }[]; holdsBothTopPosts: boolean }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { positions { role term { startsOn } } holdsBothTopPosts } } }`,
      { r: ids.map((id) => ({ __typename: 'Person', id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toHaveLength(ids.length);
    // people, their seats, the seats held now (for 一肩挑), the terms of those seats
    expect(requestStatements().length).toBe(4);
  });
});
