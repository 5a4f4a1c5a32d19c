import { performance } from 'node:perf_hooks';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  OUTBOX_BATCH_SIZE,
  AddOutboxTraceparent1700000000002,
  CreateOutboxAndInbox1700000000001,
  OutboxRelay,
  createKafkaBus,
  nameFromType,
  toKafkaMessage,
  type EventEnvelope,
} from '@huanjie/events';
import { createLogger, databaseUrlFor, ensureDatabase, openDatabase } from '@huanjie/platform';

/**
 * Outbox relay throughput against the ceiling of the same broker: N committed outbox rows in a
 * database of their own, published to Kafka by the services' OutboxRelay (its defaults: batches of
 * OUTBOX_BATCH_SIZE rows, each batch one transaction that locks the rows, one sendBatch with acks=all on the
 * idempotent producer, then marks them published), from start until the last batch is committed;
 * then the very same messages sent by a bare kafkajs producer configured like the bus's (idempotent,
 * one request in flight, acks=all, murmur2 partitioner) in batches of the same size, one after the
 * other. Nobody consumes the topic. The ratio says what the database round trips cost the relay.
 */
export interface RelayBenchOptions {
  postgresUrl: string;
  brokers: string[];
  topicPrefix: string;
  events: number;
  /** Rows per relay batch; also the raw producer's batch. Default: the relay's own default. */
  batchSize?: number;
  say: (line: string) => void;
}

export interface RelayBenchResult {
  events: number;
  batchSize: number;
  payloadBytes: number;
  relay: { seconds: number; eventsPerSecond: number };
  raw: { seconds: number; eventsPerSecond: number };
  /** relay ÷ raw events per second. */
  ratio: number;
}

const TOPIC = 'bench.relay';
const TYPE = 'huanjie.bench.RelayProbe';

/** N rows shaped like personnel's PositionAssigned (about 420 bytes of JSON), committed in one statement. */
async function fill(db: DataSource, topic: string, n: number): Promise<void> {
  await db.query(
    `INSERT INTO outbox (id, topic, type, source, subject, payload, occurred_at)
     SELECT gen_random_uuid(), $1, $2, '/huanjie/bench', s.subject::text,
            jsonb_build_object('role', 'MEMBER', 'termId', gen_random_uuid(), 'personId', gen_random_uuid(), 'startsOn', '2026-03-20',
              'orgUnitId', gen_random_uuid(), 'electionId', NULL, 'positionId', gen_random_uuid(),
              'regionPath', '51.5101.510117.510117001.510117001007', 'committeeId', s.subject, 'committeeKind', 'RESIDENTS', 'n', i),
            now()
       FROM generate_series(1, $3::int) AS i, LATERAL (SELECT gen_random_uuid() AS subject WHERE i > 0) AS s`,
    [topic, TYPE, n],
  );
}

/** Starts a relay and resolves when it has committed `n` events as published; returns the seconds it took. */
async function drain(db: DataSource, bus: ReturnType<typeof createKafkaBus>, n: number, batchSize: number): Promise<number> {
  let published = 0;
  let done: (() => void) | null = null;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const relay = new OutboxRelay({
    dataSource: db,
    bus,
    logger: createLogger({ name: 'bench-relay', level: 'warn' }),
    batchSize,
    onPublished: (topics) => {
      published += topics.length;
      if (published >= n) done?.();
    },
  });
  const t0 = performance.now();
  relay.start();
  const timeout = setTimeout(() => done?.(), 300_000);
  await finished;
  clearTimeout(timeout);
  const seconds = (performance.now() - t0) / 1000;
  await relay.stop();
  if (published < n) throw new Error(`the relay published ${published} of ${n} events within 300 s`);
  return seconds;
}

export async function benchRelay(options: RelayBenchOptions): Promise<RelayBenchResult> {
  const { say } = options;
  const batchSize = options.batchSize ?? OUTBOX_BATCH_SIZE;
  const database = `bench_relay_${Date.now().toString(36)}`;
  await ensureDatabase(options.postgresUrl, database);
  const db = await openDatabase({
    url: databaseUrlFor(options.postgresUrl, database),
    entities: [],
    migrations: [CreateOutboxAndInbox1700000000001, AddOutboxTraceparent1700000000002],
  });
  const logger = createLogger({ name: 'bench-relay', level: 'warn' });
  const bus = createKafkaBus({ brokers: options.brokers, clientId: 'bench-relay', topicPrefix: options.topicPrefix, logger });
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: options.brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await bus.ensureTopics([TOPIC]);
    await producer.connect();

    // Warm-up: connections, metadata, the producer id, the tables' first pages.
    const warm = Math.min(2000, options.events);
    await fill(db, TOPIC, warm);
    await drain(db, bus, warm, batchSize);
    await db.query('DELETE FROM outbox');

    await fill(db, TOPIC, options.events);
    await db.query('ANALYZE outbox');
    say(`  relay: ${options.events.toLocaleString('en-US')} committed outbox rows → Kafka, batches of ${batchSize}…`);
    const relaySeconds = await drain(db, bus, options.events, batchSize);
    const [{ left }] = await db.query(`SELECT count(*)::int AS left FROM outbox WHERE published_at IS NULL`);
    if (left !== 0) throw new Error(`${left} outbox rows left unpublished`);

    // The same messages, as the relay built them, straight from a producer.
    const rows: { id: string; type: string; source: string; subject: string; payload: unknown; occurred_at: Date }[] = await db.query(
      `SELECT id, type, source, subject, payload, occurred_at FROM outbox ORDER BY seq`,
    );
    const topic = `${options.topicPrefix}${TOPIC}`;
    const messages = rows.map((r) =>
      toKafkaMessage({ id: r.id, type: r.type, name: nameFromType(r.type), source: r.source, subject: r.subject, topic: TOPIC, time: r.occurred_at.toISOString(), data: r.payload } as EventEnvelope),
    );
    const payloadBytes = Math.round(messages.reduce((n, m) => n + Buffer.byteLength(m.value as string), 0) / messages.length);
    const send = async (list: typeof messages) => {
      for (let i = 0; i < list.length; i += batchSize) {
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: list.slice(i, i + batchSize) }] });
      }
    };
    await send(messages.slice(0, warm));
    say(`  raw kafkajs: the same ${messages.length.toLocaleString('en-US')} messages, batches of ${batchSize}, one in flight…`);
    const t0 = performance.now();
    await send(messages);
    const rawSeconds = (performance.now() - t0) / 1000;

    const relayRate = options.events / relaySeconds;
    const rawRate = options.events / rawSeconds;
    return {
      events: options.events,
      batchSize,
      payloadBytes,
      relay: { seconds: Math.round(relaySeconds * 100) / 100, eventsPerSecond: Math.round(relayRate) },
      raw: { seconds: Math.round(rawSeconds * 100) / 100, eventsPerSecond: Math.round(rawRate) },
      ratio: Math.round((relayRate / rawRate) * 100) / 100,
    };
  } finally {
    await producer.disconnect().catch(() => {});
    await bus.close().catch(() => {});
    await db.destroy().catch(() => {});
  }
}
