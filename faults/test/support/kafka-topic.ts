import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '@huanjie/testkit';

export interface TopicMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
  offset: string;
}

/**
 * Every message of a topic from the beginning, read by a throwaway group until `until` holds
 * (then a short grace, so a message beyond the expected count would be seen too).
 */
export async function readTopic(
  brokers: string,
  topic: string,
  until: (seen: readonly TopicMessage[]) => boolean,
  { timeoutMs = 30_000, graceMs = 500 } = {},
): Promise<TopicMessage[]> {
  const kafka = new Kafka({ clientId: 'faults-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `faults-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const seen: TopicMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({
          key: String(message.key),
          value: String(message.value),
          offset: message.offset,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    await waitFor(() => until(seen), { timeoutMs, intervalMs: 100, message: `messages on ${topic} (${seen.length} so far)` });
    await new Promise((resolve) => setTimeout(resolve, graceMs));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** The value of one sample of a Prometheus text exposition, e.g. events_consumed_total{group="g",outcome="handled"}. */
export async function metricValue(serviceUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(serviceUrl.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const matches = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (matches) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** How many messages a topic holds (the sum of its partitions' high watermarks; nothing is deleted in a test). */
export async function topicMessageCount(brokers: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'faults-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}
