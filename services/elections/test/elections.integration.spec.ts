import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { issueToken, QueryCounter, type Role } from '@huanjie/platform';
import { envelopeOf, ReviewConcluded, type EventBus, type EventEnvelope } from '@huanjie/events';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

const CHENGDU = '51.5101';
const WUHOU_VILLAGE = '51.5101.510107.510107001.510107001002';
const JINJIANG_VILLAGE = '51.5101.510104.510104001.510104001001';

/** A ReviewConcluded envelope as recordEvent in vetting would build it. */
function conclusion(
  eventId: string,
  data: { candidateId: string; personId: string; outcome: 'CLEARED' | 'DISQUALIFIED'; negativeListCodes: string[] },
): EventEnvelope {
  return envelopeOf(ReviewConcluded, {
    id: eventId,
    subject: data.candidateId,
    data: { ...data, reviewId: randomUUID(), regionPath: WUHOU_VILLAGE },
  });
}

interface CycleView {
  id: string;
  name: string;
  termYears: number;
  startsOn: string;
  endsOn: string;
  regionCode: string;
  regionPath: string;
}

let dataSource: DataSource;
let bus: EventBus;
let sut: ServiceUnderTest;
let url: string;
let counter: QueryCounter;

const gql = async <T>(query: string, variables: Record<string, unknown>, roles: Role[], regionCode: string) =>
  graphqlPost<T>(url, { query, variables, token: await issueToken({ userId: `${roles[0]}@${regionCode}`, roles, regionCode }, sut.auth) });
const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

const CREATE = `mutation($input: CreateElectionCycleInput!) {
  createElectionCycle(input: $input) { id name termYears startsOn endsOn regionCode regionPath }
}`;
const chengduCycle = {
  name: '2026年村(社区)两委换届',
  regionCode: '510100000000',
  termYears: 5,
  startsOn: '2026-01-01',
  endsOn: '2026-06-30',
};
/** 成都市委组织部: the organisation department of the city. */
const asChengduAdmin = <T>(query: string, variables: Record<string, unknown>) => gql<T>(query, variables, ['ORG_ADMIN'], '510100000000');

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'elections', migrations, create: (deps) => createServer(deps), partitions: 1 });
  ({ dataSource, bus, url, counter } = sut);
});

afterAll(async () => {
  await sut?.stop();
});

describe('candidate eligibility from 联审', () => {
  it('records the outcome once for a ReviewConcluded delivered twice with the same event id', async () => {
    const candidateId = randomUUID();
    const personId = randomUUID();
    const event = conclusion(randomUUID(), { candidateId, personId, outcome: 'DISQUALIFIED', negativeListCodes: ['SHI_BU_XUAN_03'] });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    const later = conclusion(randomUUID(), {
      candidateId: randomUUID(),
      personId: randomUUID(),
      outcome: 'CLEARED',
      negativeListCodes: [],
    });
    await bus.publish([later]);

    await waitFor(
      async () => (await dataSource.query(`SELECT 1 FROM candidate_eligibility WHERE candidate_id = $1`, [later.subject])).length === 1,
      { timeoutMs: 30_000, message: 'the later conclusion handled' },
    );
    const rows = await dataSource.query(
      `SELECT person_id, region_path, outcome, negative_list_codes FROM candidate_eligibility WHERE candidate_id = $1`,
      [candidateId],
    );
    expect(rows).toEqual([
      { person_id: personId, region_path: WUHOU_VILLAGE, outcome: 'DISQUALIFIED', negative_list_codes: ['SHI_BU_XUAN_03'] },
    ]);
    expect(await count('candidate_eligibility')).toBe(2);
  });
});

