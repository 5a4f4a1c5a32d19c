import { readdir, readFile } from 'node:fs/promises';
import { createPiiCipher, generatePiiKeys, nationalIdCheckChar, type DatabaseTimeouts } from '@huanjie/platform';
import { PersonRegistered, dlqTopic, topicOf } from '@huanjie/events';
import {
  createTestDatabase,
  graphqlPost,
  startOwnPostgres,
  startServiceUnderTest,
  testKafkaBrokers,
  uniqueTopicPrefix,
  waitFor,
  type GraphQLResponse,
  type OwnPostgresHandle,
  type ServiceUnderTest,
} from '@huanjie/testkit';
import { createServer as createElections, migrations as electionsMigrations } from '@huanjie/elections';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer as createTraining, migrations as trainingMigrations } from '@huanjie/training';
import { topicMessageCount } from './support/kafka-topic';
import { seconds } from './support/load';
import { createVillageChain } from './support/village';

// PostgreSQL restarted, then frozen, under two services (training and elections) whose databases
// live on this file's own server (startOwnPostgres: the run's shared server stays undisturbed).
// Personnel, on the shared server, keeps registering people meanwhile, so training's consumer meets
// PersonRegistered events it cannot apply while its database is away. The services say they are not
// ready (/readyz 503), every request gets an answer within the timeouts (none hangs), they recover
// by themselves when the server is back, and no event is lost or applied twice.

/** Small limits, so the test is quick; the defaults are 10 s / 30 s / 35 s (DATABASE_TIMEOUT_DEFAULTS). */
const TIMEOUTS: DatabaseTimeouts = { connectMs: 1_000, statementMs: 2_000, queryMs: 3_000 };
/** The longest any answer may take while the database is away: the longest timeout, plus slack for a loaded machine. */
const BOUND_MS = 3_000 + 4_000;
const GROUP = 'training.open-training-record';
const NOW = new Date('2026-03-02T02:00:00Z');

let pg: OwnPostgresHandle;
let training: ServiceUnderTest;
let elections: ServiceUnderTest;
let personnel: ServiceUnderTest;
let cycleId: string;
let villageId: string;
let frozen: number[] = [];
const registered: string[] = [];

