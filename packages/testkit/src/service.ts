import type { DataSource, MigrationInterface } from 'typeorm';
import { QueryCounter, createLogger, issueToken, openDatabase, type AuthOptions, type DatabaseTimeouts, type Logger, type Role } from '@huanjie/platform';
import { createKafkaBus, type EventBus } from '@huanjie/events';
import type { ServiceDeps, SubgraphService } from '@huanjie/service-kit';
import { testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix } from './index';

export interface ServiceUnderTest {
  dataSource: DataSource;
  bus: EventBus;
  /** The subgraph's GraphQL URL. */
  url: string;
  topicPrefix: string;
  /** Counts every statement on the service's data source (see QueryCounter.queries). */
  counter: QueryCounter;
  auth: AuthOptions;
  logger: Logger;
  /** A signed token for the given roles and region (nationwide by default). */
  token(roles: Role[], regionCode?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * One subgraph on a fresh database of the run's PostgreSQL server and a fresh topic prefix on its
 * Kafka broker, started on a free port. `partitions: 1` makes a topic's events arrive in publish
 * order, so a later event's effect proves an earlier duplicate was delivered (and skipped).
 */
export async function startServiceUnderTest(options: {
  name: string;
  migrations: (new () => MigrationInterface)[];
  create: (deps: ServiceDeps) => Promise<SubgraphService>;
  partitions?: number;
  /** Default: silent unless TEST_LOG_LEVEL is set. Pass one to inspect what the service logs. */
  logger?: Logger;
  /** Another broker than the run's (a test's own, see startOwnKafka). Default: the run's broker. */
  kafkaBrokers?: string;
  /** Services that talk to each other share one. Default: a fresh prefix. */
  topicPrefix?: string;
  /** The database's URL (a test's own server, see startOwnPostgres). Default: a fresh database on the run's server. */
  databaseUrl?: string;
  /** Default: the platform's (DATABASE_TIMEOUT_DEFAULTS). */
  databaseTimeouts?: DatabaseTimeouts;
}): Promise<ServiceUnderTest> {
  const logger = options.logger ?? createLogger({ name: `${options.name}-test`, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const auth = { secret: `${options.name}-integration-test-secret-0123456789` };
  const counter = new QueryCounter();
  const topicPrefix = options.topicPrefix ?? uniqueTopicPrefix();
  const databaseUrl = options.databaseUrl ?? (await testDatabaseUrl(options.name));
  const dataSource = await openDatabase({ url: databaseUrl, entities: [], migrations: options.migrations, logger, queryCounter: counter, timeouts: options.databaseTimeouts });
  const brokers = (options.kafkaBrokers ?? testKafkaBrokers()).split(',');
  const bus = createKafkaBus({ brokers, clientId: `${options.name}-test`, topicPrefix, logger, partitions: options.partitions });
  const service = await options.create({ dataSource, bus, logger, auth });
  const { url } = await service.start(0);
  return {
    dataSource,
    bus,
    url,
    topicPrefix,
    counter,
    auth,
    logger,
    token: (roles, regionCode = '000000000000') => issueToken({ userId: `${roles[0]}@${regionCode}`, roles, regionCode }, auth),
    async stop() {
      await service.stop();
      await bus.close();
      await dataSource.destroy();
    },
  };
}
