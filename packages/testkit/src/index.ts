import { createTestDatabase } from './postgres';
import { randomId } from './runtime';

export { startKafka, startOwnKafka, createTopicsAndWait, type KafkaHandle, type OwnKafkaHandle } from './kafka';
export { startPostgres, startOwnPostgres, createTestDatabase, dropTestDatabase, type OwnPostgresHandle, type PostgresHandle } from './postgres';
export { waitFor, type WaitForOptions } from './wait';

function fromGlobalSetup(name: 'HUANJIE_TEST_DATABASE_URL' | 'HUANJIE_TEST_KAFKA_BROKERS'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the testkit global setup did not run. Run tests through the root ` +
        'jest.config.js (`npm test` or `npx jest <path>` from the repository root).',
    );
  }
  return value;
}

/**
 * A fresh, empty database on the run's shared Postgres server; returns its connection URL.
 * The name is `<prefix>_<run tag>_<random>`, so nothing collides across test files and workers.
 */
export async function testDatabaseUrl(prefix: string): Promise<string> {
  const tag = process.env.HUANJIE_TEST_RUN_TAG;
  const stem = prefix.slice(0, 40);
  return createTestDatabase(fromGlobalSetup('HUANJIE_TEST_DATABASE_URL'), tag ? `${stem}_${tag}` : stem);
}

/** Bootstrap servers of the run's shared Kafka broker ("host:port[,host:port]"). */
export function testKafkaBrokers(): string {
  return fromGlobalSetup('HUANJIE_TEST_KAFKA_BROKERS');
}

/** A topic-name prefix unique to the caller, e.g. "tmbx3k2ha7q9x.": tests share one broker. */
export function uniqueTopicPrefix(): string {
  return `t${Date.now().toString(36)}${randomId(6)}.`;
}
export { graphqlPost, errorCodes, type GraphQLResponse } from './graphql';
export { startServiceUnderTest, type ServiceUnderTest } from './service';
export { ruleOf } from './domain';
export { freePort } from './runtime';
export { registerSensitive } from './capture';
