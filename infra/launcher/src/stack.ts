import type { MigrationInterface } from 'typeorm';
import type { DataSource } from 'typeorm';
import {
  createLogger,
  createPiiCipher,
  databaseUrlFor,
  ensureDatabase,
  openDatabase,
  type AuthOptions,
  type Logger,
  type PiiKeys,
  type QueryCounter,
  type RunningServer,
} from '@huanjie/platform';
import { createInProcessBus, createKafkaBus, type EventBus } from '@huanjie/events';
import type { ServiceDeps, SubgraphService } from '@huanjie/service-kit';
import { createGateway, SUBGRAPHS, type SubgraphName } from '@huanjie/gateway';
import * as personnel from '@huanjie/personnel';
import * as vetting from '@huanjie/vetting';
import * as elections from '@huanjie/elections';
import * as complaints from '@huanjie/complaints';
import * as training from '@huanjie/training';

export interface StackOptions {
  /** A PostgreSQL server URL; each service gets its own database on it. */
  postgresUrl: string;
  /** Prepended to each service's database name (tests isolate runs with it). Default: 'huanjie_'. */
  databasePrefix?: string;
  /** Kafka brokers; empty runs every service on one in-process bus. */
  kafkaBrokers: string[];
  /** Default: ''. */
  topicPrefix?: string;
  auth: AuthOptions;
  pii: PiiKeys;
  /**
   * The gateway's credential towards the subgraphs (SUBGRAPH_SHARED_SECRET): given, the subgraphs
   * answer GraphQL only to the gateway. Default: none (tests call subgraphs directly).
   */
  subgraphSecret?: string;
  /** Gateway port; 0 picks a free one. Default: 4000. */
  gatewayPort?: number;
  /** Subgraph ports; 0 picks free ones. Default: 4001–4005. */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  host?: string;
  logLevel?: string;
  /** Called as each step finishes, for a progress line. */
  onProgress?: (step: string) => void;
  /** Counters for the statements a subgraph's data source issues: tests bound what a gateway query costs. */
  queryCounters?: Partial<Record<SubgraphName, QueryCounter>>;
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  dataSources: Record<SubgraphName, DataSource>;
  stop(): Promise<void>;
}

type Factory = {
  migrations: (new () => MigrationInterface)[];
  create: (deps: ServiceDeps, extra: { pii: ReturnType<typeof createPiiCipher> }) => Promise<SubgraphService>;
};

const FACTORIES: Record<SubgraphName, Factory> = {
  personnel: { migrations: personnel.migrations, create: (deps, { pii }) => personnel.createServer({ ...deps, pii }) },
  vetting: { migrations: vetting.migrations, create: (deps) => vetting.createServer(deps) },
  // elections keeps voters' blind index with personnel's index key: one person, one index, across services.
  elections: { migrations: elections.migrations, create: (deps, { pii }) => elections.createServer({ ...deps, pii }) },
  // complaints encrypts identified complainants with the same keys.
  complaints: { migrations: complaints.migrations, create: (deps, { pii }) => complaints.createServer({ ...deps, pii }) },
  training: { migrations: training.migrations, create: (deps) => training.createServer(deps) },
};

/** Starts five subgraphs and the gateway in this process, each service with its own database. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const progress = options.onProgress ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const level = options.logLevel ?? 'info';
  const prefix = options.databasePrefix ?? 'huanjie_';
  const pii = createPiiCipher(options.pii);
  const sharedBus: EventBus | null = options.kafkaBrokers.length ? null : createInProcessBus({ logger: createLogger({ name: 'bus', level }) });

  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
  };
  try {
    const dataSources = {} as Record<SubgraphName, DataSource>;
    const subgraphUrls = {} as Record<SubgraphName, string>;
    // Sequential on purpose: migrations on two cores gain nothing from racing each other.
    for (const { name, port } of SUBGRAPHS) {
      const logger: Logger = createLogger({ name, level });
      const database = `${prefix}${name}`;
      await ensureDatabase(options.postgresUrl, database);
      const dataSource = await openDatabase({
        url: databaseUrlFor(options.postgresUrl, database),
        entities: [],
        migrations: FACTORIES[name].migrations,
        logger,
        queryCounter: options.queryCounters?.[name],
      });
      closers.push(() => dataSource.destroy());
      const bus =
        sharedBus ??
        createKafkaBus({ brokers: options.kafkaBrokers, clientId: name, topicPrefix: options.topicPrefix, logger });
      if (!sharedBus) closers.push(() => bus.close());
      const service = await FACTORIES[name].create({ dataSource, bus, logger, auth: options.auth, gatewaySecret: options.subgraphSecret }, { pii });
      const running: RunningServer = await service.start(options.subgraphPorts?.[name] ?? port, host);
      closers.push(() => service.stop());
      dataSources[name] = dataSource;
      subgraphUrls[name] = running.url;
      progress(`${name} subgraph at ${running.url}`);
    }
    if (sharedBus) closers.unshift(() => sharedBus.close());
    const gateway = await createGateway({ logger: createLogger({ name: 'gateway', level }), auth: options.auth, subgraphUrls, subgraphSecret: options.subgraphSecret });
    const running = await gateway.listen(options.gatewayPort ?? 4000, host);
    closers.push(async () => {
      await running.close();
      await gateway.stop();
    });
    progress(`gateway at ${running.url}`);
    return { gatewayUrl: running.url, subgraphUrls, dataSources, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
