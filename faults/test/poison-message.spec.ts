import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { dlqTopic, envelopeOf, PersonRegistered, toKafkaMessage, topicOf } from '@huanjie/events';
import { startServiceUnderTest, testKafkaBrokers, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer as createTraining, migrations as trainingMigrations } from '@huanjie/training';
import { metricValue, readTopic } from './support/kafka-topic';

// A poison message on a real service's topic: training's consumer of personnel.person.v1 (its
// group `training.open-training-record` opens a person's training file) meets four messages it can
// never handle, between good ones, on one partition. Each lands on personnel.person.v1.dlq with its
// error, the good ones around them are applied exactly once, and the consumer goes on.
// The bus-level rule (retries, dead-letter headers) is tested in
// packages/events/test/outbox-inbox.integration.spec.ts; this is the same rule through a service's
// own consumer, inbox and database.

const GROUP = 'training.open-training-record';
const TOPIC = topicOf(PersonRegistered);

let training: ServiceUnderTest;
let producer: Producer;

const facts = (personId: string) => ({
  personId,
  orgUnitId: randomUUID(),
  orgUnitCode: '510107018003',
  regionPath: '51.5101.510107.510107018.510107018003',
  name: '李桂兰',
  gender: 'FEMALE' as const,
  birthDate: '1979-02-14',
  ethnicity: '汉族',
  education: 'SENIOR_SECONDARY',
  collegeOrAbove: false,
  politicalStatus: 'PARTY_MEMBER',
  partyJoinedOn: '2005-07-01',
  professionalBackgrounds: [],
  sourceTags: [],
  reserve: false,
  reserveSince: null,
  reserveOrgUnitId: null,
});

/** A well-formed PersonRegistered as personnel's relay would publish it. */
const good = () => {
  const personId = randomUUID();
  const event = envelopeOf(PersonRegistered, { subject: personId, data: facts(personId) });
  return { personId, eventId: event.id, message: toKafkaMessage(event) };
};

beforeAll(async () => {
  training = await startServiceUnderTest({ name: 'faults_poison_training', migrations: trainingMigrations, create: (deps) => createTraining(deps), partitions: 1 });
  producer = new Kafka({ clientId: 'faults-poison', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await training?.stop();
});

it('dead-letters four kinds of poison with their errors and applies every good event around them exactly once', async () => {
  const started = Date.now();
  const [g1, g2, g3, g4] = [good(), good(), good(), good()];
  // 1. Not JSON at all (a producer's bug or a corrupt write): no attempt can parse it.
  const notJson = good();
  const notJsonMessage: Message = { ...notJson.message, value: '{"personId": "' };
  // 2. JSON, but breaking the event's contract (no personId): a PermanentError, never retried.
  const broken = good();
  const { personId: _dropped, ...withoutPersonId } = facts(broken.personId);
  const brokenMessage: Message = { ...broken.message, value: JSON.stringify(withoutPersonId) };
  // 3. A ce_time that is no time (the effect stores it as a fact): malformed, never retried.
  const badTime = good();
  const badTimeMessage: Message = { ...badTime.message, headers: { ...badTime.message.headers, ce_time: 'not-a-time' } };
  // 4. A valid event whose effect the database refuses every time (here a rule the test adds to
  //    training_record for that one person; in life, say, a constraint a later migration added):
  //    retried with backoff, then dead-lettered after the last attempt.
  const refused = good();
  await training.dataSource.query(`
    CREATE FUNCTION faults_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.person_id = '${refused.personId}' THEN RAISE EXCEPTION 'training_record refuses this person'; END IF;
      RETURN NEW;
    END $$`);
  await training.dataSource.query(`CREATE TRIGGER faults_refuse BEFORE INSERT ON training_record FOR EACH ROW EXECUTE FUNCTION faults_refuse()`);

  await producer.send({
    topic: `${training.topicPrefix}${TOPIC}`,
    acks: -1,
    messages: [g1.message, notJsonMessage, g2.message, brokenMessage, badTimeMessage, refused.message, g3.message],
  });

  const dead = await readTopic(testKafkaBrokers(), dlqTopic(`${training.topicPrefix}${TOPIC}`), (seen) => seen.length >= 4, { timeoutMs: 45_000 });
  // The consumer went on past all four: a later event is handled too.
  await producer.send({ topic: `${training.topicPrefix}${TOPIC}`, acks: -1, messages: [g4.message] });
  const goodOnes = [g1, g2, g3, g4];
  await waitFor(
    async () => {
      const [row] = await training.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [GROUP]);
      return row.n === goodOnes.length;
    },
    { timeoutMs: 30_000, message: 'the four good events handled' },
  );

  expect(dead).toHaveLength(4);
  const letter = (personId: string) => dead.find((m) => m.key === personId)!.headers;
  expect(letter(notJson.personId)).toMatchObject({
    dlq_error: 'Error: message value is not JSON',
    dlq_attempts: '1',
    dlq_group: GROUP,
    dlq_original_topic: `${training.topicPrefix}${TOPIC}`,
    ce_id: notJson.eventId,
  });
  expect(letter(broken.personId)).toMatchObject({ dlq_attempts: '1', dlq_group: GROUP, ce_id: broken.eventId });
  expect(letter(broken.personId).dlq_error).toMatch(/^Error: PersonRegistered .* breaks its contract: personId /);
  expect(letter(badTime.personId)).toMatchObject({ dlq_error: 'Error: message header ce_time is not an RFC 3339 timestamp', dlq_attempts: '1', dlq_group: GROUP });
  expect(letter(refused.personId)).toMatchObject({ dlq_error: 'QueryFailedError: training_record refuses this person', dlq_attempts: '5', dlq_group: GROUP, ce_id: refused.eventId });
  // The dead letter keeps the original bytes: it can be inspected and replayed.
  expect(dead.find((m) => m.key === notJson.personId)!.value).toBe('{"personId": "');

  // Each good event applied exactly once; nothing of the poison left a trace in the service.
  const inbox: { event_id: string }[] = await training.dataSource.query(`SELECT event_id FROM inbox WHERE consumer = $1 ORDER BY handled_at`, [GROUP]);
  expect(inbox.map((r) => r.event_id).sort()).toEqual(goodOnes.map((g) => g.eventId).sort());
  const records: { person_id: string }[] = await training.dataSource.query(`SELECT person_id FROM training_record`);
  expect(records.map((r) => r.person_id).sort()).toEqual(goodOnes.map((g) => g.personId).sort());

  // What an operator sees on /metrics.
  expect(await metricValue(training.url, 'events_consumed_total', { group: GROUP, outcome: 'dead_lettered' })).toBe(4);
  expect(await metricValue(training.url, 'events_consumed_total', { group: GROUP, outcome: 'handled' })).toBe(4);
  console.log(`poison message: 4 dead-lettered, 4 handled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 90_000);
