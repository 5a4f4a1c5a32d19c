import type { Logger } from 'pino';
import { deliverWithRetry, describeError, dlqTopic, isTransient, type EventBus, type SubscribeOptions, type Subscription } from './bus';
import type { EventEnvelope } from './envelope';

interface Group {
  options: SubscribeOptions;
  queue: EventEnvelope[];
  running: boolean;
  closed: boolean;
  /** Aborted on close: a delivery waiting for its handler's database gives up (the event stays undelivered). */
  closing: AbortController;
}

/**
 * The bus for `npm start` without KAFKA_BROKERS, when every service shares one process. It keeps
 * Kafka's rules that matter to consumers: each group sees each event, in publish order, with the
 * same retries and dead-lettering; delivery is asynchronous to the publisher.
 */
export function createInProcessBus(options: { logger: Logger }): EventBus & { deadLetters: EventEnvelope[]; idle(): Promise<void> } {
  const log = options.logger.child({ component: 'in-process-bus' });
  const groups = new Map<string, Group>();
  const deadLetters: EventEnvelope[] = [];
  let inFlight = new Set<Promise<void>>();

  const drain = async (group: Group) => {
    if (group.running) return;
    group.running = true;
    try {
      while (group.queue.length && !group.closed) {
        const event = group.queue.shift()!;
        let failure: Awaited<ReturnType<typeof deliverWithRetry>>;
        try {
          failure = await deliverWithRetry(group.options.handler, event, { ...group.options, signal: group.closing.signal });
        } catch (error) {
          if (isTransient(error)) break; // closed while it waited
          throw error;
        }
        if (failure) {
          group.options.onDeadLetter?.(event.topic, failure.error);
          log.error({ topic: event.topic, group: group.options.group, error: describeError(failure.error) }, 'event dead-lettered');
          const dead = { ...event, topic: dlqTopic(event.topic) };
          deadLetters.push(dead);
          dispatch([dead]);
        }
      }
    } finally {
      group.running = false;
    }
  };

  const dispatch = (events: EventEnvelope[]) => {
    for (const event of events) {
      for (const group of groups.values()) {
        if (!group.closed && group.options.topics.includes(event.topic)) group.queue.push(event);
      }
    }
    for (const group of groups.values()) {
      if (group.queue.length && !group.running) {
        const p = drain(group);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    }
  };

  return {
    kind: 'in-process',
    deadLetters,
    async publish(events) {
      dispatch(events);
    },
    async subscribe(sub: SubscribeOptions): Promise<Subscription> {
      if (groups.has(sub.group)) throw new Error(`consumer group ${sub.group} is already subscribed`);
      const group: Group = { options: sub, queue: [], running: false, closed: false, closing: new AbortController() };
      groups.set(sub.group, group);
      return {
        async close() {
          group.closed = true;
          group.closing.abort();
          groups.delete(sub.group);
        },
      };
    },
    async ensureTopics() {},
    /** In process, a group's lag is what waits in its queue (one partition per topic). */
    async consumerLag(wanted) {
      return wanted.flatMap(({ group, topics }) => {
        const g = groups.get(group);
        return topics.map((topic) => ({ group, topic, partition: 0, lag: g ? g.queue.filter((e) => e.topic === topic).length : 0 }));
      });
    },
    /** Resolves when every queued event has been handled (for tests and orderly shutdown). */
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    async close() {
      for (const g of groups.values()) {
        g.closed = true;
        g.closing.abort();
      }
      groups.clear();
      inFlight = new Set();
    },
  };
}
