import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger, issueToken, openDatabase, QueryCounter, type Role, type RunningServer } from '@huanjie/platform';
import { cloudEventTypeOf, createKafkaBus, ReviewConcluded, topicOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import type { SubgraphService } from '@huanjie/service-kit';
import { testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

const auth = { secret: 'elections-integration-test-secret-0123456789' };
const CHENGDU = '51.5101';
const WUHOU_VILLAGE = '51.5101.510107.510107001.510107001002';
const JINJIANG_VILLAGE = '51.5101.510104.510104001.510104001001';

/** A ReviewConcluded envelope as recordEvent in vetting would build it. */
function conclusion(eventId: string, data: { candidateId: string; personId: string; outcome: 'CLEARED' | 'DISQUALIFIED'; codes: string[] }): EventEnvelope {
  return {
    id: eventId,
    type: cloudEventTypeOf(ReviewConcluded),
    name: ReviewConcluded.name,
    source: `/huanjie/${ReviewConcluded.service}`,
    time: new Date().toISOString(),
    subject: data.candidateId,
    topic: topicOf(ReviewConcluded),
    data: ReviewConcluded.schema.parse({
      reviewId: randomUUID(),
      candidateId: data.candidateId,
      personId: data.personId,
      regionPath: WUHOU_VILLAGE,
      outcome: data.outcome,
      negativeListCodes: data.codes,
    }),
  };
}

type GraphQLBody = { data?: any; errors?: { message: string; extensions: { code: string; rule?: string } }[] };

describe('elections subgraph against real Postgres and Kafka', () => {
  const counter = new QueryCounter();
  let dataSource: DataSource;
  let bus: EventBus;
  let service: SubgraphService;
  let running: RunningServer;

  async function graphql(query: string, variables: Record<string, unknown>, token: string | null) {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLBody };
  }

  const tokenFor = (roles: Role[], regionCode: string) => issueToken({ userId: `u-${roles[0]}-${regionCode}`, roles, regionCode }, auth);
  const count = async (table: string) => (await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  const CREATE = `mutation($input: CreateElectionCycleInput!) {
    createElectionCycle(input: $input) { id name termYears startsOn endsOn regionCode regionPath }
  }`;
  const chengduCycle = { name: '2026年村(社区)两委换届', regionCode: '510100000000', termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' };

  beforeAll(async () => {
    const logger = createLogger({ name: 'elections-test', level: process.env.LOG_LEVEL ?? 'silent' });
    dataSource = await openDatabase({ url: await testDatabaseUrl('elections'), entities: [], migrations, logger, queryCounter: counter });
    // One partition: events then arrive in publish order, so a later event being handled proves
    // the earlier duplicate was delivered (and skipped) too.
    bus = createKafkaBus({ brokers: testKafkaBrokers().split(','), clientId: 'elections-test', topicPrefix: uniqueTopicPrefix(), logger, partitions: 1 });
    service = await createServer({ dataSource, bus, logger, auth });
    running = await service.start(0);
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await dataSource?.destroy();
  });

  it('records a candidate\'s eligibility once for a ReviewConcluded delivered twice with the same event id', async () => {
    const candidateId = randomUUID();
    const personId = randomUUID();
    const event = conclusion(randomUUID(), { candidateId, personId, outcome: 'DISQUALIFIED', codes: ['SHI_BU_XUAN_03'] });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    const later = conclusion(randomUUID(), { candidateId: randomUUID(), personId: randomUUID(), outcome: 'CLEARED', codes: [] });
    await bus.publish([later]);

    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM candidate_eligibility WHERE candidate_id = $1`, [later.subject])).length === 1, {
      timeoutMs: 30_000,
      message: 'the later conclusion handled',
    });
    const rows = await dataSource.query(
      `SELECT person_id, region_path, outcome, negative_list_codes FROM candidate_eligibility WHERE candidate_id = $1`,
      [candidateId],
    );
    expect(rows).toEqual([{ person_id: personId, region_path: WUHOU_VILLAGE, outcome: 'DISQUALIFIED', negative_list_codes: ['SHI_BU_XUAN_03'] }]);
    expect(await count('candidate_eligibility')).toBe(2);
  });

  let cycleId: string;

  it('lets the city organisation department declare a cycle, audited in the same transaction', async () => {
    const res = await graphql(CREATE, { input: chengduCycle }, await tokenFor(['ORG_ADMIN'], '510100000000'));
    expect(res.body.errors).toBeUndefined();
    cycleId = res.body.data.createElectionCycle.id;
    expect(res.body.data.createElectionCycle).toEqual({ id: cycleId, ...chengduCycle, regionPath: CHENGDU });
    const audit = await dataSource.query(`SELECT actor, action, entity_type, region_path FROM audit_log WHERE entity_id = $1`, [cycleId]);
    expect(audit).toEqual([{ actor: 'u-ORG_ADMIN-510100000000', action: 'createElectionCycle', entity_type: 'ElectionCycle', region_path: CHENGDU }]);
  });

  it('shows the city-wide cycle on every unit below the city, many units in one statement', async () => {
    // A 武侯区 officer: the Chengdu cycle covers their villages although it was declared above them.
    const token = await tokenFor(['TOWN_OFFICER'], '510107000000');
    const reps = [
      { __typename: 'OrgUnit', id: randomUUID(), regionPath: WUHOU_VILLAGE },
      { __typename: 'OrgUnit', id: randomUUID(), regionPath: '51.5101.510107' },
      { __typename: 'OrgUnit', id: randomUUID(), regionPath: JINJIANG_VILLAGE }, // outside the caller's scope
    ];
    counter.reset();
    const res = await graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { electionCycles { id name termYears } } } }`,
      { r: reps },
      token,
    );
    expect(res.body.errors).toBeUndefined();
    const cycle = { id: cycleId, name: chengduCycle.name, termYears: 5 };
    expect(res.body.data._entities).toEqual([{ electionCycles: [cycle] }, { electionCycles: [cycle] }, { electionCycles: [] }]);
    expect(counter.queries.filter((q) => /FROM unnest/.test(q) && /election_cycle/.test(q))).toHaveLength(1);

    const byId = await graphql(`query($id: ID!) { electionCycle(id: $id) { id regionCode } }`, { id: cycleId }, token);
    expect(byId.body.data).toEqual({ electionCycle: { id: cycleId, regionCode: '510100000000' } });
  });

  it('refuses bad input with BAD_USER_INPUT naming the rule, and writes nothing', async () => {
    const token = await tokenFor(['ORG_ADMIN'], '510100000000');
    const [cycles, audits] = [await count('election_cycle'), await count('audit_log')];
    const cases: [Partial<typeof chengduCycle>, string][] = [
      [{ termYears: 6 }, 'CYCLE.TERM_YEARS'],
      [{ name: '' }, 'CYCLE.NAME'],
      [{ startsOn: '2026-07-01' }, 'CYCLE.DATE_ORDER'],
      [{ regionCode: '5101' }, 'CYCLE.REGION_CODE'],
    ];
    for (const [change, rule] of cases) {
      const res = await graphql(CREATE, { input: { ...chengduCycle, ...change } }, token);
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    }
    expect([await count('election_cycle'), await count('audit_log')]).toEqual([cycles, audits]);
  });

  it('refuses other roles and regions outside the caller\'s scope with FORBIDDEN', async () => {
    const town = await graphql(CREATE, { input: chengduCycle }, await tokenFor(['TOWN_OFFICER'], '510100000000'));
    expect(town.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.ROLE' });
    const district = await graphql(CREATE, { input: chengduCycle }, await tokenFor(['ORG_ADMIN'], '510107000000'));
    expect(district.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.REGION_SCOPE' });
    expect(await count('election_cycle')).toBe(1);
  });

  it('refuses a request without a token with HTTP 401 UNAUTHENTICATED', async () => {
    const res = await graphql(CREATE, { input: chengduCycle }, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
