import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createLogger, openDatabase } from '@huanjie/platform';
import { testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix, waitFor } from '@huanjie/testkit';
import {
  AddOutboxTraceparent1700000000002,
  CreateOutboxAndInbox1700000000001,
  OutboxRelay,
  PersonRegistered,
  createInboxHandler,
  createKafkaBus,
  recordEvent,
  topicOf,
  type EventBus,
  type EventEnvelope,
} from '../src';

class CreateEffect1800000000000 implements MigrationInterface {
  name = 'CreateEffect1800000000000';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE effect (id serial PRIMARY KEY, person_id uuid NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE effect`);
  }
}

const logger = createLogger({ name: 'events-it', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const TOPIC = topicOf(PersonRegistered);
const facts = (personId = randomUUID()) => ({
  personId,
  orgUnitId: randomUUID(),
  orgUnitCode: '510107018003',
  regionPath: '51.5101.510107.510107018.510107018003',
  name: '王秀英',
  gender: 'FEMALE' as const,
  birthDate: '1985-09-23',
  ethnicity: '汉族',
  education: 'COLLEGE',
  collegeOrAbove: true,
  politicalStatus: 'PARTY_MEMBER',
  partyJoinedOn: '2010-07-01',
  professionalBackgrounds: ['SOCIAL_GOVERNANCE'],
  sourceTags: [],
  reserve: false,
  reserveSince: null,
  reserveOrgUnitId: null,
});

let dataSource: DataSource;
let bus: EventBus;
let prefix: string;
let kafka: Kafka;

/** Reads every message of a topic from the beginning until `until` holds. */
async function readTopic(topic: string, until: (seen: { key: string; headers: Record<string, string>; value: string }[]) => boolean) {
  const consumer = kafka.consumer({ groupId: `${prefix}reader-${randomUUID()}` });
  const seen: { key: string; headers: Record<string, string>; value: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${prefix}${topic}`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({
        key: String(message.key),
        value: String(message.value),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  try {
    await waitFor(() => until(seen), { timeoutMs: 30_000 });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

beforeAll(async () => {
  prefix = uniqueTopicPrefix();
  kafka = new Kafka({ clientId: 'events-it', brokers: testKafkaBrokers().split(','), logLevel: 0 });
  dataSource = await openDatabase({ url: await testDatabaseUrl('events'), entities: [], migrations: [CreateOutboxAndInbox1700000000001, AddOutboxTraceparent1700000000002, CreateEffect1800000000000], logger });
  bus = createKafkaBus({ brokers: testKafkaBrokers().split(','), clientId: 'events-it', topicPrefix: prefix, logger });
  await bus.ensureTopics([TOPIC]);
});

afterAll(async () => {
  await bus?.close();
  await dataSource?.destroy();
});

describe('outbox relay', () => {
  it('publishes what committed, in order per aggregate, and never what rolled back', async () => {
    // Two events of one person (same key: same partition, order must hold) and one of another.
    const person = facts();
    const other = facts();
    const ids: string[] = [];
    for (const data of [person, other, { ...person, name: '王秀英(更名)' }]) {
      const event = await dataSource.transaction((m) => recordEvent(m, PersonRegistered, { subject: data.personId, data }));
      ids.push(event.id);
    }
    const rolledBack = facts();
    await expect(
      dataSource.transaction(async (m) => {
        await recordEvent(m, PersonRegistered, { subject: rolledBack.personId, data: rolledBack });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');

    const relay = new OutboxRelay({ dataSource, bus, logger });
    expect(await relay.publishBatch()).toBe(3);
    expect(await relay.publishBatch()).toBe(0);
    const [{ pending }] = await dataSource.query(`SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`);
    expect(pending).toBe(0);

    const seen = await readTopic(TOPIC, (s) => s.length >= 3);
    expect(seen.filter((m) => m.key === person.personId).map((m) => m.headers.ce_id)).toEqual([ids[0], ids[2]]);
    expect(seen.filter((m) => m.key === other.personId).map((m) => m.headers.ce_id)).toEqual([ids[1]]);
    expect(seen.some((m) => m.key === rolledBack.personId)).toBe(false);
    expect(seen[0]!.headers.ce_type).toBe('huanjie.personnel.PersonRegistered');
  });

  it('refuses to record an event outside a transaction or against its contract', async () => {
    await expect(recordEvent(dataSource.manager, PersonRegistered, { subject: 'x', data: facts() })).rejects.toThrow(/inside the transaction/);
    await expect(
      dataSource.transaction((m) => recordEvent(m, PersonRegistered, { subject: 'x', data: { ...facts(), gender: 'X' as never } })),
    ).rejects.toThrow();
  });
});

describe('idempotent consumer', () => {
  it('applies an event delivered twice through Kafka exactly once', async () => {
    const data = facts();
    const event: EventEnvelope = {
      id: randomUUID(),
      type: 'huanjie.personnel.PersonRegistered',
      name: 'PersonRegistered',
      source: '/huanjie/personnel',
      time: new Date().toISOString(),
      subject: data.personId,
      topic: TOPIC,
      data,
    };
    const inbox = createInboxHandler({
      dataSource,
      consumer: 'events-it.effect',
      event: PersonRegistered,
      handle: async (d, m) => {
        await m.query(`INSERT INTO effect (person_id) VALUES ($1)`, [d.personId]);
      },
    });
    let deliveries = 0;
    const sub = await bus.subscribe({
      group: 'events-it.effect',
      topics: [TOPIC],
      handler: async (e) => {
        if (e.id !== event.id) return;
        await inbox(e);
        deliveries++;
      },
    });
    try {
      await bus.publish([event]);
      await bus.publish([event]);
      await waitFor(() => deliveries === 2, { timeoutMs: 30_000 });
    } finally {
      await sub.close();
    }
    const rows = await dataSource.query(`SELECT count(*)::int AS n FROM effect WHERE person_id = $1`, [data.personId]);
    expect(rows[0].n).toBe(1);
  });

  it('sends a message that keeps failing to the dead-letter topic and goes on with the next', async () => {
    const poison = facts();
    const good = facts();
    const handled: string[] = [];
    let dead: Awaited<ReturnType<typeof readTopic>> | undefined;
    const sub = await bus.subscribe({
      group: 'events-it.dlq',
      topics: [TOPIC],
      maxAttempts: 2,
      retryDelayMs: 10,
      handler: async (e) => {
        if (e.subject === poison.personId) throw new Error('the effect cannot be applied');
        handled.push(e.subject);
      },
    });
    try {
      await dataSource.transaction(async (m) => {
        await recordEvent(m, PersonRegistered, { subject: poison.personId, data: poison });
        await recordEvent(m, PersonRegistered, { subject: good.personId, data: good });
      });
      await new OutboxRelay({ dataSource, bus, logger }).publishBatch();
      await waitFor(() => handled.includes(good.personId), { timeoutMs: 30_000 });
      // The two keys may sit on different partitions: the good one being handled says nothing about
      // whether the poison one has been dead-lettered yet, so read the DLQ while the group still runs.
      dead = await readTopic(`${TOPIC}.dlq`, (s) => s.some((m) => m.key === poison.personId));
    } finally {
      await sub.close();
    }
    const letter = dead!.find((m) => m.key === poison.personId)!;
    expect(letter.headers).toMatchObject({ dlq_error: 'Error: the effect cannot be applied', dlq_attempts: '2', dlq_group: 'events-it.dlq' });
    expect(letter.headers.ce_type).toBe('huanjie.personnel.PersonRegistered');
  });
});
