import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';

export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: [string, string][];
}

export interface ReadAllSummary {
  topics: number;
  /** Topics that held at least one message. */
  topicsWithMessages: number;
  partitions: number;
  messages: number;
  /** Messages the partitions held when the read began (high − low watermarks): `messages` must equal it. */
  expected: number;
  ms: number;
}

/** Topic names of a broker, Kafka's internal ones (`__consumer_offsets`, …) left out. */
export async function listUserTopics(brokers: string): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'huanjie-leak-scan', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => !t.startsWith('__'));
  } finally {
    await admin.disconnect();
  }
}

function headerPairs(headers: IHeaders | undefined): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) out.push([name, v.toString()]);
  }
  return out;
}

/**
 * Reads every message of the given topics (default: every topic but Kafka's internal ones) from
 * the beginning up to each partition's high watermark at the start of the read, with one consumer
 * in a group of its own, and hands each to `onMessage`. Fails after `timeoutMs` rather than report
 * a partial read as complete.
 */
export async function readAllMessages(
  brokers: string,
  onMessage: (record: KafkaRecord) => void,
  { topics, timeoutMs = 120_000 }: { topics?: (name: string) => boolean; timeoutMs?: number } = {},
): Promise<ReadAllSummary> {
  const started = Date.now();
  const kafka = new Kafka({ clientId: 'huanjie-leak-scan', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  // partition key `${topic}/${partition}` → the offset after the last message to read.
  const ends = new Map<string, bigint>();
  let all: string[];
  let partitions = 0;
  let expectedMessages = 0;
  try {
    all = (await admin.listTopics()).filter((t) => !t.startsWith('__') && (topics?.(t) ?? true));
    // A few topics at a time: a run leaves hundreds, each asked on its own.
    for (let i = 0; i < all.length; i += 16) {
      const chunk = all.slice(i, i + 16);
      const offsets = await Promise.all(
        chunk.map((topic) =>
          admin.fetchTopicOffsets(topic).catch((error: { type?: string }) => {
            // Deleted since it was listed (a test cleaning up): nothing left to read.
            if (error?.type === 'UNKNOWN_TOPIC_OR_PARTITION') return [];
            throw error;
          }),
        ),
      );
      chunk.forEach((topic, j) => {
        for (const { partition, high, low } of offsets[j]!) {
          partitions++;
          if (BigInt(high) > BigInt(low)) {
            ends.set(`${topic}/${partition}`, BigInt(high));
            expectedMessages += Number(BigInt(high) - BigInt(low));
          }
        }
      });
    }
  } finally {
    await admin.disconnect();
  }
  const withMessages = [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))];
  const expected = ends.size;
  let messages = 0;
  if (expected > 0) {
    const consumer = kafka.consumer({ groupId: `huanjie-leak-scan-${randomUUID()}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    const remaining = new Set(ends.keys());
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: withMessages, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const key = `${batch.topic}/${batch.partition}`;
          const end = ends.get(key);
          if (end === undefined) return;
          for (const message of batch.messages) {
            if (BigInt(message.offset) >= end) break;
            messages++;
            onMessage({
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value?.toString('utf8') ?? null,
              headers: headerPairs(message.headers),
            });
          }
          if (BigInt(batch.lastOffset()) + 1n >= end) {
            remaining.delete(key);
            if (remaining.size === 0) done();
          }
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`leak scan: Kafka read incomplete after ${timeoutMs} ms (${remaining.size} of ${expected} partitions unfinished, ${messages} messages read)`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([finished, timeout]);
      } finally {
        clearTimeout(timer);
      }
    } finally {
      await consumer.disconnect().catch(() => {});
    }
  }
  return { topics: all.length, topicsWithMessages: withMessages.length, partitions, messages, expected: expectedMessages, ms: Date.now() - started };
}
