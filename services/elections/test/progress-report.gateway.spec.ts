import { createLogger, createPiiCipher, generatePiiKeys, issueToken, type AuthOptions } from '@huanjie/platform';
import { graphqlPost, startServiceUnderTest, type ServiceUnderTest } from '@huanjie/testkit';
import { createGateway } from '@huanjie/gateway';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer, migrations } from '../src';
import { expectedProgress, planProgress, seedCompletions, seedTransitions, syntheticChengdu, type TransitionPlan } from '../src/dev/seed-progress';
import { shanghaiMidnight } from '../src/resolvers/progress.resolvers';

// 成都市 at the scale of its 2021 换届 (3,039 villages and communities, 51 steps each), its report
// asked through the gateway: figures from elections (one SQL statement), region names from
// personnel by the second key of OrgUnit (its 行政区划代码). Speed is measured by `npm run bench`.
const NOW = new Date('2026-03-10T06:00:00Z');
const auth: AuthOptions = { secret: 'progress-report-gateway-test-secret-0123456789' };
const city = syntheticChengdu(3039, 20260104);
let plans: TransitionPlan[];

let personnel: ServiceUnderTest;
let elections: ServiceUnderTest;
let gateway: Awaited<ReturnType<typeof createGateway>>;
let gatewayUrl: string;
let stopGateway: () => Promise<void>;
let cycleId: string;

const token = (regionCode = '000000000000') => issueToken({ userId: 'org-admin', roles: ['ORG_ADMIN'], regionCode }, auth);
const viaGateway = async <T>(query: string, variables: Record<string, unknown> = {}, regionCode?: string) =>
  graphqlPost<T>(gatewayUrl, { query, variables, token: await token(regionCode) });

const REPORT = `query($input: TransitionProgressInput!) {
  transitionProgress(input: $input) {
    today
    total { ...row }
    children { ...row }
  }
}
fragment row on TransitionProgressRow {
  regionCode region { code name kind } units done inProgress notStarted blocked stepsDone stepsTotal completionBasisPoints rank
  sinceYesterday { stepsCompleted unitsDone basisPointsChange rankYesterday }
}`;
interface Row {
  regionCode: string;
  region: { code: string; name: string; kind: string } | null;
  units: number;
  done: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  stepsDone: number;
  stepsTotal: number;
  completionBasisPoints: number;
  rank: number | null;
  sinceYesterday: { stepsCompleted: number; unitsDone: number; basisPointsChange: number; rankYesterday: number | null };
}
const figures = (r: Row) => ({
  regionCode: r.regionCode, units: r.units, done: r.done, inProgress: r.inProgress, notStarted: r.notStarted, blocked: r.blocked,
  stepsDone: r.stepsDone, stepsTotal: r.stepsTotal, completionBasisPoints: r.completionBasisPoints,
  stepsCompletedToday: r.sinceYesterday.stepsCompleted, unitsDoneToday: r.sinceYesterday.unitsDone,
  basisPointsYesterday: r.completionBasisPoints - r.sinceYesterday.basisPointsChange,
});
const ranks = (values: number[]) => values.map((v) => 1 + values.filter((w) => w > v).length);

