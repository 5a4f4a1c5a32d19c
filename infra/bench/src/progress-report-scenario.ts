import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { ALL_WORKFLOW_TEMPLATES } from '@huanjie/elections/src/domain/workflow-templates.data';
import { ProgressReportStore } from '@huanjie/elections/src/db/progress-report.store';
import {
  expectedProgress,
  planProgress,
  seedCompletions,
  syntheticChengdu,
  type ExpectedRow,
} from '@huanjie/elections/src/dev/seed-progress';
import { shanghaiMidnight } from '@huanjie/elections/src/resolvers/progress.resolvers';
import type { BenchSettings } from './config';
import { GraphQLClient } from './http-client';
import type { LoadJob, LoadJobResult } from './load-worker';
import { PROGRESS_REPORT, type ProgressReportAnswer, type ProgressRow } from './progress-report-operations';
import type { ScenarioReport } from './report';
import { summarise } from './stats';

/**
 * (h) The 换届 progress report at city scale: 成都市 with 3,039 villages and communities
 * (syntheticChengdu: the 20 real county-level units, ~254 townships), both committees of each
 * opened through the gateway's openTransitions (6,078 transitions, in batches under the
 * gateway's body limit), completions written in SQL (seedCompletions: 51 steps per unit, a
 * quarter done, half in progress, some finishing today, one unit in twelve held), then
 * transitionProgress through the gateway one request at a time: h1 the city by district, h2 one
 * district by town. One answer of each is checked figure by figure against the seeding plan; the
 * report's own SQL statement is also timed straight on elections' database ("SQL time").
 */

export interface ProgressReportContext {
  settings: BenchSettings;
  gatewayUrl: string;
  token: string;
  /** The token's scope path ('51' for the bench's 四川省 ORG_ADMIN): the report's statement carries it. */
  scopePath: string;
  elections: DataSource;
  say: (line: string) => void;
  fail: (message: string) => Error;
  setPhase: (phase: string) => void;
  measure: (
    meta: Pick<ScenarioReport, 'id' | 'name' | 'description' | 'target'>,
    job: Omit<LoadJob, 'warmup' | 'total' | 'token' | 'concurrency' | 'timeLimitMs'> & { warmup: Record<string, unknown>[]; total: number },
    options: { concurrency?: number; timeLimitS?: number; afterLoop?: (result: LoadJobResult) => Promise<Record<string, unknown>> },
  ) => Promise<ScenarioReport>;
  onReport: (report: ScenarioReport) => void;
}

const CITY_CODE = '510100000000';
/** Units per openTransitions call: 2 × 500 = 1,000 transitions, about 110 KB, under the gateway's 256 KiB. */
const OPEN_BATCH_UNITS = 500;
const SQL_SAMPLES = 20;

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function compare(expected: { total?: ExpectedRow; children: ExpectedRow[] }, answer: ProgressReportAnswer): string[] {
  const differences: string[] = [];
  const figures = (r: ProgressRow): ExpectedRow => ({
    regionCode: r.regionCode, units: r.units, done: r.done, inProgress: r.inProgress, notStarted: r.notStarted, blocked: r.blocked,
    stepsDone: r.stepsDone, stepsTotal: r.stepsTotal, completionBasisPoints: r.completionBasisPoints,
    stepsCompletedToday: r.sinceYesterday.stepsCompleted, unitsDoneToday: r.sinceYesterday.unitsDone,
    basisPointsYesterday: r.completionBasisPoints - r.sinceYesterday.basisPointsChange,
  });
  const report = answer.transitionProgress;
  const check = (what: string, want: ExpectedRow | undefined, got: ProgressRow | undefined) => {
    if (!want || !got) return differences.push(`${what}: expected ${want ? 'a row' : 'none'}, got ${got ? 'a row' : 'none'}`);
    const g = figures(got);
    for (const key of Object.keys(want) as (keyof ExpectedRow)[]) {
      if (g[key] !== want[key]) differences.push(`${what}.${key}: expected ${want[key]}, got ${g[key]}`);
    }
    return 0;
  };
  check('total', expected.total, report.total);
  const got = new Map(report.children.map((r) => [r.regionCode, r]));
  for (const row of expected.children) check(row.regionCode, row, got.get(row.regionCode));
  if (report.children.length !== expected.children.length) differences.push(`children: expected ${expected.children.length}, got ${report.children.length}`);
  const bp = report.children.map((r) => r.completionBasisPoints);
  report.children.forEach((r, i) => {
    const rank = 1 + bp.filter((v) => v > bp[i]!).length;
    if (r.rank !== rank) differences.push(`${r.regionCode}.rank: expected ${rank}, got ${r.rank}`);
  });
  return differences;
}

