import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createTopicsAndWait, dropTestDatabase, testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix, waitFor } from '../src';

describe('shared test infrastructure', () => {
  it('gives each caller a fresh Postgres database that answers queries', async () => {
    const url = await testDatabaseUrl('testkit');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
      expect(rows).toEqual([{ one: 1, db: new URL(url).pathname.slice(1) }]);
      // Fresh means empty: no user tables yet.
      const tables = await client.query(`select 1 from information_schema.tables where table_schema = 'public'`);
      expect(tables.rowCount).toBe(0);
    } finally {
      await client.end();
    }
    await dropTestDatabase(process.env.HUANJIE_TEST_DATABASE_URL!, url);
  });

  it('round-trips a message through the shared Kafka broker on an explicitly created topic', async () => {
    const kafka = new Kafka({ clientId: 'testkit-spec', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    const topic = `${uniqueTopicPrefix()}roundtrip`;
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    // A short fetch wait: KafkaJS's disconnect() waits out the pending long-poll (default 5 s).
    const consumer = kafka.consumer({ groupId: `${topic}.group`, maxWaitTimeInMs: 100 });
    try {
      await admin.connect();
      await createTopicsAndWait(admin, [{ topic, numPartitions: 3 }]);
      expect(await admin.listTopics()).toContain(topic);

      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'election-1', value: 'hello', headers: { ce_type: 'test' } }] });

      const received: { key?: string; value?: string; header?: string }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString(), value: message.value?.toString(), header: message.headers?.ce_type?.toString() });
        },
      });
      await waitFor(() => received.length > 0, { timeoutMs: 30_000, message: 'message consumed' });
      expect(received).toEqual([{ key: 'election-1', value: 'hello', header: 'test' }]);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
