import type { MigrationInterface } from 'typeorm';
import type { z } from 'zod';
import { createLogger, loadConfig, openDatabase, requireSubgraphSecretInProduction, runMain, startTracing, stopTracing, type ServiceEnv } from '@huanjie/platform';
import { createBus } from '@huanjie/events';
import type { ServiceDeps, SubgraphService } from './service';

/**
 * The entry point of a subgraph running on its own (a container): validate the environment,
 * migrate the database, connect the bus, start, and close everything in order on SIGTERM.
 * With `--migrate-only` (the Kubernetes migration Job) it applies the pending migrations and exits.
 */
export function runSubgraphMain<S extends z.ZodType<ServiceEnv>>(options: {
  name: string;
  envSchema: S;
  migrations: (new () => MigrationInterface)[];
  create: (deps: ServiceDeps, env: z.infer<S>) => Promise<SubgraphService>;
}): void {
  runMain(options.name, async () => {
    const env = loadConfig(options.envSchema);
    startTracing({ serviceName: options.name });
    const logger = createLogger({ name: options.name, level: env.LOG_LEVEL });
    const timeouts = { connectMs: env.DATABASE_CONNECT_TIMEOUT_MS, statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS, queryMs: env.DATABASE_QUERY_TIMEOUT_MS };
    const dataSource = await openDatabase({ url: env.DATABASE_URL, entities: [], migrations: options.migrations, logger, timeouts });
    if (process.argv.includes('--migrate-only')) {
      logger.info('migrations applied (--migrate-only): exiting');
      await dataSource.destroy();
      return [];
    }
    // Checked after --migrate-only, so the migration Job needs no gateway credential.
    requireSubgraphSecretInProduction(env);
    const bus = createBus({ brokers: env.KAFKA_BROKERS, clientId: options.name, topicPrefix: env.KAFKA_TOPIC_PREFIX, logger });
    const auth = { secret: env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
    const service = await options.create({ dataSource, bus, logger, auth, gatewaySecret: env.SUBGRAPH_SHARED_SECRET }, env);
    const running = await service.start(env.PORT, env.HOST);
    logger.info({ url: running.url }, `${options.name} subgraph ready`);
    // Closed in reverse: the service first, tracing last (its spans flushed).
    return [
      { name: 'tracing', close: () => stopTracing() },
      { name: 'database', close: () => dataSource.destroy() },
      { name: 'bus', close: () => bus.close() },
      { name: 'service', close: () => service.stop() },
    ];
  });
}
