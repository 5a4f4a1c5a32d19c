import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPTURE_DIR_VAR } from '@huanjie/platform/src/capture';
import { listUserTopics } from './kafka-read-all';
import { startKafka, type KafkaHandle } from './kafka';
import { startPostgres, type PostgresHandle } from './postgres';
import { randomId } from './runtime';

/** Where global-teardown finds the servers: Jest runs both hooks in its main process. */
export const HANDLES = Symbol.for('huanjie.testkit.infra');

export interface InfraHandles {
  postgres?: PostgresHandle;
  kafka?: KafkaHandle;
  /** The leak scan's capture directory (undefined with HUANJIE_LEAK_SCAN=0). */
  captureDir?: string;
  /** On a broker we don't own (KAFKA_BROKERS): the topics that existed before the run, left out of the scan. */
  topicsBefore?: Set<string>;
}

/**
 * Jest globalSetup: ONE PostgreSQL server and ONE Kafka broker for the whole run, started in
 * parallel. Test workers inherit the URLs through the environment. Unless HUANJIE_LEAK_SCAN=0,
 * it also opens the run's capture directory for the leak scan (HUANJIE_CAPTURE_DIR; see
 * global-teardown.ts and README "Security").
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const [postgres, kafka] = await Promise.allSettled([startPostgres(), startKafka()]);
  if (postgres.status === 'rejected' || kafka.status === 'rejected') {
    // Don't leave the half that did start running.
    if (postgres.status === 'fulfilled') await postgres.value.stop().catch(() => {});
    if (kafka.status === 'fulfilled') await kafka.value.stop().catch(() => {});
    throw postgres.status === 'rejected' ? postgres.reason : (kafka as PromiseRejectedResult).reason;
  }
  const handles: InfraHandles = { postgres: postgres.value, kafka: kafka.value };
  (globalThis as Record<symbol, unknown>)[HANDLES] = handles;
  process.env.HUANJIE_TEST_DATABASE_URL = postgres.value.url;
  process.env.HUANJIE_TEST_KAFKA_BROKERS = kafka.value.brokers;
  // Marks the databases this run creates, so teardown can drop them from an external server.
  process.env.HUANJIE_TEST_RUN_TAG ??= `r${randomId(6)}`;
  // KafkaJS 2 warns about its changed default partitioner on every producer; noise in test output.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  if (process.env.HUANJIE_LEAK_SCAN !== '0') {
    // One directory per run, always fresh: workers (and any process a test starts) inherit it.
    handles.captureDir = mkdtempSync(join(tmpdir(), 'huanjie-capture-'));
    process.env[CAPTURE_DIR_VAR] = handles.captureDir;
    if (kafka.value.kind === 'external') handles.topicsBefore = new Set(await listUserTopics(kafka.value.brokers));
  } else {
    delete process.env[CAPTURE_DIR_VAR];
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\ntest infra: postgres=${postgres.value.kind} kafka=${kafka.value.kind} (started in ${seconds}s)`);
}
