import { Kafka, Partitioners, logLevel as KafkaLogLevel, type Consumer, type Producer, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { deliverWithRetry, describeError, dlqTopic, isTransient, type ConsumerLag, type EventBus, type SubscribeOptions, type Subscription } from './bus';
import { fromKafkaMessage, toKafkaMessage, type EventEnvelope } from './envelope';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /**
   * Prepended to every topic and consumer group, so several deployments (or test files) can share
   * a cluster without seeing each other's events. Default: ''.
   */
  topicPrefix?: string;
  /** Partitions for topics this bus creates. Default: 3. */
  partitions?: number;
  /** Replication factor for topics this bus creates. Default: 1 (single-broker development). */
  replicationFactor?: number;
}

function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      if (level <= KafkaLogLevel.ERROR) logger.error(extra, `kafka: ${message}`);
      else if (level === KafkaLogLevel.WARN) logger.warn(extra, `kafka: ${message}`);
      else logger.debug(extra, `kafka: ${message}`);
    };
}

export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const prefix = options.topicPrefix ?? '';
  const log = options.logger.child({ component: 'kafka-bus' });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: KafkaLogLevel.WARN,
    logCreator: kafkaLogCreator(log),
    retry: { retries: 8, initialRetryTime: 200 },
  });
  // Idempotent producer: broker de-duplicates retried sends; one request in flight keeps order.
  // The murmur2 partitioner (Java client compatible) named explicitly: same key, same partition,
  // for every client of these topics.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let producerReady: Promise<void> | null = null;
  let lagAdmin: ReturnType<typeof kafka.admin> | null = null;
  let lagAdminReady = false;
  /** Each consumer with the signal that tells its waiting deliveries it is closing. */
  const consumers = new Map<Consumer, AbortController>();
  const physical = (topic: string) => `${prefix}${topic}`;
  const logical = (topic: string) => (topic.startsWith(prefix) ? topic.slice(prefix.length) : topic);
  // A failed connect (the broker down when the first event goes out) is forgotten, so the next
  // publish tries again: a rejection kept here would stop the relay for the life of the process.
  const connectProducer = () =>
    (producerReady ??= producer.connect().catch((error: unknown) => {
      producerReady = null;
      throw error;
    }));

  const bus: EventBus = {
    kind: 'kafka',

    async publish(events: EventEnvelope[]) {
      if (events.length === 0) return;
      await connectProducer();
      // Group by topic but keep each topic's order: one sendBatch carries the whole batch.
      const byTopic = new Map<string, ReturnType<typeof toKafkaMessage>[]>();
      for (const event of events) {
        const topic = physical(event.topic);
        const list = byTopic.get(topic) ?? [];
        list.push(toKafkaMessage(event));
        byTopic.set(topic, list);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    },

    async subscribe(sub: SubscribeOptions): Promise<Subscription> {
      // A short fetch wait keeps shutdown quick (disconnect waits for the pending fetch).
      const consumer = kafka.consumer({ groupId: `${prefix}${sub.group}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 1000 });
      const closing = new AbortController();
      consumers.set(consumer, closing);
      await consumer.connect();
      await consumer.subscribe({ topics: sub.topics.map(physical), fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: Math.max(1, sub.partitionsConcurrently ?? 1),
        eachMessage: async ({ topic, message, heartbeat }) => {
          let event: EventEnvelope;
          let failure: { error: unknown; attempts: number } | null;
          try {
            event = fromKafkaMessage(logical(topic), message);
            failure = await deliverWithRetry(sub.handler, event, {
              ...sub,
              signal: closing.signal,
              // Waiting out a database that is away may take long: stay in the group meanwhile.
              sleep: (ms) => sleepBeating(ms, heartbeat, closing.signal),
              onTransient: (error, times) => {
                if (times === 1 || times % 10 === 0) log.warn({ topic, group: sub.group, offset: message.offset, times, error: describeError(error) }, 'event waits: the consumer cannot apply it now');
              },
            });
          } catch (error) {
            // Closing while the event waited: not handled, not committed; delivered again later.
            if (isTransient(error)) throw error;
            failure = { error, attempts: 1 };
          }
          if (!failure) return;
          // Dead-letter it with the reason and move on: one poison message must not stop the group.
          sub.onDeadLetter?.(logical(topic), failure.error);
          log.error({ topic, group: sub.group, offset: message.offset, error: describeError(failure.error) }, 'event dead-lettered');
          await connectProducer();
          await producer.send({
            topic: dlqTopic(topic),
            acks: -1,
            messages: [
              {
                key: message.key,
                value: message.value,
                headers: {
                  ...message.headers,
                  dlq_error: describeError(failure.error).slice(0, 2000),
                  dlq_attempts: String(failure.attempts),
                  dlq_group: sub.group,
                  dlq_original_topic: topic,
                  dlq_original_offset: message.offset,
                },
              },
            ],
          });
        },
      });
      return {
        async close() {
          closing.abort();
          consumers.delete(consumer);
          await consumer.disconnect();
        },
      };
    },

    async ensureTopics(topics: string[]) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const wanted = topics.flatMap((t) => [physical(t), dlqTopic(physical(t))]).filter((t) => !existing.has(t));
        if (wanted.length === 0) return;
        await admin.createTopics({
          waitForLeaders: false, // the loop below waits for leaders itself; kafkajs's own wait races KRaft
          topics: wanted.map((topic) => ({
            topic,
            numPartitions: options.partitions ?? 3,
            replicationFactor: options.replicationFactor ?? 1,
          })),
        });
        // KRaft brokers may answer createTopics before every partition has a leader; producing
        // then fails with "does not host this topic-partition". Wait until metadata shows leaders.
        const deadline = Date.now() + 30_000;
        for (;;) {
          const { topics: meta } = await admin.fetchTopicMetadata({ topics: wanted }).catch(() => ({ topics: [] as { partitions: { leader: number }[] }[] }));
          const led = meta.length === wanted.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
          if (led) break;
          if (Date.now() > deadline) throw new Error(`topics ${wanted.join(', ')} have no partition leaders after 30 s`);
          await new Promise((r) => setTimeout(r, 100));
        }
        log.info({ topics: wanted }, 'topics created');
      } finally {
        await admin.disconnect();
      }
    },

    async consumerLag(groups) {
      if (groups.length === 0) return [];
      lagAdmin ??= kafka.admin();
      if (!lagAdminReady) {
        await lagAdmin.connect();
        lagAdminReady = true;
      }
      const admin = lagAdmin;
      const result: ConsumerLag[] = [];
      const topics = [...new Set(groups.flatMap((g) => g.topics))];
      const newest = new Map<string, Map<number, number>>();
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsets(physical(topic));
        newest.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      }
      for (const { group, topics: groupTopics } of groups) {
        const committed = await admin.fetchOffsets({ groupId: `${prefix}${group}`, topics: groupTopics.map(physical) });
        for (const { topic, partitions } of committed) {
          for (const { partition, offset } of partitions) {
            const high = newest.get(logical(topic))?.get(partition) ?? 0;
            // A group that has committed nothing yet (-1) is behind by everything on the partition.
            const done = Number(offset) < 0 ? 0 : Number(offset);
            result.push({ group, topic: logical(topic), partition, lag: Math.max(0, high - done) });
          }
        }
      }
      return result;
    },

    async close() {
      if (lagAdminReady) await lagAdmin?.disconnect().catch(() => {});
      for (const closing of consumers.values()) closing.abort();
      await Promise.all([...consumers.keys()].map((c) => c.disconnect()));
      consumers.clear();
      if (producerReady) await producer.disconnect();
    },
  };
  return bus;
}

/** Sleeps `ms`, heartbeating the consumer group every second (KafkaJS sends one once its interval is due); cut short when closing. */
async function sleepBeating(ms: number, heartbeat: () => Promise<void>, signal: AbortSignal): Promise<void> {
  const end = Date.now() + ms;
  while (!signal.aborted && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, end - Date.now())));
    await heartbeat().catch(() => {});
  }
}
