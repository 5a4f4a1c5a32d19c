import type { DataSource, MigrationInterface } from 'typeorm';
import { createLogger, openDatabase, type AuthOptions, type RunningServer } from '@huanjie/platform';
import { createKafkaBus, type EventBus } from '@huanjie/events';
import type { ServiceDeps, SubgraphService } from '@huanjie/service-kit';
import { testDatabaseUrl, testKafkaBrokers } from '@huanjie/testkit';

/** A subgraph a test can kill (as a crash would) and start again on the same port and database. */
export interface KillableSubgraph {
  url: string;
  port: number;
  dataSource: DataSource;
  /** Drops every connection at once and stops listening, then stops the rest (relay, consumers). */
  kill(): Promise<void>;
  /** A new instance of the service on the same port, database and topics: what a restarted process is. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startKillableSubgraph(options: {
  name: string;
  migrations: (new () => MigrationInterface)[];
  create: (deps: ServiceDeps) => Promise<SubgraphService>;
  auth: AuthOptions;
  topicPrefix: string;
}): Promise<KillableSubgraph> {
  const logger = createLogger({ name: `${options.name}-test`, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const dataSource = await openDatabase({ url: await testDatabaseUrl(options.name), entities: [], migrations: options.migrations, logger });
  const bus: EventBus = createKafkaBus({ brokers: testKafkaBrokers().split(','), clientId: `${options.name}-test`, topicPrefix: options.topicPrefix, logger });
  const launch = async (port: number) => {
    const service = await options.create({ dataSource, bus, logger, auth: options.auth });
    const running: RunningServer = await service.start(port);
    return { service, running };
  };
  let current: Awaited<ReturnType<typeof launch>> | null = await launch(0);
  const port = current.running.port;
  const url = current.running.url;
  const handle: KillableSubgraph = {
    url,
    port,
    dataSource,
    async kill() {
      if (!current) return;
      const { service, running } = current;
      current = null;
      // What a crash does to the gateway's connections: reset at once, in-flight requests included.
      running.server.closeAllConnections();
      await running.close();
      await service.stop();
    },
    async restart() {
      if (current) return;
      current = await launch(port);
    },
    async stop() {
      await handle.kill();
      await bus.close();
      await dataSource.destroy();
    },
  };
  return handle;
}
