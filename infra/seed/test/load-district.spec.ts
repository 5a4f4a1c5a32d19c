import { randomBytes } from 'node:crypto';
import { generatePiiKeys, issueToken, maskNationalId } from '@huanjie/platform';
import { graphqlPost, testKafkaBrokers, uniqueTopicPrefix } from '@huanjie/testkit';
import { startStack, type RunningStack } from '@huanjie/launcher';
import { countsOf, generate, type SeedData } from '../src';
import { loadSeed, type LoadReport } from '../src/load/load';
import { stackTarget } from '../src/load/target';

// `npm run seed -- --scale district`, as a test: 郫都区 (13 townships, 150 villages and communities)
// loaded through the bulk paths into the whole graph — five subgraphs and the gateway in this
// process on the test run's PostgreSQL, events through its Kafka broker — and then read back
// through the gateway: the structure report, the registers, the 联审 figures, the voter rolls.

const auth = { secret: 'seed-district-test-secret-0123456789abcdef' };
const DISTRICT = '510117000000';
/** The bound on starting the stack and loading the district (91–168 s on the shared 2-core machine). */
const LOAD_LIMIT_MS = 600_000;

let stack: RunningStack;
let data: SeedData;
let report: LoadReport;

const read = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const token = await issueToken({ userId: 'seed-test', roles: ['ORG_ADMIN'], regionCode: '510000000000' }, auth);
  const res = await graphqlPost<T>(stack.gatewayUrl, { query, variables, token });
  if (res.errors?.length || !res.data) throw new Error(JSON.stringify(res.errors ?? res.status));
  return res.data;
};

beforeAll(async () => {
  stack = await startStack({
    postgresUrl: process.env.HUANJIE_TEST_DATABASE_URL!,
    databasePrefix: `seed_${randomBytes(4).toString('hex')}_`,
    kafkaBrokers: testKafkaBrokers().split(','),
    topicPrefix: uniqueTopicPrefix(),
    auth,
    pii: generatePiiKeys(),
    gatewayPort: 0,
    subgraphPorts: { personnel: 0, vetting: 0, elections: 0, complaints: 0, training: 0 },
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  data = generate('district', 1);
  const t0 = Date.now();
  report = await loadSeed(stackTarget(stack, auth), data, { concurrency: 8, waitMs: 300_000, say: () => {}, quiet: true });
  const steps = report.steps.map((x) => `${x.step} ${x.seconds} s`).join('; ');
  process.stderr.write(
    `seed district: loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${report.requests} GraphQL requests (${steps})\n`,
  );
}, LOAD_LIMIT_MS);

afterAll(async () => {
  await stack?.stop();
});

it('loads the district’s 150 units with both committees seated, 一肩挑 in every one', async () => {
  const counts = countsOf(data);
  const { structureReport } = await read<{
    structureReport: {
      unitCount: number;
      current: { unitCount: number; committeeCount: number; memberCount: number; oneShoulder: { oneShoulderUnits: number } };
    };
  }>(
    `query($code: String!) { structureReport(regionCode: $code, asOf: "2026-02-10", unitsPerList: 0) {
        unitCount current { unitCount committeeCount memberCount oneShoulder { oneShoulderUnits } } } }`,
    { code: DISTRICT },
  );
  expect(structureReport).toEqual({
    unitCount: 150,
    current: { unitCount: 150, committeeCount: 300, memberCount: counts.peopleByCategory.MEMBER, oneShoulder: { oneShoulderUnits: 150 } },
  });
});

it('registers every person with the ID number shown masked', async () => {
  const unit = data.units.find((u) => u.level === 5)!;
  const { orgUnitByCode } = await read<{
    orgUnitByCode: { people: { nodes: { name: string; birthDate: string; idNumberMasked: string; reserve: boolean }[] } };
  }>(`query($code: String!) { orgUnitByCode(code: $code) { people(first: 200) { nodes { name birthDate idNumberMasked reserve } } } }`, {
    code: unit.code,
  });
  const expected = data.people
    .filter((p) => p.unitCode === unit.code)
    .map((p) => ({ name: p.name, birthDate: p.birthDate, idNumberMasked: maskNationalId(p.idNumber), reserve: p.reserve }));
  expect([...orgUnitByCode.people.nodes].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
    expected.sort((a, b) => a.name.localeCompare(b.name)),
  );
  expect(orgUnitByCode.people.nodes.every((p) => /^5101\*{10}[\dX]{4}$/.test(p.idNumberMasked))).toBe(true);
});

it('opens a 联审 for every nomination and concludes the pilot units’ as generated', async () => {
  const candidates = data.elections.flatMap((e) => e.candidates);
  const { vettingReport } = await read<{ vettingReport: { reviewed: number; cleared: number; disqualified: number } }>(
    `query($code: String!) { vettingReport(input: { regionCode: $code }) { reviewed cleared disqualified } }`,
    { code: DISTRICT },
  );
  // Substantiated vote-buying complaints disqualify their candidates too (三个一律), so at least the pilots'.
  expect(vettingReport.reviewed).toBe(candidates.length);
  expect(vettingReport.cleared).toBe(candidates.filter((c) => c.review?.outcome === 'CLEARED').length);
  expect(vettingReport.disqualified).toBeGreaterThanOrEqual(candidates.filter((c) => c.review?.outcome === 'DISQUALIFIED').length);
  expect(report.settled).toMatchObject({ reviewsOpened: candidates.length, candidates: candidates.length });
});

it('registers the pilot units’ voter rolls and puts the lists up', async () => {
  const rolls = data.elections.filter((e) => e.voters.length > 0);
  expect(rolls.map((e) => e.unitCode).sort()).toEqual([...data.pilotUnitCodes].sort());
  for (const e of rolls) {
    const { elections } = await read<{ elections: { edges: { node: { id: string } }[] } }>(
      `query($code: String!) { elections(filter: { regionCode: $code, status: VOTER_REGISTRATION }, first: 10) { edges { node { id } } } }`,
      { code: e.unitCode },
    );
    expect(elections.edges).toHaveLength(1);
    const { voterRoll } = await read<{ voterRoll: { registeredCount: number; publishedOn: string } }>(
      `query($id: ID!) { voterRoll(electionId: $id) { registeredCount publishedOn } }`,
      { id: elections.edges[0]!.node.id },
    );
    expect(voterRoll).toEqual({ registeredCount: e.voters.length, publishedOn: e.voterListPublishedOn });
  }
});
