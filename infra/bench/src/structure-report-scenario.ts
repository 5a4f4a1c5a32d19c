import { performance } from 'node:perf_hooks';
import type { BenchSettings } from './config';
import { GraphQLClient } from './http-client';
import { buildImportFile } from './import-dataset';
import { forEachLimit, Progress } from './load-data';
import type { LoadJob, LoadJobResult } from './load-worker';
import { STRUCTURE_REPORT, TOWN_REGISTER } from './operations';
import type { ScenarioReport } from './report';
import {
  compareReport,
  CURRENT_TERM_START,
  expectedReport,
  planUnit,
  PREVIOUS_TERM_START,
  REPORT_AS_OF,
  startTermInputs,
  type ExpectedReport,
  type RegisterPerson,
  type RegisterUnit,
  type StructureReportAnswer,
  type UnitPlan,
} from './structure-report-plan';

/**
 * (f, g) The structure report ("两升一降") at city scale. The register of scenario e (3,039
 * villages and communities, 21,000 people) gets both committees of every unit seated for two
 * terms through the gateway's startTerm — f1 the previous term (from 2021-03-20), f2 the current
 * one (from 2026-03-20), which ends the previous term and its seats the day before — with the
 * people chosen from each unit's register as personnel returns it (structure-report-plan.ts). Then
 * structureReport through the gateway, one request at a time: g1 for the city (every unit), g2
 * for one district, g3 for one town; each after one answer has been checked figure by figure
 * against what the rosters imply.
 */

export interface StructureReportContext {
  settings: BenchSettings;
  gatewayUrl: string;
  token: string;
  /** The base data set's villages and communities: in the city too, registered but without committees. */
  otherUnitCodes: readonly string[];
  say: (line: string) => void;
  fail: (message: string) => Error;
  setPhase: (phase: string) => void;
  /** ANALYZE in personnel's database: fresh planner statistics, as autovacuum leaves them a minute later. */
  analyzePersonnel: () => Promise<void>;
  /** main.ts's workerScenario: warm-up, measured loop on the load-generator thread, server-side probes. */
  measure: (
    meta: Pick<ScenarioReport, 'id' | 'name' | 'description' | 'target'>,
    job: Omit<LoadJob, 'warmup' | 'total' | 'token' | 'concurrency' | 'timeLimitMs'> & { warmup: Record<string, unknown>[]; total: number },
    options: {
      concurrency?: number;
      timeLimitS?: number;
      onProgress?: (done: number, total: number, errors: number) => void;
      afterLoop?: (result: LoadJobResult) => Promise<Record<string, unknown>>;
    },
  ) => Promise<ScenarioReport>;
  onReport: (report: ScenarioReport) => void;
}

const CITY_CODE = '510100000000';

interface TownRegisterAnswer {
  orgUnitByCode: {
    children: {
      pageInfo: { hasNextPage: boolean };
      nodes: { id: string; code: string; kind: string; people: { pageInfo: { hasNextPage: boolean }; nodes: RegisterPerson[] } }[];
    };
  } | null;
}

/** Every imported unit with its people's traits, read through the gateway a township at a time. */
async function readRegister(ctx: StructureReportContext, file: ReturnType<typeof buildImportFile>): Promise<RegisterUnit[]> {
  const { settings } = ctx;
  const client = new GraphQLClient(ctx.gatewayUrl, ctx.token, settings.loadConcurrency);
  const found = new Map<string, RegisterUnit>();
  const progress = new Progress('reading the imported register through the gateway (townships)', file.townCodes.length);
  const t0 = performance.now();
  try {
    await forEachLimit(
      file.townCodes,
      settings.loadConcurrency,
      async (code) => {
        const res = await client.must<TownRegisterAnswer>(TOWN_REGISTER, { code });
        const town = res.orgUnitByCode;
        if (!town) throw ctx.fail(`township ${code} of the import is not in personnel`);
        if (town.children.pageInfo.hasNextPage) throw ctx.fail(`township ${code} has more than 100 villages/communities`);
        for (const unit of town.children.nodes) {
          if (unit.people.pageInfo.hasNextPage) throw ctx.fail(`unit ${unit.code} has more than 200 people`);
          found.set(unit.code, { id: unit.id, code: unit.code, kind: unit.kind as RegisterUnit['kind'], people: unit.people.nodes });
        }
        progress.tick();
      },
      t0 + settings.loadTimeLimitS * 1000,
    );
  } finally {
    client.close();
  }
  // The people of leaf i are persons i, i + L, i + 2L, … of the file.
  const leafCount = file.leaves.length;
  return file.leaves.map((leaf, i) => {
    const unit = found.get(leaf.code);
    const expected = Math.floor(file.people / leafCount) + (i < file.people % leafCount ? 1 : 0);
    if (!unit || unit.kind !== leaf.kind || unit.people.length !== expected) {
      throw ctx.fail(`unit ${leaf.code}: expected a ${leaf.kind} with ${expected} people, found ${unit ? `a ${unit.kind} with ${unit.people.length}` : 'nothing'}`);
    }
    return unit;
  });
}