export async function scenarioProgressReport(ctx: ProgressReportContext): Promise<void> {
  const { settings, say } = ctx;
  ctx.setPhase('h seed');
  const city = syntheticChengdu(settings.importUnits, settings.seed);
  const client = new GraphQLClient(ctx.gatewayUrl, ctx.token, 1);
  try {
    // The cycle the base data set declared for 成都市.
    const [cycle]: { id: string }[] = await ctx.elections.query(`SELECT id FROM election_cycle WHERE region_code = $1 ORDER BY created_at LIMIT 1`, [CITY_CODE]);
    if (!cycle) throw ctx.fail('no 换届 cycle for 成都市: the base data set declares one');

    // The city's county-level units in personnel (the base data set has three; the import the rest), so every row has a name.
    for (const county of city.counties) {
      const found = await client.must<{ orgUnitByCode: { id: string } | null }>(`query($code: String!) { orgUnitByCode(code: $code) { id } }`, { code: county.code });
      if (!found.orgUnitByCode) {
        await client.must(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
          input: { code: county.code, name: county.name, kind: county.name.endsWith('区') ? 'DISTRICT' : 'COUNTY' },
        });
      }
    }

    const plans = planProgress(city.units, settings.seed);
    const t0 = performance.now();
    let opened = 0;
    for (let i = 0; i < city.units.length; i += OPEN_BATCH_UNITS) {
      // planProgress lists each unit's two transitions together, in unit order.
      const batch = plans.slice(2 * i, 2 * (i + OPEN_BATCH_UNITS));
      const res = await client.must<{ openTransitions: { opened: number; alreadyOpen: number } }>(
        `mutation($input: OpenTransitionsInput!) { openTransitions(input: $input) { opened alreadyOpen } }`,
        { input: { cycleId: cycle.id, units: batch.map((p) => ({ orgUnitId: p.unit.id, orgUnitCode: p.unit.code, committeeKind: p.committeeKind })) } },
      );
      opened += res.openTransitions.opened;
    }
    const openMs = performance.now() - t0;
    if (opened !== plans.length) throw ctx.fail(`openTransitions opened ${opened} of ${plans.length} transitions`);
    say(`opened ${opened.toLocaleString('en-US')} transitions through the gateway in ${(openMs / 1000).toFixed(1)} s (${Math.ceil(city.units.length / OPEN_BATCH_UNITS)} calls)`);

    const now = new Date();
    const t1 = performance.now();
    await seedCompletions(ctx.elections, cycle.id, plans, now, shanghaiMidnight(now));
    const [{ steps }] = await ctx.elections.query(`SELECT count(*)::int AS steps FROM transition_step`);
    const seedMs = performance.now() - t1;
    say(`seeded ${steps.toLocaleString('en-US')} completed steps in SQL in ${(seedMs / 1000).toFixed(1)} s`);
    await ctx.elections.query('ANALYZE');

    const district = city.counties[3]!.code; // 武侯区
    const regions = [
      { id: 'h1' as const, what: 'city by district', code: CITY_CODE, childLength: 6, requests: settings.progressRequests.city },
      { id: 'h2' as const, what: 'district by town', code: district, childLength: 9, requests: settings.progressRequests.district },
    ];
    for (const r of regions) {
      ctx.setPhase(`${r.id} check`);
      const expected = expectedProgress(plans, r.code, r.childLength);
      const variables = { input: { cycleId: cycle.id, regionCode: r.code } };
      const answer = await client.must<ProgressReportAnswer>(PROGRESS_REPORT, variables);
      const differences = compare(expected, answer);
      if (differences.length) throw ctx.fail(`transitionProgress(${r.code}) disagrees with the seeding plan:\n  ${differences.slice(0, 10).join('\n  ')}`);

      // The statement alone, on elections' database: what PostgreSQL needs, without HTTP, gateway or GraphQL.
      const store = new ProgressReportStore(ctx.elections.manager, ctx.scopePath);
      const sqlMs: number[] = [];
      for (let i = 0; i < SQL_SAMPLES + 2; i++) {
        const s0 = performance.now();
        await store.report({
          cycleId: cycle.id, regionPath: r.code === CITY_CODE ? '51.5101' : `51.5101.${r.code.slice(0, 6)}`, childCodeLength: r.childLength,
          committeeKind: null, todayStartsAt: shanghaiMidnight(now), templates: ALL_WORKFLOW_TEMPLATES,
        });
        if (i >= 2) sqlMs.push(performance.now() - s0);
      }
      const sql = summarise(sqlMs, 0, 1);
      const total = answer.transitionProgress.total;
      const report = await ctx.measure(
        {
          id: r.id,
          name: `transitionProgress ${r.what} (${total.units.toLocaleString('en-US')} units)`,
          description: `query transitionProgress(cycleId, regionCode: "${r.code}") through the gateway with the region names from personnel: ${total.units} villages and communities, ${total.stepsTotal} steps (${total.stepsDone} done), ${answer.transitionProgress.children.length} child regions; one request at a time`,
          target: 'gateway',
        },
        {
          operation: 'progressReport',
          url: ctx.gatewayUrl,
          warmup: Array.from({ length: Math.min(settings.warmup, 5) }, () => variables),
          variables: [variables],
          total: r.requests,
        },
        { concurrency: 1 },
      );
      say(`  the report's SQL statement alone: p50 ${sql.p50} ms, p95 ${sql.p95} ms (${SQL_SAMPLES} runs on elections' database)`);
      ctx.onReport({
        ...report,
        extra: {
          ...report.extra,
          regionCode: r.code,
          sqlStatementMs: { p50: sql.p50, p95: sql.p95, max: sql.max, samples: SQL_SAMPLES },
          checkedAgainstSeedingPlan: true,
          ...(r.id === 'h1'
            ? { seeding: { units: city.units.length, transitions: opened, openTransitionsSeconds: round(openMs / 1000), stepsCompleted: steps, seedCompletionsSeconds: round(seedMs / 1000) } }
            : {}),
          report: {
            units: total.units, done: total.done, inProgress: total.inProgress, notStarted: total.notStarted, blocked: total.blocked,
            percentComplete: total.completionBasisPoints / 100, stepsCompletedToday: total.sinceYesterday.stepsCompleted,
            children: answer.transitionProgress.children.length,
            best: answer.transitionProgress.children[0] ? `${answer.transitionProgress.children[0].region?.name ?? answer.transitionProgress.children[0].regionCode} ${answer.transitionProgress.children[0].completionBasisPoints / 100}%` : null,
          },
        },
      });
    }
  } finally {
    client.close();
  }
}
