import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin } from '@apollo/server';

/** One registry per service, so several services in one process keep separate /metrics. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'route' | 'status'>;
  graphqlErrors: Counter<'code'>;
  /** GraphQL operations by name and type (query / mutation), with their outcome. */
  operationDuration: Histogram<'operation' | 'type' | 'outcome'>;
  /** Gateway only: each fetch from a subgraph while executing a plan. */
  subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics(service: string, options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operations by operation name and type, outcome ok or error',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    subgraphFetchDuration: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Fetches the gateway made to a subgraph while executing query plans',
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors returned to clients, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

/**
 * Operation names come from clients: the label keeps a bounded, plain form of them (letters,
 * digits and _ up to 48 characters) so a hostile client cannot blow up the series count with
 * random names beyond that shape; unnamed operations are 'anonymous'.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  const plain = name.replace(/[^A-Za-z0-9_]/g, '').slice(0, 48);
  return plain || 'anonymous';
}

/** Times every GraphQL operation into `operationDuration`. */
export function operationMetricsPlugin<T extends object>(metrics: Metrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operationDuration.observe(
            { operation: operationLabel(operationName), type: operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'ok' },
            seconds,
          );
        },
      };
    },
  };
}

/** A pg pool's connections (TypeORM's data source for PostgreSQL), read when Prometheus scrapes. */
export function registerPoolMetrics(registry: Registry, pool: () => { totalCount: number; idleCount: number; waitingCount: number } | undefined): void {
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state: total, idle, waiting (clients queued for a connection)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = pool();
      if (!p) return;
      this.set({ state: 'total' }, p.totalCount);
      this.set({ state: 'idle' }, p.idleCount);
      this.set({ state: 'waiting' }, p.waitingCount);
    },
  });
}
