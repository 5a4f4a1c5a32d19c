import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger, InMemorySpanExporter, issueToken, startTracing, stopTracing, type AuthOptions } from '@huanjie/platform';
import { CandidateNominated, envelopeOf, ReviewOpened, topicOf } from '@huanjie/events';
import { composeSupergraph, createGateway } from '@huanjie/gateway';
import { graphqlPost, startServiceUnderTest, testKafkaBrokers, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

// One trace from the gateway into a subgraph and on through Kafka: the gateway's request span, its
// fetch span, the subgraph's request span, the event the mutation recorded (ce_traceparent on the
// Kafka message), and a consumer's span under the event's trace. Log lines carry the trace id.
const exporter = new InMemorySpanExporter();
const auth: AuthOptions = { secret: 'vetting-tracing-test-secret-0123456789abcdef' };
const lines: Record<string, unknown>[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let vetting: ServiceUnderTest;
let gateway: Awaited<ReturnType<typeof createGateway>>;
let gatewayUrl: string;
let stopGateway: () => Promise<void>;
const traceIdOf = (traceparent: string) => traceparent.split('-')[1];

beforeAll(async () => {
  startTracing({ serviceName: 'tracing-test', exporter });
  const logger = createLogger({ name: 'vetting-tracing', level: 'info', destination: capture });
  vetting = await startServiceUnderTest({ name: 'vetting_tracing', migrations, create: (deps) => createServer({ ...deps, auth }), partitions: 1, logger });
  gateway = await createGateway({
    logger: createLogger({ name: 'gateway-test', level: 'silent' }),
    auth,
    supergraphSdl: composeSupergraph(join(__dirname, '..', '..', '..')),
    subgraphUrls: { vetting: vetting.url },
  });
  const running = await gateway.listen(0, '127.0.0.1');
  gatewayUrl = running.url;
  stopGateway = running.close;
  await vetting.bus.ensureTopics([topicOf(CandidateNominated)]);
}, 60_000);

afterAll(async () => {
  await stopGateway?.();
  await gateway?.stop();
  await vetting?.stop();
  await stopTracing();
  trace.disable();
  propagation.disable();
  context.disable();
});

it('follows a mutation from the gateway into the subgraph and onto the Kafka message it caused', async () => {
  const token = await issueToken({ userId: 'org-admin', roles: ['ORG_ADMIN'], regionCode: '510107000000' }, auth);
  const candidateId = randomUUID();
  const res = await graphqlPost<{ openReview: { id: string } }>(gatewayUrl, {
    query: `mutation($input: OpenReviewInput!) { openReview(input: $input) { id } }`,
    variables: { input: { candidateId, electionId: randomUUID(), personId: randomUUID(), orgUnitId: randomUUID(), orgUnitCode: '510107018003' } },
    token,
  });
  expect(res.errors).toBeUndefined();

  // The spans of the request: one trace through gateway and subgraph.
  await waitFor(() => exporter.getFinishedSpans().some((s) => s.name.startsWith('POST /graphql') && s.kind === 1 && s.parentSpanContext !== undefined), { timeoutMs: 10_000, message: 'the subgraph span' });
  const spans = exporter.getFinishedSpans();
  const fetch = spans.find((s) => s.name === 'fetch vetting')!;
  expect(fetch).toBeDefined();
  const traceId = fetch.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const servers = inTrace.filter((s) => s.name === 'POST /graphql');
  expect(servers).toHaveLength(2); // the gateway's and vetting's
  const subgraphServer = servers.find((s) => s.parentSpanContext?.spanId === fetch.spanContext().spanId);
  expect(subgraphServer).toBeDefined();

  // The event the mutation recorded carries the trace on Kafka.
  const kafka = new Kafka({ clientId: 'tracing-test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${vetting.topicPrefix}trace-reader-${randomUUID()}` });
  const seen: { traceparent?: string; id?: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${vetting.topicPrefix}${topicOf(ReviewOpened)}`, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push({ traceparent: message.headers?.ce_traceparent?.toString(), id: message.headers?.ce_id?.toString() }) });
  try {
    await waitFor(() => seen.length > 0, { timeoutMs: 30_000, message: 'ReviewOpened on Kafka' });
  } finally {
    await consumer.disconnect();
  }
  expect(traceIdOf(seen[0]!.traceparent!)).toBe(traceId);

  // Log lines of the request carry the trace id.
  expect(lines.some((l) => l.trace_id === traceId)).toBe(true);
});

it('runs a consumer in a span under the trace the event carries, and passes the trace on to what it records', async () => {
  const traceparent = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`;
  const event = envelopeOf(CandidateNominated, {
    subject: randomUUID(),
    data: {
      candidateId: randomUUID(),
      electionId: randomUUID(),
      personId: randomUUID(),
      orgUnitId: randomUUID(),
      regionPath: '51.5101.510107.510107018.510107018003',
      committeeKind: 'RESIDENTS',
      nominatedBy: 'HOUSEHOLDS',
    },
  });
  await vetting.bus.publish([{ ...event, traceparent }]);
  await waitFor(() => exporter.getFinishedSpans().some((s) => s.name === 'consume CandidateNominated' && s.spanContext().traceId === 'ab'.repeat(16)), {
    timeoutMs: 30_000,
    message: 'the consumer span',
  });
  const consume = exporter.getFinishedSpans().find((s) => s.name === 'consume CandidateNominated' && s.spanContext().traceId === 'ab'.repeat(16))!;
  expect(consume.parentSpanContext?.spanId).toBe('cd'.repeat(8));
  const [row] = await vetting.dataSource.query(`SELECT traceparent FROM outbox WHERE type = 'huanjie.vetting.ReviewOpened' AND payload->>'candidateId' = $1`, [event.data.candidateId]);
  expect(traceIdOf(row.traceparent)).toBe('ab'.repeat(16));
});