describe('election cycles', () => {
  let cycleId: string;

  it('lets the city organisation department declare a cycle, audited in the same transaction', async () => {
    const res = await asChengduAdmin<{ createElectionCycle: CycleView }>(CREATE, { input: chengduCycle });
    expect(res.errors).toBeUndefined();
    cycleId = res.data!.createElectionCycle.id;
    expect(res.data!.createElectionCycle).toEqual({ id: cycleId, ...chengduCycle, regionPath: CHENGDU });
    const audit = await dataSource.query(`SELECT actor, action, entity_type, region_path FROM audit_log WHERE entity_id = $1`, [cycleId]);
    expect(audit).toEqual([
      { actor: 'ORG_ADMIN@510100000000', action: 'createElectionCycle', entity_type: 'ElectionCycle', region_path: CHENGDU },
    ]);
  });

  it('shows the city-wide cycle on every unit below the city, many units in one statement', async () => {
    // A 武侯区 officer: the Chengdu cycle covers their villages although it was declared above them.
    const reps = [
      { __typename: 'OrgUnit', id: randomUUID(), regionPath: WUHOU_VILLAGE },
      { __typename: 'OrgUnit', id: randomUUID(), regionPath: '51.5101.510107' },
      { __typename: 'OrgUnit', id: randomUUID(), regionPath: JINJIANG_VILLAGE }, // outside the caller's scope
    ];
    counter.reset();
    const res = await gql<{ _entities: { electionCycles: Pick<CycleView, 'id' | 'name' | 'termYears'>[] }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { electionCycles { id name termYears } } } }`,
      { r: reps },
      ['TOWN_OFFICER'],
      '510107000000',
    );
    expect(res.errors).toBeUndefined();
    const cycle = { id: cycleId, name: chengduCycle.name, termYears: 5 };
    expect(res.data!._entities).toEqual([{ electionCycles: [cycle] }, { electionCycles: [cycle] }, { electionCycles: [] }]);
    expect(counter.queries.filter((q) => /election_cycle/.test(q))).toHaveLength(1);
  });

  it('serves a cycle by id to those it covers, and not to other cities', async () => {
    const query = `query($id: ID!) { electionCycle(id: $id) { id regionCode } }`;
    const wuhou = await gql<{ electionCycle: Pick<CycleView, 'id' | 'regionCode'> | null }>(
      query,
      { id: cycleId },
      ['AUDITOR'],
      '510107000000',
    );
    expect(wuhou.data).toEqual({ electionCycle: { id: cycleId, regionCode: '510100000000' } });
    const mianyang = await gql<{ electionCycle: null }>(query, { id: cycleId }, ['AUDITOR'], '510700000000'); // 绵阳市
    expect(mianyang.data).toEqual({ electionCycle: null });
  });

  it('refuses bad input with BAD_USER_INPUT naming the rule, and writes nothing', async () => {
    const [cycles, audits] = [await count('election_cycle'), await count('audit_log')];
    const cases: [Partial<typeof chengduCycle>, string][] = [
      [{ termYears: 6 }, 'CYCLE.TERM_YEARS'],
      [{ name: '' }, 'CYCLE.NAME'],
      [{ startsOn: '2026-07-01' }, 'CYCLE.DATE_ORDER'],
      [{ endsOn: '2026-06-31' }, 'CYCLE.DATE_FORMAT'],
      [{ regionCode: '5101' }, 'CYCLE.REGION_CODE'],
    ];
    for (const [change, rule] of cases) {
      const res = await asChengduAdmin(CREATE, { input: { ...chengduCycle, ...change } });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.rule).toBe(rule);
    }
    expect([await count('election_cycle'), await count('audit_log')]).toEqual([cycles, audits]);
  });

  it('lets only the organisation department declare cycles, and only within its scope', async () => {
    const town = await gql(CREATE, { input: chengduCycle }, ['TOWN_OFFICER'], '510100000000');
    expect(errorCodes(town)).toEqual(['FORBIDDEN']);
    expect(town.errors![0]!.extensions!.rule).toBe('AUTH.ROLE');
    const district = await gql(CREATE, { input: chengduCycle }, ['ORG_ADMIN'], '510107000000'); // 武侯区 declaring for all of 成都
    expect(errorCodes(district)).toEqual(['FORBIDDEN']);
    expect(district.errors![0]!.extensions!.rule).toBe('AUTH.REGION_SCOPE');
    expect(await count('election_cycle')).toBe(1);
  });

  it('refuses a request without a token with HTTP 401 UNAUTHENTICATED', async () => {
    const res = await graphqlPost(url, { query: CREATE, variables: { input: chengduCycle } });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});
