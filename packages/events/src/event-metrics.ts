import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { ConsumerLag, EventBus, SubscribeOptions } from './bus';

/**
 * What operators watch of a service's events, on its /metrics: the outbox (events committed but not
 * yet published, and how old the oldest one is), what the relay published, what each consumer
 * group handled, retried and dead-lettered, and how far each group is behind its topics.
 * The outbox and the lag are read when Prometheus scrapes (one small query, one offsets request).
 */
export function createEventMetrics(registry: Registry, options: { dataSource: DataSource; bus: EventBus; subscriptions: () => readonly SubscribeOptions[] }) {
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events committed to the outbox and not yet published',
    registers: [registry],
    async collect() {
      const [row] = await options.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
      this.set(Number(row?.n ?? 0));
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest event still waiting in the outbox (0 when none waits)',
    registers: [registry],
    async collect() {
      const [row] = await options.dataSource.query(
        `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(occurred_at)), 0)::float8 AS age FROM outbox WHERE published_at IS NULL`,
      );
      this.set(Number(row?.age ?? 0));
    },
  });
  const published = new Counter({ name: 'outbox_published_events_total', help: 'Events the outbox relay published', labelNames: ['topic'], registers: [registry] });
  const handled = new Counter({
    name: 'events_consumed_total',
    help: 'Events delivered to a consumer group, by outcome: handled, failed (an attempt that threw; it is retried), dead_lettered',
    labelNames: ['group', 'topic', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'kafka_consumer_lag',
    help: 'Messages a consumer group has still to handle on a topic (sum over partitions)',
    labelNames: ['group', 'topic'],
    registers: [registry],
    async collect() {
      this.reset();
      const subs = options.subscriptions();
      const lags: ConsumerLag[] | null = await options.bus.consumerLag(subs.map((s) => ({ group: s.group, topics: s.topics }))).catch(() => null);
      // The broker did not answer this scrape: the gauge stays empty rather than failing /metrics.
      if (lags === null) return;
      const sums = new Map<string, { group: string; topic: string; lag: number }>();
      for (const l of lags) {
        const key = `${l.group}\u0000${l.topic}`;
        const sum = sums.get(key) ?? { group: l.group, topic: l.topic, lag: 0 };
        sum.lag += l.lag;
        sums.set(key, sum);
      }
      for (const s of sums.values()) this.set({ group: s.group, topic: s.topic }, s.lag);
    },
  });

  return {
    /** The relay published these events. */
    published(topics: readonly string[]) {
      for (const topic of topics) published.inc({ topic });
    },
    /** A subscription with its handler counted and its dead letters reported. */
    instrument(sub: SubscribeOptions): SubscribeOptions {
      return {
        ...sub,
        handler: async (event) => {
          try {
            await sub.handler(event);
            handled.inc({ group: sub.group, topic: event.topic, outcome: 'handled' });
          } catch (error) {
            handled.inc({ group: sub.group, topic: event.topic, outcome: 'failed' });
            throw error;
          }
        },
        onDeadLetter: (topic, error) => {
          handled.inc({ group: sub.group, topic, outcome: 'dead_lettered' });
          sub.onDeadLetter?.(topic, error);
        },
      };
    },
  };
}

export type EventMetrics = ReturnType<typeof createEventMetrics>;
