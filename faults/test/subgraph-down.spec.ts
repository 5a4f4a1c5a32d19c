import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createLogger, createPiiCipher, generatePiiKeys, issueToken, nationalIdCheckChar, type AuthOptions } from '@huanjie/platform';
import { composeSupergraph, createGateway } from '@huanjie/gateway';
import { graphqlPost, startServiceUnderTest, uniqueTopicPrefix, waitFor, type GraphQLResponse, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer as createTraining, migrations as trainingMigrations } from '@huanjie/training';
import { startKillableSubgraph, type KillableSubgraph } from './support/subgraph';
import { seconds } from './support/load';
import { createVillageChain } from './support/village';

// A subgraph killed under load, through the gateway. A unit's register (personnel) with each
// person's training file (training) is asked for over and over, beside the register alone, while
// training is killed (every connection dropped, as a crash drops them), started again on the same
// port, and later replaced by a listener that never answers. Whatever touches training comes back
// HTTP 200 with personnel's data and training's fields null under a SUBGRAPH_UNAVAILABLE error; the
// register alone is never affected; after the restart the same gateway serves training again.

const auth: AuthOptions = { secret: 'faults-subgraph-down-secret-0123456789abcdef' };
const PEOPLE = 20;
const WORKERS = 4;
/** The gateway's deadline for one subgraph fetch in this test (default 40 s). */
const SUBGRAPH_TIMEOUT_MS = 1_500;
const NOW = new Date('2026-03-02T02:00:00Z');
/** Closed: nothing listens there (the subgraphs these queries never reach). */
const NOWHERE = 'http://127.0.0.1:9/graphql';

let personnel: ServiceUnderTest;
let training: KillableSubgraph;
let gatewayUrl: string;
let closeGateway: () => Promise<void>;
let token: string;
let unitId: string;

const WITH_TRAINING = `query Register($id: ID!) { orgUnit(id: $id) { name people(first: 50) { nodes { name trainingRecord { openedAt } } } } }`;
const REGISTER_ONLY = `query RegisterOnly($id: ID!) { orgUnit(id: $id) { name people(first: 50) { nodes { name } } } }`;

type Register = { orgUnit: { name: string; people: { nodes: { name: string; trainingRecord?: { openedAt: string } | null }[] } } };

