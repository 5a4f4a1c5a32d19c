import { createPiiCipher, generatePiiKeys, nationalIdCheckChar } from '@huanjie/platform';
import { PersonRegistered, topicOf } from '@huanjie/events';
import { graphqlPost, startOwnKafka, startServiceUnderTest, uniqueTopicPrefix, waitFor, type OwnKafkaHandle, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer as createTraining, migrations as trainingMigrations } from '@huanjie/training';
import { readTopic } from './support/kafka-topic';
import { runLoad, seconds, until } from './support/load';
import { createVillageChain } from './support/village';

// Kafka goes down under load and comes back. Personnel registers 2,000 people (registerPerson,
// each a PersonRegistered through its outbox) while the broker is stopped part-way and started
// again later; training consumes personnel.person.v1 (group training.open-training-record: one
// training file per person). Every mutation succeeds while the broker is down (the outbox keeps
// the events), every event reaches Kafka after the restart, and training applies each exactly
// once. The broker is this file's own (startOwnKafka): stopping the run's shared broker would
// break the test files running beside this one.

const TOTAL = 2_000;
const CONCURRENCY = 8;
const HALT_AT = 300;
const RESUME_AT = 1_700;
const GROUP = 'training.open-training-record';
const NOW = new Date('2026-03-02T02:00:00Z');

let kafka: OwnKafkaHandle;
let personnel: ServiceUnderTest;
let training: ServiceUnderTest;

beforeAll(async () => {
  kafka = await startOwnKafka();
  // One topic prefix for both: they talk to each other through the broker.
  const topicPrefix = uniqueTopicPrefix();
  personnel = await startServiceUnderTest({
    name: 'faults_kafka_personnel',
    migrations: personnelMigrations,
    kafkaBrokers: kafka.brokers,
    topicPrefix,
    create: (deps) => createPersonnel({ ...deps, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  training = await startServiceUnderTest({ name: 'faults_kafka_training', migrations: trainingMigrations, kafkaBrokers: kafka.brokers, topicPrefix, create: (deps) => createTraining(deps) });
}, 180_000);

afterAll(async () => {
  // The broker may be down if the test failed half-way: bring it back so the services close quickly.
  await kafka?.resume().catch(() => {});
  await training?.stop();
  await personnel?.stop();
  await kafka?.stop();
}, 60_000);

/** A valid GB 11643 number, one per index: born on consecutive days from 1970-01-01 in 武侯区. */
const idNumber = (i: number) => {
  const birth = new Date(Date.UTC(1970, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `510107${birth}${String(11 + (i % 2)).padStart(3, '0')}`;
  return `${first17}${nationalIdCheckChar(first17)}`;
};

const count = async (service: ServiceUnderTest, sql: string, params: unknown[] = []) => Number((await service.dataSource.query(sql, params))[0].n);

it('keeps every event of 2,000 mutations in the outbox while Kafka is down and applies each exactly once after it is back', async () => {
  const token = await personnel.token(['ORG_ADMIN']);
  const villageId = await createVillageChain(personnel.url, token);

  const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
  const started = Date.now();
  const { progress, finished } = runLoad(TOTAL, CONCURRENCY, async (i) => {
    const res = await graphqlPost<{ registerPerson: { id: string } }>(personnel.url, {
      query: REGISTER,
      variables: { input: { orgUnitId: villageId, name: `村民${i}`, idNumber: idNumber(i), ethnicity: '汉族', education: 'SENIOR_SECONDARY', politicalStatus: 'MASSES' } },
      token,
    });
    if (res.errors?.length || res.status !== 200) throw new Error(`registerPerson ${i}: HTTP ${res.status} ${JSON.stringify(res.errors)}`);
    return res.data!.registerPerson.id;
  });

  // Down part-way through: a clean broker shutdown while the mutations keep coming.
  await until(() => progress.done >= HALT_AT, `${HALT_AT} mutations done`, { timeoutMs: 120_000 });
  const haltStarted = Date.now();
  await kafka.halt();
  const downAt = Date.now();
  const doneWhenDown = progress.done;

  // Back later, still under load.
  await until(() => progress.done >= RESUME_AT, `${RESUME_AT} mutations done`, { timeoutMs: 180_000 });
  const doneWhileDown = progress.done - doneWhenDown;
  const pendingAtResume = await count(personnel, `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
  // Nothing went out while the broker was down (published_at is the relay transaction's start).
  const publishedWhileDown = await count(personnel, `SELECT count(*)::int AS n FROM outbox WHERE published_at > $1`, [new Date(downAt)]);
  const resumeStarted = Date.now();
  await kafka.resume();
  const upAt = Date.now();

  const { results, errors } = await finished;
  const loadMs = Date.now() - started;
  // 1. Every mutation succeeded, the outage notwithstanding.
  expect(errors.filter(Boolean).map(String).slice(0, 3)).toEqual([]);
  expect(new Set(results).size).toBe(TOTAL);
  // While the broker was down the events waited in the outbox: at least every one committed
  // since it stopped.
  expect(publishedWhileDown).toBe(0);
  expect(pendingAtResume).toBeGreaterThanOrEqual(doneWhileDown);

  // 2. Every event delivered after the restart; 3. every effect applied once.
  await waitFor(async () => (await count(personnel, `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)) === 0, {
    timeoutMs: 180_000,
    intervalMs: 250,
    message: 'the outbox drained',
  });
  const publishedMs = Date.now() - upAt;
  await waitFor(async () => (await count(training, `SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [GROUP])) === TOTAL, {
    timeoutMs: 180_000,
    intervalMs: 250,
    message: `training has handled all ${TOTAL} PersonRegistered`,
  });
  const drainedMs = Date.now() - upAt;

  const outbox: { id: string }[] = await personnel.dataSource.query(`SELECT id FROM outbox WHERE type = $1 AND published_at IS NOT NULL`, [`huanjie.personnel.PersonRegistered`]);
  expect(outbox).toHaveLength(TOTAL);
  expect(await count(personnel, `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).toBe(0);
  const eventIds = outbox.map((r) => r.id).sort();

  const inbox: { event_id: string }[] = await training.dataSource.query(`SELECT event_id FROM inbox WHERE consumer = $1`, [GROUP]);
  expect(inbox.map((r) => r.event_id).sort()).toEqual(eventIds);
  const files: { person_id: string }[] = await training.dataSource.query(`SELECT person_id FROM training_record`);
  expect(files.map((r) => r.person_id).sort()).toEqual([...(results as string[])].sort());

  // On the topic: each event at least once (a batch whose acknowledgement was lost may be sent
  // again: at-least-once), and nothing that is not in the outbox.
  const messages = await readTopic(kafka.brokers, `${personnel.topicPrefix}${topicOf(PersonRegistered)}`, (seen) => new Set(seen.map((m) => m.headers.ce_id)).size >= TOTAL, {
    timeoutMs: 60_000,
  });
  expect([...new Set(messages.map((m) => m.headers.ce_id))].sort()).toEqual(eventIds);

  console.log(
    `kafka outage: ${TOTAL} mutations in ${seconds(loadMs)} (concurrency ${CONCURRENCY}), 0 failed; broker stopped after ${doneWhenDown} ` +
      `(stop took ${seconds(downAt - haltStarted)}), ${doneWhileDown} mutations while down, ${pendingAtResume} events waiting in the outbox; ` +
      `restart took ${seconds(upAt - resumeStarted)}; outbox drained ${seconds(publishedMs)} and all applied ${seconds(drainedMs)} after it; ` +
      `${messages.length} messages on the topic for ${TOTAL} events`,
  );
}, 420_000);