beforeAll(async () => {
  // One secret for all three: the gateway verifies the token and forwards it, each subgraph verifies it again.
  personnel = await startServiceUnderTest({
    name: 'progress_gw_personnel',
    migrations: personnelMigrations,
    create: (deps) => createPersonnel({ ...deps, auth, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  elections = await startServiceUnderTest({ name: 'progress_gw_elections', migrations, create: (deps) => createServer({ ...deps, auth, now: () => NOW }) });
  gateway = await createGateway({
    logger: createLogger({ name: 'gateway-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    subgraphUrls: { personnel: personnel.url, elections: elections.url },
  });
  const running = await gateway.listen(0, '127.0.0.1');
  gatewayUrl = running.url;
  stopGateway = running.close;

  // The region tree in personnel through the gateway: 四川省, 成都市 and its 20 county-level units.
  const units = [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
    { code: '510100000000', name: '成都市', kind: 'CITY' },
    ...city.counties.map((c) => ({ code: c.code, name: c.name, kind: c.name.endsWith('区') ? 'DISTRICT' : 'COUNTY' })),
  ];
  for (const input of units) {
    const res = await viaGateway(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input });
    expect(res.errors).toBeUndefined();
  }
  const cycle = await viaGateway<{ createElectionCycle: { id: string } }>(
    `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`,
    { input: { name: '2026年成都市村(社区)两委换届', regionCode: '510100000000', termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' } },
  );
  expect(cycle.errors).toBeUndefined();
  cycleId = cycle.data!.createElectionCycle.id;

  // 3,039 units × 2 transitions and their completions, straight into elections' database.
  plans = planProgress(city.units, 20260104);
  await seedTransitions(elections.dataSource, cycleId, plans);
  await seedCompletions(elections.dataSource, cycleId, plans, NOW, shanghaiMidnight(NOW));
}, 120_000);

afterAll(async () => {
  await stopGateway?.();
  await gateway?.stop();
  await elections?.stop();
  await personnel?.stop();
});

describe('the progress report of a city through the gateway', () => {
  it('seeds 3,039 units with 51 steps each and a realistic spread', async () => {
    const [{ n, steps }] = await elections.dataSource.query(
      `SELECT count(DISTINCT org_unit_id)::int AS n, sum(CASE committee_kind WHEN 'PARTY' THEN 32 ELSE 19 END)::int AS steps FROM transition`,
    );
    expect([n, steps]).toEqual([3039, 3039 * 51]);
    const expected = expectedProgress(plans, '510100000000', 6).total!;
    for (const figure of [expected.done, expected.inProgress, expected.notStarted, expected.blocked, expected.stepsCompletedToday, expected.unitsDoneToday]) {
      expect(figure).toBeGreaterThan(0);
    }
  });

  it('answers the city by district: every figure as the plan implies, ranks by rank(), names from personnel', async () => {
    elections.counter.reset();
    personnel.counter.reset();
    const res = await viaGateway<{ transitionProgress: { today: string; total: Row; children: Row[] } }>(REPORT, {
      input: { cycleId, regionCode: '510100000000' },
    });
    expect(res.errors).toBeUndefined();
    const report = res.data!.transitionProgress;
    expect(report.today).toBe('2026-03-10');
    const expected = expectedProgress(plans, '510100000000', 6);
    expect(figures(report.total)).toEqual(expected.total);
    expect(report.total.region).toEqual({ code: '510100000000', name: '成都市', kind: 'CITY' });
    expect(report.children).toHaveLength(20);
    const byCode = new Map(expected.children.map((r) => [r.regionCode, r]));
    for (const row of report.children) {
      expect(figures(row)).toEqual(byCode.get(row.regionCode));
      expect(row.region).toEqual({ code: row.regionCode, name: city.counties.find((c) => c.code === row.regionCode)!.name, kind: expect.any(String) });
    }
    expect(report.children.map((r) => r.rank)).toEqual(ranks(report.children.map((r) => r.completionBasisPoints)));
    expect(report.children.map((r) => r.sinceYesterday.rankYesterday)).toEqual(
      ranks(report.children.map((r) => r.completionBasisPoints - r.sinceYesterday.basisPointsChange)),
    );
    // One statement in elections for every figure. In personnel one per fetch of the plan: the
    // total's region and the children's regions are two (parallel) fetches, batched by code.
    const own = (s: ServiceUnderTest) => s.counter.queries.filter((q) => !/pg_try_advisory_xact_lock|FROM outbox/.test(q));
    expect(own(elections)).toHaveLength(1);
    // The gateway timed its fetches per subgraph.
    const fetches = await gateway.metrics.registry.getSingleMetricAsString('gateway_subgraph_fetch_duration_seconds');
    expect(fetches).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="elections"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(fetches).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="personnel"[^}]*\} [1-9]/);
    expect(own(personnel)).toEqual([expect.stringMatching(/code = ANY/), expect.stringMatching(/code = ANY/)]);
  });

  it('answers a district by town for its own officer, only the Party committees', async () => {
    const district = city.counties[3]!.code; // 武侯区
    const res = await viaGateway<{ transitionProgress: { total: Row; children: Row[] } }>(
      REPORT,
      { input: { cycleId, regionCode: district, committeeKind: 'PARTY' } },
      district,
    );
    expect(res.errors).toBeUndefined();
    const expected = expectedProgress(plans, district, 9, 'PARTY');
    expect(figures(res.data!.transitionProgress.total)).toEqual(expected.total);
    const rows = res.data!.transitionProgress.children.map(figures).sort((a, b) => a.regionCode.localeCompare(b.regionCode));
    expect(rows).toEqual(expected.children.sort((a, b) => a.regionCode.localeCompare(b.regionCode)));
    // Towns are not in personnel in this test: their rows name no org unit.
    expect(res.data!.transitionProgress.children.every((r) => r.region === null)).toBe(true);
  });
});

describe('elections and personnel in one request', () => {
  it('names an election’s unit from personnel, and lists a unit’s elections from elections', async () => {
    const district = city.counties[3]!; // 武侯区, standing in for a unit
    const unit = await viaGateway<{ orgUnitByCode: { id: string } }>(`query($c: String!) { orgUnitByCode(code: $c) { id } }`, { c: district.code });
    const created = await viaGateway<{ createElection: { id: string } }>(
      `mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`,
      {
        input: {
          cycleId,
          orgUnitId: unit.data!.orgUnitByCode.id,
          orgUnitCode: district.code,
          committeeKind: 'RESIDENTS',
          seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 4 }],
          electionDay: '2026-03-28',
          method: 'POLLING_STATIONS',
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const electionId = created.data!.createElection.id;
    const res = await viaGateway<{ election: { orgUnit: { name: string; code: string } }; orgUnitByCode: { elections: { id: string; status: string }[] } }>(
      `query($id: ID!, $c: String!) { election(id: $id) { orgUnit { name code } } orgUnitByCode(code: $c) { elections { id status } } }`,
      { id: electionId, c: district.code },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.election.orgUnit).toEqual({ name: district.name, code: district.code });
    expect(res.data!.orgUnitByCode.elections).toEqual([{ id: electionId, status: 'PLANNED' }]);
  });
});