beforeAll(async () => {
  pg = await startOwnPostgres();
  const topicPrefix = uniqueTopicPrefix();
  training = await startServiceUnderTest({
    name: 'faults_pg_training',
    migrations: trainingMigrations,
    topicPrefix,
    databaseUrl: await createTestDatabase(pg.url, 'faults_pg_training'),
    databaseTimeouts: TIMEOUTS,
    create: (deps) => createTraining(deps),
  });
  elections = await startServiceUnderTest({
    name: 'faults_pg_elections',
    migrations: electionsMigrations,
    databaseUrl: await createTestDatabase(pg.url, 'faults_pg_elections'),
    databaseTimeouts: TIMEOUTS,
    create: (deps) => createElections({ ...deps, now: () => NOW }),
  });
  personnel = await startServiceUnderTest({
    name: 'faults_pg_personnel',
    migrations: personnelMigrations,
    topicPrefix,
    create: (deps) => createPersonnel({ ...deps, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  const admin = await personnel.token(['ORG_ADMIN']);
  villageId = await createVillageChain(personnel.url, admin);
  const cycle = await graphqlPost<{ createElectionCycle: { id: string } }>(elections.url, {
    query: `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`,
    variables: { input: { name: '2026年武侯区村(社区)两委换届', regionCode: '510107000000', termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' } },
    token: await elections.token(['ORG_ADMIN']),
  });
  cycleId = cycle.data!.createElectionCycle.id;
}, 180_000);

afterAll(async () => {
  await thaw();
  await pg?.resume().catch(() => {});
  await personnel?.stop();
  await elections?.stop();
  await training?.stop();
  await pg?.stop();
}, 60_000);

/** Registers one person in personnel (its database is not the one that fails). */
async function register(): Promise<void> {
  const i = registered.length;
  const first17 = `510107198503${String(10 + i).padStart(2, '0')}${String(31 + i).padStart(3, '0')}`;
  const res = await graphqlPost<{ registerPerson: { id: string } }>(personnel.url, {
    query: `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
    variables: { input: { orgUnitId: villageId, name: `村民${i}`, idNumber: `${first17}${nationalIdCheckChar(first17)}`, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' } },
    token: await personnel.token(['ORG_ADMIN']),
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  registered.push(res.data!.registerPerson.id);
}

interface Probe {
  ms: number;
  readyz: number[];
  answers: GraphQLResponse[];
}

/** Each service's /readyz and one query that needs its database, timed together. */
async function probe(): Promise<Probe> {
  const started = Date.now();
  const [readyz, answers] = await Promise.all([
    Promise.all([training, elections].map(async (s) => (await fetch(s.url.replace(/\/graphql$/, '/readyz'))).status)),
    Promise.all([
      graphqlPost(training.url, { query: `{ courses(first: 5) { nodes { id } } }`, token: await training.token(['TRAINER']) }),
      graphqlPost(elections.url, { query: `query($id: ID!) { electionCycle(id: $id) { id } }`, variables: { id: cycleId }, token: await elections.token(['ORG_ADMIN']) }),
    ]),
  ]);
  return { ms: Date.now() - started, readyz, answers };
}

const healthy = (p: Probe) => p.readyz.every((s) => s === 200) && p.answers.every((a) => a.status === 200 && !a.errors);
/** Not ready, and an error for each query: in time, without the database. */
const refusing = (p: Probe) =>
  p.readyz.every((s) => s === 503) && p.answers.every((a) => a.status === 200 && a.errors?.[0]?.extensions?.code === 'INTERNAL_SERVER_ERROR');

/** Stops the server's every process (postmaster and backends): a server that no longer answers at all. */
async function freeze(): Promise<void> {
  const postmaster = await pg.pid();
  if (!postmaster) throw new Error('no postmaster pid');
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: the parent pid is the second field after the command in parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === postmaster) children.push(Number(entry));
  }
  frozen = [postmaster, ...children];
  for (const pid of frozen) process.kill(pid, 'SIGSTOP');
}

async function thaw(): Promise<void> {
  for (const pid of frozen) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
  frozen = [];
}

it('says not ready, answers every request in time, recovers by itself and loses no event when PostgreSQL restarts or freezes', async () => {
  // Healthy, and an event applied.
  await register();
  await waitFor(async () => healthy(await probe()), { timeoutMs: 30_000, message: 'healthy at the start' });

  // 1. Restarted: a fast shutdown (every session ended), some seconds down, started again.
  const haltStarted = Date.now();
  await pg.halt();
  const down = Date.now();
  const whileDown: Probe[] = [];
  // Events keep coming for training while its database is away: more than its retries last.
  for (let i = 0; i < 5; i++) {
    await register();
    whileDown.push(await probe());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const downFor = Date.now() - down;
  await pg.resume();
  const up = Date.now();
  await waitFor(async () => healthy(await probe()), { timeoutMs: 30_000, intervalMs: 100, message: 'healthy after the restart' });
  const recoveredAfterRestart = Date.now() - up;

  for (const p of whileDown) {
    expect(refusing(p)).toBe(true);
    expect(p.ms).toBeLessThan(BOUND_MS);
  }

  // 2. Frozen: every process stopped (a hung or cut-off server); connections open, nothing answers.
  await register();
  await waitFor(async () => healthy(await probe()), { timeoutMs: 30_000, message: 'healthy before the freeze' });
  await freeze();
  const whileFrozen: Probe[] = [];
  let frozenFor: number;
  try {
    const frozenAt = Date.now();
    await register(); // another event training cannot apply
    for (let i = 0; i < 3; i++) whileFrozen.push(await probe());
    frozenFor = Date.now() - frozenAt;
  } finally {
    await thaw();
  }
  const thawed = Date.now();
  await waitFor(async () => healthy(await probe()), { timeoutMs: 30_000, intervalMs: 100, message: 'healthy after the freeze' });
  const recoveredAfterFreeze = Date.now() - thawed;

  for (const p of whileFrozen) {
    expect(refusing(p)).toBe(true);
    expect(p.ms).toBeLessThan(BOUND_MS);
  }

  // 3. No event lost, none applied twice: every person registered has exactly one training file,
  //    and nothing went to the dead-letter topic.
  await waitFor(async () => Number((await training.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [GROUP]))[0].n) === registered.length, {
    timeoutMs: 60_000,
    message: `training has applied all ${registered.length} PersonRegistered`,
  });
  const files: { person_id: string }[] = await training.dataSource.query(`SELECT person_id FROM training_record`);
  expect(files.map((f) => f.person_id).sort()).toEqual([...registered].sort());
  expect(await topicMessageCount(testKafkaBrokers(), dlqTopic(`${training.topicPrefix}${topicOf(PersonRegistered)}`))).toBe(0);

  const slowest = Math.max(...[...whileDown, ...whileFrozen].map((p) => p.ms));
  console.log(
    `postgres restart: stop took ${seconds(down - haltStarted)}, down ${seconds(downFor)}, ${whileDown.length} probes all 503 + errors (slowest ${slowest} ms), ` +
      `healthy ${recoveredAfterRestart} ms after the restart; frozen ${seconds(frozenFor)}, ${whileFrozen.length} probes all 503 + errors, healthy ${recoveredAfterFreeze} ms after; ` +
      `${registered.length} events, each applied once, none dead-lettered`,
  );
}, 240_000);
