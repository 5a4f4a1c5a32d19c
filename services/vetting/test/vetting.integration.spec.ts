import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger, issueToken, openDatabase, QueryCounter, type RunningServer } from '@huanjie/platform';
import { CandidateNominated, cloudEventTypeOf, createKafkaBus, topicOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import type { SubgraphService } from '@huanjie/service-kit';
import { testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

const auth = { secret: 'vetting-integration-test-secret-0123456789' };
const WUHOU_VILLAGE = '51.5101.510107.510107001.510107001002';

/** A CandidateNominated envelope as recordEvent in elections would build it. */
function nomination(eventId: string, data: { candidateId: string; personId: string; regionPath?: string }): EventEnvelope {
  return {
    id: eventId,
    type: cloudEventTypeOf(CandidateNominated),
    name: CandidateNominated.name,
    source: `/huanjie/${CandidateNominated.service}`,
    time: new Date().toISOString(),
    subject: data.candidateId,
    topic: topicOf(CandidateNominated),
    data: CandidateNominated.schema.parse({
      candidateId: data.candidateId,
      electionId: randomUUID(),
      personId: data.personId,
      orgUnitId: randomUUID(),
      regionPath: data.regionPath ?? WUHOU_VILLAGE,
      committeeKind: 'VILLAGERS',
      nominatedBy: 'HOUSEHOLDS',
    }),
  };
}

describe('vetting subgraph against real Postgres and Kafka', () => {
  const counter = new QueryCounter();
  let dataSource: DataSource;
  let bus: EventBus;
  let service: SubgraphService;
  let running: RunningServer;

  const personId = randomUUID();
  const candidateId = randomUUID();
  const otherPersonId = randomUUID();

  async function graphql(query: string, variables: Record<string, unknown>, token: string | null) {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] } };
  }

  const tokenFor = (regionCode: string) => issueToken({ userId: 'u-reviewer', roles: ['REVIEWER'], regionCode, department: 'PUBLIC_SECURITY' }, auth);

  beforeAll(async () => {
    const logger = createLogger({ name: 'vetting-test', level: process.env.LOG_LEVEL ?? 'silent' });
    dataSource = await openDatabase({ url: await testDatabaseUrl('vetting'), entities: [], migrations, logger, queryCounter: counter });
    // One partition: events then arrive in publish order, so a later event being handled proves
    // the earlier duplicate was delivered (and skipped) too.
    bus = createKafkaBus({ brokers: testKafkaBrokers().split(','), clientId: 'vetting-test', topicPrefix: uniqueTopicPrefix(), logger, partitions: 1 });
    service = await createServer({ dataSource, bus, logger, auth });
    running = await service.start(0);
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await dataSource?.destroy();
  });

  it('opens exactly one review for a nomination delivered twice with the same event id', async () => {
    const event = nomination(randomUUID(), { candidateId, personId });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    // A second person's nomination behind the duplicate on the same partition.
    await bus.publish([nomination(randomUUID(), { candidateId: randomUUID(), personId: otherPersonId })]);

    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM review WHERE person_id = $1`, [otherPersonId])).length === 1, {
      timeoutMs: 30_000,
      message: 'the later nomination handled',
    });
    const rows = await dataSource.query(`SELECT status, person_id, region_path, concluded_at FROM review WHERE candidate_id = $1`, [candidateId]);
    expect(rows).toEqual([{ status: 'OPEN', person_id: personId, region_path: WUHOU_VILLAGE, concluded_at: null }]);
    const inbox = await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'vetting.open-review' AND event_id = $1`, [event.id]);
    expect(inbox).toEqual([{ n: 1 }]);
  });

  it('serves the review by id and under Person, resolving many people in one statement', async () => {
    const token = await tokenFor('510107000000'); // 武侯区
    const [{ id }] = await dataSource.query(`SELECT id FROM review WHERE candidate_id = $1`, [candidateId]);

    const one = await graphql(`query($id: ID!) { review(id: $id) { id candidateId status openedAt concludedAt negativeListCodes } }`, { id }, token);
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.review).toMatchObject({ id, candidateId, status: 'OPEN', concludedAt: null, negativeListCodes: [] });
    expect(new Date(one.body.data.review.openedAt).toISOString()).toBe(one.body.data.review.openedAt);

    const reps = [personId, otherPersonId, randomUUID()].map((pid) => ({ __typename: 'Person', id: pid }));
    counter.reset();
    const entities = await graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id reviews { status candidateId } } } }`,
      { r: reps },
      token,
    );
    expect(entities.body.errors).toBeUndefined();
    expect(entities.body.data._entities).toEqual([
      { id: personId, reviews: [{ status: 'OPEN', candidateId }] },
      { id: otherPersonId, reviews: [{ status: 'OPEN', candidateId: expect.any(String) }] },
      { id: reps[2]!.id, reviews: [] },
    ]);
    expect(counter.queries.filter((q) => /FROM review/.test(q))).toHaveLength(1);
  });

  it('hides reviews outside the caller\'s region scope', async () => {
    const token = await tokenFor('510104000000'); // 锦江区: not where the candidate stands
    const res = await graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { reviews { id } } } }`,
      { r: [{ __typename: 'Person', id: personId }] },
      token,
    );
    expect(res.body.data._entities).toEqual([{ reviews: [] }]);
  });

  it('refuses a request without a token with HTTP 401 UNAUTHENTICATED', async () => {
    const res = await graphql(`{ review(id: "${randomUUID()}") { id } }`, {}, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers null, not an internal error, for an id that is not a uuid', async () => {
    const res = await graphql(`{ review(id: "not-a-uuid") { id } }`, {}, await tokenFor('510107000000'));
    expect(res.body).toEqual({ data: { review: null } });
  });
});