/** f1 / f2: one term of every committee, BENCH_CONCURRENCY at a time, with progress on stderr. */
async function seat(ctx: StructureReportContext, plans: UnitPlan[], term: 'previous' | 'current'): Promise<ScenarioReport> {
  const variables = plans.flatMap((plan) => startTermInputs(plan, term));
  const seats = variables.reduce((n, v) => n + ((v.input as { positions: unknown[] }).positions.length), 0);
  const label = term === 'previous' ? 'f1' : 'f2';
  const t0 = performance.now();
  const report = await ctx.measure(
    term === 'previous'
      ? {
          id: 'f1',
          name: `startTerm ${PREVIOUS_TERM_START} (first term)`,
          description: `mutation startTerm through the gateway: the ${PREVIOUS_TERM_START} term of both committees of every imported village and community, each the committee's first (committee recorded, rules checked, term and seats inserted, TermStarted and PositionAssigned in the outbox, audit record)`,
          target: 'gateway',
        }
      : {
          id: 'f2',
          name: `startTerm ${CURRENT_TERM_START} (replaces the term)`,
          description: `mutation startTerm through the gateway: the ${CURRENT_TERM_START} term of both committees of every unit; the previous term and its seats end the day before (PositionEnded, TermStarted, PositionAssigned in the outbox, audit record)`,
          target: 'gateway',
        },
    { operation: 'startTerm', url: ctx.gatewayUrl, warmup: [], variables, total: variables.length, progressEveryMs: 5000, stopOnError: true },
    {
      // Every term must be seated for the report to mean anything: the loading limit, not the scenario's.
      timeLimitS: ctx.settings.loadTimeLimitS,
      onProgress: (done, total, errors) =>
        ctx.say(
          `  ${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} terms after ${((performance.now() - t0) / 1000).toFixed(1)} s` +
            (errors ? `, ${errors} failed` : ''),
        ),
    },
  );
  if (report.stoppedByTimeLimit || report.latencyMs.requests !== variables.length) {
    throw ctx.fail(
      `${label}: ${report.latencyMs.requests} of ${variables.length} terms seated within BENCH_LOAD_TIME_LIMIT_S (${ctx.settings.loadTimeLimitS} s)`,
    );
  }
  return { ...report, extra: { ...report.extra, terms: variables.length, seats, seatsPerTerm: Math.round((seats / variables.length) * 100) / 100 } };
}

/** One answer, outside the measurements, checked against the rosters; returns what it says, for the record. */
async function probe(ctx: StructureReportContext, regionCode: string, expected: ExpectedReport) {
  const client = new GraphQLClient(ctx.gatewayUrl, ctx.token, 1);
  try {
    const t0 = performance.now();
    const answer = await client.must<StructureReportAnswer>(STRUCTURE_REPORT, { regionCode, asOf: REPORT_AS_OF });
    const firstMs = Math.round((performance.now() - t0) * 10) / 10;
    const differences = compareReport(expected, answer);
    if (differences.length) {
      throw ctx.fail(`structureReport(${regionCode}) disagrees with the seated rosters:\n  ${differences.slice(0, 10).join('\n  ')}`);
    }
    const r = answer.structureReport;
    return {
      firstRequestMs: firstMs,
      responseBytes: Buffer.byteLength(JSON.stringify({ data: answer })),
      region: r.region ? `${r.region.code} ${r.region.name}` : null,
      unitCount: r.unitCount,
      assessedUnitCount: r.compliance.assessedUnitCount,
      committees: { current: r.current.committeeCount, previous: r.previous.committeeCount },
      members: { current: r.current.memberCount, previous: r.previous.memberCount },
      averageAge: { current: r.current.averageAge, previous: r.previous.averageAge },
      women: { current: r.current.women.percent, previous: r.previous.women.percent },
      collegeOrAbove: { current: r.current.collegeOrAbove.percent, previous: r.previous.collegeOrAbove.percent },
      oneShoulder: { current: r.current.oneShoulder.percent, previous: r.previous.oneShoulder.percent },
      twoUpOneDown: r.twoUpOneDown,
      shortfalls: {
        withoutWoman: r.compliance.withoutWoman.count,
        withoutMemberAged35OrUnder: r.compliance.withoutMemberAged35OrUnder.count,
        fewerThanTwoCollege: r.compliance.fewerThanTwoCollege.count,
        secretariesOverAgeRule: r.compliance.secretariesOverAgeRule.count,
      },
      checkedAgainstRosters: true,
    };
  } finally {
    client.close();
  }
}

