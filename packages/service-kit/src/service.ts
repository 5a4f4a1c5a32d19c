import type { DataSource } from 'typeorm';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import {
  auditLogResolvers,
  auditLogSdl,
  createMetrics,
  createSubgraphApp,
  registerPoolMetrics,
  type AuthOptions,
  type BaseRequestContext,
  type ExtraRoute,
  type Logger,
  type RunningServer,
} from '@huanjie/platform';
import { createEventRuntime, type EventBus, type SubscribeOptions } from '@huanjie/events';

/** What every subgraph needs from its host (main.ts, the launcher or a test). */
export interface ServiceDeps {
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  auth: AuthOptions;
  /** SUBGRAPH_SHARED_SECRET: GraphQL only with the gateway's credential (createSubgraphApp). Default: none. */
  gatewaySecret?: string;
}

export interface SubgraphServiceOptions<TContext extends BaseRequestContext> extends ServiceDeps {
  name: string;
  sdl: string;
  resolvers: GraphQLResolverMap<TContext> | Record<string, unknown>;
  /** Topics this service publishes to through its outbox. */
  publishes: string[];
  subscriptions: SubscribeOptions[];
  extendContext: (base: BaseRequestContext) => TContext;
  /** Routes beside /graphql, e.g. a bulk import (see HttpServerOptions.extraRoutes). Default: none. */
  extraRoutes?: Record<string, ExtraRoute<TContext>>;
}

export interface SubgraphService {
  name: string;
  /** Wakes the outbox relay; call after a transaction that recorded events commits. */
  nudge(): void;
  start(port: number, host?: string): Promise<RunningServer>;
  stop(): Promise<void>;
}

/** A subgraph with its event plumbing: start creates topics, starts the relay and consumers, then listens. */
export async function createSubgraphService<TContext extends BaseRequestContext>(
  options: SubgraphServiceOptions<TContext>,
): Promise<SubgraphService & { app: Awaited<ReturnType<typeof createSubgraphApp<TContext>>> }> {
  const metrics = createMetrics(options.name);
  // TypeORM's PostgreSQL driver keeps its pg Pool as `master`.
  registerPoolMetrics(metrics.registry, () => (options.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master);
  const events = createEventRuntime({
    registry: metrics.registry,
    dataSource: options.dataSource,
    bus: options.bus,
    logger: options.logger,
    publishes: options.publishes,
    subscriptions: options.subscriptions,
  });
  const app = await createSubgraphApp<TContext>({
    name: options.name,
    metrics,
    // The audit query's SDL comes from the platform, the same text for every subgraph but its field name.
    sdl: `${options.sdl}\n${auditLogSdl(options.name, { withPageInfo: false })}`,
    resolvers: withAuditLog(options.name, options.dataSource, options.resolvers) as GraphQLResolverMap<TContext>,
    auth: options.auth,
    logger: options.logger,
    ready: async () => (await options.dataSource.query('SELECT 1 AS ok')).length === 1,
    extendContext: options.extendContext,
    extraRoutes: options.extraRoutes,
    gatewaySecret: options.gatewaySecret,
  });
  let running: RunningServer | null = null;
  return {
    name: options.name,
    app,
    nudge: events.nudge,
    async start(port, host) {
      await events.start();
      running = await app.listen(port, host);
      return running;
    },
    async stop() {
      await running?.close();
      running = null;
      await events.stop();
      await app.stop();
    },
  };
}

/** Every subgraph serves `<name>AuditLog` over its own audit_log (SDL and resolver: platform's audit-query). */
function withAuditLog(name: string, dataSource: DataSource, resolvers: Record<string, unknown>): Record<string, unknown> {
  const query = (resolvers.Query ?? {}) as Record<string, unknown>;
  return { ...resolvers, Query: { ...query, ...auditLogResolvers(name, dataSource) } };
}
