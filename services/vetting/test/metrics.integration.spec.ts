import { randomUUID } from 'node:crypto';
import { CandidateNominated, envelopeOf, topicOf, type EventEnvelope } from '@huanjie/events';
import { graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

// What an operator sees on a running subgraph's /metrics: the outbox and the consumers moving
// after work arrives. Vetting consumes CandidateNominated (opens a review) and publishes ReviewOpened.
let sut: ServiceUnderTest;

/** Every sample of the exposition, as "name{labels}" → value (labels in the order printed). */
async function scrape(): Promise<Map<string, number>> {
  const text = await (await fetch(sut.url.replace(/\/graphql$/, '/metrics'))).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    // The service label is on every sample; leave it out of the key.
    const key = line.slice(0, cut).replace('service="vetting"', '').replace('{,', '{').replace(',}', '}').replace(',,', ',').replace('{}', '');
    samples.set(key, Number(line.slice(cut + 1)));
  }
  return samples;
}
const value = (samples: Map<string, number>, key: string) => samples.get(key) ?? 0;

const nomination = (data: Partial<Record<string, unknown>> = {}): EventEnvelope =>
  envelopeOf(CandidateNominated, {
    subject: randomUUID(),
    data: {
      candidateId: randomUUID(),
      electionId: randomUUID(),
      personId: randomUUID(),
      orgUnitId: randomUUID(),
      regionPath: '51.5101.510107.510107018.510107018003',
      committeeKind: 'RESIDENTS',
      nominatedBy: 'HOUSEHOLDS',
      role: 'MEMBER',
      ...data,
    } as never,
  });

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'vetting_metrics', migrations, create: (deps) => createServer(deps), partitions: 1 });
  await sut.bus.ensureTopics([topicOf(CandidateNominated)]);
});

afterAll(async () => {
  await sut?.stop();
});

it('shows the outbox, the consumer, the lag, dead letters, the pool and operations moving', async () => {
  const HANDLED = 'events_consumed_total{group="vetting.open-review",topic="elections.candidate.v1",outcome="handled"}';
  const DEAD = 'events_consumed_total{group="vetting.open-review",topic="elections.candidate.v1",outcome="dead_lettered"}';
  const PUBLISHED = 'outbox_published_events_total{topic="vetting.review.v1"}';
  const before = await scrape();
  expect(before.has('outbox_pending_events')).toBe(true);

  // One nomination: consumed once, a review opened, ReviewOpened published by the relay.
  const event = nomination();
  await sut.bus.publish([event]);
  await waitFor(async () => value(await scrape(), PUBLISHED) === value(before, PUBLISHED) + 1, { timeoutMs: 30_000, message: 'ReviewOpened published' });
  const after = await scrape();
  expect(value(after, HANDLED)).toBe(value(before, HANDLED) + 1);
  expect(value(after, 'outbox_pending_events')).toBe(0);
  expect(value(after, 'outbox_oldest_pending_age_seconds')).toBe(0);
  await waitFor(async () => (await scrape()).get('kafka_consumer_lag{group="vetting.open-review",topic="elections.candidate.v1"}') === 0, {
    timeoutMs: 30_000,
    message: 'the group caught up (lag 0)',
  });

  // A payload that breaks the contract goes to the dead-letter topic at once, and is counted.
  const broken = { ...nomination(), data: { candidateId: 'not-a-uuid' } };
  await sut.bus.publish([broken as EventEnvelope]);
  await waitFor(async () => value(await scrape(), DEAD) === value(before, DEAD) + 1, { timeoutMs: 30_000, message: 'the broken event dead-lettered' });

  // The pool and a GraphQL operation by name.
  await graphqlPost(sut.url, { query: 'query ReviewById($id: ID!) { review(id: $id) { id } }', variables: { id: randomUUID() }, token: await sut.token(['AUDITOR']) });
  const last = await scrape();
  expect(value(last, 'db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
  expect(value(last, 'graphql_operation_duration_seconds_count{operation="ReviewById",type="query",outcome="ok"}')).toBe(1);
});
