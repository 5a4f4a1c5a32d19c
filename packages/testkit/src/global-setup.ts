import { startKafka, type KafkaHandle } from './kafka';
import { startPostgres, type PostgresHandle } from './postgres';
import { randomId } from './runtime';

/** Where global-teardown finds the servers: Jest runs both hooks in its main process. */
export const HANDLES = Symbol.for('huanjie.testkit.infra');

export interface InfraHandles {
  postgres?: PostgresHandle;
  kafka?: KafkaHandle;
}

/**
 * Jest globalSetup: ONE PostgreSQL server and ONE Kafka broker for the whole run, started in
 * parallel. Test workers inherit the URLs through the environment.
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
  (globalThis as Record<symbol, unknown>)[HANDLES] = { postgres: postgres.value, kafka: kafka.value } satisfies InfraHandles;
  process.env.HUANJIE_TEST_DATABASE_URL = postgres.value.url;
  process.env.HUANJIE_TEST_KAFKA_BROKERS = kafka.value.brokers;
  // Marks the databases this run creates, so teardown can drop them from an external server.
  process.env.HUANJIE_TEST_RUN_TAG ??= `r${randomId(6)}`;
  // KafkaJS 2 warns about its changed default partitioner on every producer; noise in test output.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\ntest infra: postgres=${postgres.value.kind} kafka=${kafka.value.kind} (started in ${seconds}s)`);
}
