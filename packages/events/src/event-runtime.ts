import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createEventMetrics } from './event-metrics';
import { traced } from './event-tracing';
import type { EventBus, SubscribeOptions, Subscription } from './bus';
import { OutboxRelay } from './outbox.relay';

export interface EventRuntimeOptions {
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  /** Topics this service publishes to (created with their .dlq twins). */
  publishes: string[];
  /** Consumers this service runs. Their topics are created too, so start order does not matter. */
  subscriptions: SubscribeOptions[];
  /** Outbox poll interval. Default: 250 ms. */
  pollIntervalMs?: number;
  /** The service's metrics registry: outbox backlog and age, published, consumed, dead-lettered, lag. */
  registry?: Registry;
}

/** A service's event plumbing: topics, the outbox relay, and its consumers, started and stopped together. */
export function createEventRuntime(options: EventRuntimeOptions) {
  const metrics = options.registry
    ? createEventMetrics(options.registry, { dataSource: options.dataSource, bus: options.bus, subscriptions: () => options.subscriptions })
    : null;
  const relay = new OutboxRelay({
    dataSource: options.dataSource,
    bus: options.bus,
    logger: options.logger.child({ component: 'outbox-relay' }),
    pollIntervalMs: options.pollIntervalMs,
    onPublished: metrics ? (topics) => metrics.published(topics) : undefined,
  });
  let subscriptions: Subscription[] = [];
  return {
    relay,
    /** Wake the relay after a commit that wrote to the outbox. */
    nudge: () => relay.nudge(),
    async start() {
      const topics = [...new Set([...options.publishes, ...options.subscriptions.flatMap((s) => s.topics)])];
      await options.bus.ensureTopics(topics);
      relay.start();
      subscriptions = await Promise.all(options.subscriptions.map((s) => options.bus.subscribe(traced(metrics ? metrics.instrument(s) : s))));
    },
    async stop() {
      await Promise.all(subscriptions.map((s) => s.close()));
      subscriptions = [];
      await relay.stop();
    },
  };
}