async function measureReport(
  ctx: StructureReportContext,
  id: 'g1' | 'g2' | 'g3',
  what: string,
  regionCode: string,
  expected: ExpectedReport,
  requests: number,
  warmup: number,
): Promise<ScenarioReport> {
  ctx.setPhase(`${id} check`);
  const shape = await probe(ctx, regionCode, expected);
  const variables = { regionCode, asOf: REPORT_AS_OF };
  const report = await ctx.measure(
    {
      id,
      name: `structureReport ${what} (${expected.unitCount.toLocaleString('en-US')} units)`,
      description: `query structureReport(regionCode: "${regionCode}", asOf: "${REPORT_AS_OF}") through the gateway, every figure and the first 20 units of each compliance list: ${expected.unitCount} villages and communities, ${expected.current.committeeCount + expected.previous.committeeCount} committee terms, ${expected.current.memberCount} + ${expected.previous.memberCount} members; one request at a time`,
      target: 'gateway',
    },
    {
      operation: 'structureReport',
      url: ctx.gatewayUrl,
      warmup: Array.from({ length: warmup }, () => variables),
      variables: [variables],
      total: requests,
    },
    { concurrency: 1 },
  );
  return { ...report, extra: { ...report.extra, regionCode, asOf: REPORT_AS_OF, analyzedBeforehand: true, report: shape } };
}

export async function scenarioStructureReport(ctx: StructureReportContext): Promise<void> {
  const { settings, say } = ctx;
  const file = buildImportFile(settings.importUnits, settings.importPeople, settings.seed);
  ctx.setPhase('f register');
  const t0 = performance.now();
  const register = await readRegister(ctx, file);
  say(`read ${register.length.toLocaleString('en-US')} units' registers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let plans: UnitPlan[];
  try {
    plans = register.map((unit, i) => planUnit(unit, i));
  } catch (error) {
    throw ctx.fail(error instanceof Error ? error.message : String(error));
  }

  const previous = await seat(ctx, plans, 'previous');
  ctx.onReport(previous);
  const current = await seat(ctx, plans, 'current');
  const terms = plans.length * 4;
  const seconds = previous.durationS + current.durationS;
  const termsPerSecond = Math.round((terms / seconds) * 10) / 10;
  say(`  seated ${terms.toLocaleString('en-US')} terms (${plans.length} units × 2 committees × 2 terms) in ${seconds.toFixed(1)} s: ${termsPerSecond} terms/s`);
  ctx.onReport({ ...current, extra: { ...current.extra, allTerms: terms, allTermsSeconds: Math.round(seconds * 10) / 10, allTermsPerSecond: termsPerSecond } });

  // The plans of the report's statement depend on the statistics of the tables seating just
  // filled; autovacuum analyses them within a minute or so, at a moment the run does not control.
  // Analysed now, every run measures the state a report asked for after data entry would meet.
  ctx.setPhase('g analyze');
  const ta = performance.now();
  await ctx.analyzePersonnel();
  say(`ANALYZE in personnel's database (planner statistics as autovacuum would leave them): ${((performance.now() - ta) / 1000).toFixed(1)} s`);

  // A district and a town with both villages and communities: the first county-level unit that has villages.
  const village = file.leaves.find((l) => l.kind === 'VILLAGE');
  if (!village) throw ctx.fail('the import has no village: cannot pick a district and a town with both kinds of unit');
  const districtCode = `${village.code.slice(0, 6)}000000`;
  const townCode = `${village.code.slice(0, 9)}000`;
  const regions = [
    { id: 'g1' as const, what: 'city', code: CITY_CODE, requests: settings.reportRequests.city, warmup: Math.min(settings.warmup, 3) },
    { id: 'g2' as const, what: 'district', code: districtCode, requests: settings.reportRequests.district, warmup: Math.min(settings.warmup, 5) },
    { id: 'g3' as const, what: 'town', code: townCode, requests: settings.reportRequests.town, warmup: Math.min(settings.warmup, 10) },
  ];
  for (const r of regions) {
    const expected = expectedReport(r.code, plans, ctx.otherUnitCodes);
    ctx.onReport(await measureReport(ctx, r.id, r.what, r.code, expected, r.requests, r.warmup));
  }
}