beforeAll(async () => {
  const topicPrefix = uniqueTopicPrefix();
  personnel = await startServiceUnderTest({
    name: 'faults_down_personnel',
    migrations: personnelMigrations,
    topicPrefix,
    create: (deps) => createPersonnel({ ...deps, auth, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  training = await startKillableSubgraph({ name: 'faults_down_training', migrations: trainingMigrations, auth, topicPrefix, create: (deps) => createTraining(deps) });
  const gateway = await createGateway({
    logger: createLogger({ name: 'gateway-faults', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    supergraphSdl: composeSupergraph(join(__dirname, '..', '..')),
    subgraphUrls: { personnel: personnel.url, training: training.url, elections: NOWHERE, vetting: NOWHERE, complaints: NOWHERE },
    subgraphTimeoutMs: SUBGRAPH_TIMEOUT_MS,
  });
  const running = await gateway.listen(0, '127.0.0.1');
  gatewayUrl = running.url;
  closeGateway = async () => {
    await running.close();
    await gateway.stop();
  };
  token = await issueToken({ userId: 'zzb-faults', roles: ['ORG_ADMIN'], regionCode: '000000000000' }, auth);

  // A village of 20 people, each with a training file opened from PersonRegistered.
  unitId = await createVillageChain(gatewayUrl, token);
  for (let i = 0; i < PEOPLE; i++) {
    const first17 = `51010719800${String(101 + i).padStart(3, '0')}${String(21 + i).padStart(3, '0')}`;
    await must(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: { orgUnitId: unitId, name: `村民${i}`, idNumber: `${first17}${nationalIdCheckChar(first17)}`, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
    });
  }
  await waitFor(async () => Number((await training.dataSource.query(`SELECT count(*)::int AS n FROM training_record`))[0].n) === PEOPLE, {
    timeoutMs: 60_000,
    message: 'training files for every person',
  });
}, 180_000);

afterAll(async () => {
  await closeGateway?.();
  await training?.stop();
  await personnel?.stop();
});

async function must<T = unknown>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await graphqlPost<T>(gatewayUrl, { query, variables, token });
  if (res.errors?.length) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

interface Sample {
  kind: 'training' | 'register';
  start: number;
  end: number;
  res: GraphQLResponse<Register>;
}

/** Workers asking both queries in turn until stopped; every answer kept with its times. */
function load() {
  const samples: Sample[] = [];
  let stopped = false;
  const worker = async (w: number) => {
    for (let n = 0; !stopped; n++) {
      const kind = (n + w) % 2 === 0 ? 'training' : 'register';
      const start = Date.now();
      const res = await graphqlPost<Register>(gatewayUrl, { query: kind === 'training' ? WITH_TRAINING : REGISTER_ONLY, variables: { id: unitId }, token });
      samples.push({ kind, start, end: Date.now(), res });
    }
  };
  const done = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return {
    samples,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const complete = (s: Sample) => s.res.status === 200 && !s.res.errors && s.res.data?.orgUnit.people.nodes.every((p) => p.trainingRecord?.openedAt);

/** The register part is whole: the unit and every person's name, whatever happened to training. */
function expectRegisterWhole(s: Sample) {
  expect(s.res.status).toBe(200);
  expect(s.res.data?.orgUnit.name).toBe('七里社区');
  expect(s.res.data?.orgUnit.people.nodes.map((p) => p.name).sort()).toEqual(Array.from({ length: PEOPLE }, (_, i) => `村民${i}`).sort());
}

/** Training's part is missing and said so: every file null, one SUBGRAPH_UNAVAILABLE error where they are. */
function expectTrainingMissing(s: Sample, reason: RegExp) {
  expectRegisterWhole(s);
  expect(s.res.data!.orgUnit.people.nodes.every((p) => p.trainingRecord === null)).toBe(true);
  expect(s.res.errors).toHaveLength(1);
  expect(s.res.errors![0]).toMatchObject({ path: ['orgUnit', 'people', 'nodes'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'training' } });
  expect(s.res.errors![0]!.message).toMatch(reason);
  // Nothing of the subgraph's whereabouts reaches the client.
  expect(JSON.stringify(s.res.errors)).not.toMatch(/127\.0\.0\.1|localhost|ECONN|:\d{4,5}/);
}

it('answers around a killed subgraph with partial data and serves it again after its restart, without restarting the gateway', async () => {
  const run = load();
  await sleep(1_500); // healthy load first

  const killStarted = Date.now();
  await training.kill();
  const down = Date.now();
  await sleep(3_000); // down, under load

  const restartStarted = Date.now();
  await training.restart();
  const up = Date.now();
  await waitFor(() => run.samples.some((s) => s.kind === 'training' && s.start >= up && complete(s)), { timeoutMs: 30_000, message: 'a whole answer after the restart' });
  const recovered = run.samples.find((s) => s.kind === 'training' && s.start >= up && complete(s))!.end;
  await sleep(1_500); // healthy again, under load
  await run.stop();
  const { samples } = run;

  const registerOnly = samples.filter((s) => s.kind === 'register');
  const withTraining = samples.filter((s) => s.kind === 'training');
  // The register alone: every answer whole and without error, throughout.
  for (const s of registerOnly) {
    expectRegisterWhole(s);
    expect(s.res.errors).toBeUndefined();
  }
  // With training: whole before the kill; partial, never failed, while it was down; whole after.
  for (const s of withTraining) expectRegisterWhole(s);
  const before = withTraining.filter((s) => s.end < killStarted);
  const whileDown = withTraining.filter((s) => s.start >= down && s.end <= restartStarted);
  const after = withTraining.filter((s) => s.start >= recovered);
  expect(before.length).toBeGreaterThan(0);
  expect(before.every(complete)).toBe(true);
  expect(whileDown.length).toBeGreaterThan(5);
  for (const s of whileDown) expectTrainingMissing(s, /^the training subgraph is unavailable/);
  expect(after.length).toBeGreaterThan(0);
  expect(after.every(complete)).toBe(true);
  // Answers around the kill itself (in flight as it happened) are one or the other, never a failure.
  for (const s of withTraining.filter((x) => !before.includes(x) && !whileDown.includes(x) && !after.includes(x))) {
    if (!complete(s)) expectTrainingMissing(s, /^the training subgraph/);
  }
  const slowestDown = Math.max(...whileDown.map((s) => s.end - s.start));
  console.log(
    `subgraph killed: ${samples.length} requests (${registerOnly.length} register only, all whole); ${whileDown.length} with training while down, ` +
      `all partial with SUBGRAPH_UNAVAILABLE (slowest ${slowestDown} ms); restart took ${seconds(up - restartStarted)}, whole answers again ${recovered - up} ms after it`,
  );
}, 120_000);

it('answers around a subgraph that accepts connections but never answers, within the gateway subgraph timeout', async () => {
  // Training's port taken over by a listener that reads and never answers (a hung process).
  await training.kill();
  const sockets = new Set<Socket>();
  const blackHole: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(training.port, '127.0.0.1', resolve));
  const run = load();
  await sleep(SUBGRAPH_TIMEOUT_MS * 3);
  await run.stop();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  await training.restart();

  const withTraining = run.samples.filter((s) => s.kind === 'training');
  const registerOnly = run.samples.filter((s) => s.kind === 'register');
  expect(withTraining.length).toBeGreaterThan(0);
  for (const s of withTraining) {
    expectTrainingMissing(s, new RegExp(`^the training subgraph did not answer within ${SUBGRAPH_TIMEOUT_MS} ms`));
    // Bounded: the deadline plus the work around it, never a hang.
    expect(s.end - s.start).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 5_000);
  }
  for (const s of registerOnly) {
    expectRegisterWhole(s);
    expect(s.res.errors).toBeUndefined();
  }
  const slowest = Math.max(...withTraining.map((s) => s.end - s.start));
  console.log(`subgraph hung: ${withTraining.length} requests with training, all partial after the ${SUBGRAPH_TIMEOUT_MS} ms deadline (slowest ${slowest} ms); ${registerOnly.length} register only, all whole`);

  // And back: the restarted training serves the same gateway.
  await waitFor(async () => {
    const res = await graphqlPost<Register>(gatewayUrl, { query: WITH_TRAINING, variables: { id: unitId }, token });
    return complete({ kind: 'training', start: 0, end: 0, res });
  }, { timeoutMs: 30_000, message: 'training serving again' });
}, 120_000);
