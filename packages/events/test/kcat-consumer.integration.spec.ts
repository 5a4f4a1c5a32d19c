// Another department's view of a topic: an event goes out through the platform's real path
// (outbox → OutboxRelay → Kafka bus) and is read back with kcat (librdkafka, not kafkajs); the
// CloudEvents headers are checked and the payload is validated against the published JSON Schema
// file in proto-docs/, the way proto-docs/CONSUMING.md tells consumers to do it.
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { createLogger, openDatabase } from '@huanjie/platform';
import { testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix } from '@huanjie/testkit';
import { AddOutboxTraceparent1700000000002, CreateOutboxAndInbox1700000000001, OutboxRelay, PersonRegistered, createKafkaBus, recordEvent, topicOf, type EventBus } from '../src';
import { exampleMessageOf } from '../src/docs/contract-docs';

const logger = createLogger({ name: 'kcat-it', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const TOPIC = topicOf(PersonRegistered);
const schemaFile = join(__dirname, '..', '..', '..', 'proto-docs', 'events', TOPIC, `${PersonRegistered.name}.schema.json`);

/** kcat's -J output: one JSON object per message; headers as a flat [name, value, name, value, …] list. */
interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

function requireKcat(): void {
  const probe = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'kcat is not installed (this test consumes with a client other than kafkajs). Install the Debian package: ' +
        '`sudo apt-get install -y kcat` (CI does it in .ci/run).',
    );
  }
}

let dataSource: DataSource;
let bus: EventBus;
let prefix: string;

beforeAll(async () => {
  requireKcat();
  prefix = uniqueTopicPrefix();
  dataSource = await openDatabase({ url: await testDatabaseUrl('kcat'), entities: [], migrations: [CreateOutboxAndInbox1700000000001, AddOutboxTraceparent1700000000002], logger });
  bus = createKafkaBus({ brokers: testKafkaBrokers().split(','), clientId: 'kcat-it', topicPrefix: prefix, logger });
  await bus.ensureTopics([TOPIC]);
});

afterAll(async () => {
  await bus?.close();
  await dataSource?.destroy();
});

it('kcat reads a published event with its CloudEvents headers and a payload valid under the published JSON Schema', async () => {
  const data = { ...exampleMessageOf(PersonRegistered).payload, personId: randomUUID() } as z.input<typeof PersonRegistered.schema>;
  const event = await dataSource.transaction((m) => recordEvent(m, PersonRegistered, { subject: data.personId, data }));
  expect(await new OutboxRelay({ dataSource, bus, logger }).publishBatch()).toBe(1);

  const { stdout } = await promisify(execFile)(
    'kcat',
    ['-C', '-b', testKafkaBrokers(), '-t', `${prefix}${TOPIC}`, '-o', 'beginning', '-c', '1', '-e', '-q', '-J'],
    { timeout: 30_000 },
  );
  const message = JSON.parse(stdout.trim().split('\n')[0]!) as KcatMessage;
  const flat = message.headers ?? [];
  const headers = Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : [])));

  expect(message.key).toBe(data.personId);
  expect(headers).toEqual(
    expect.objectContaining({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'huanjie.personnel.PersonRegistered',
      ce_source: '/huanjie/personnel',
      ce_subject: data.personId,
      'content-type': 'application/json',
    }),
  );
  expect(new Date(headers.ce_time!).toISOString()).toBe(headers.ce_time);

  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  const payload = JSON.parse(message.payload ?? 'null');
  expect({ valid: validate(payload), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  expect(payload).toEqual(data);
});
