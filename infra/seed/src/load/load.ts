import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthOptions } from '@huanjie/platform';
import { CITY, PROVINCE } from '../generate/geography';
import type { SeedData } from '../generate/types';
import { recordPledges } from './pledges';
import { createCycle, loadElections } from './elections';
import { loadComplaints } from './complaints';
import type { LoadContext } from './context';
import { createGraph, type Graph } from './graph';
import { readIds } from './id-map';
import { importRegister } from './register-import';
import { concludeReviews } from './reviews';
import { Progress } from './progress';
import { loadRiskItems } from './risks';
import { startTerms } from './terms';
import { loadTraining } from './training';
import { loadVoterRolls } from './voter-rolls';

/**
 * Loads a generated data set into a running stack through the paths the services offer for bulk
 * work: personnel's CSV import for the tree and the register, elections' voter-roll import, and
 * GraphQL mutations through the gateway for everything else, at most `concurrency` at a time.
 * Expects a stack without this data set's units (it refuses to start otherwise).
 */
export interface LoadTarget {
  gatewayUrl: string;
  /** personnel's POST /import. */
  personnelImportUrl: string;
  /** elections' POST /voters/import. */
  voterImportUrl: string;
  /** The stack's token settings, to sign a token per actor. */
  auth: AuthOptions | null;
  /** An ORG_ADMIN token to use instead of a signed one. */
  orgAdminToken?: string;
}

export interface LoadOptions {
  /** Mutations in flight at once. Default: 8. */
  concurrency?: number;
  /** How long to wait for something the services do on their own (a review opened, pre-checks). Default: 600 s. */
  waitMs?: number;
  /** A note as each step ends (stderr by default). */
  say?: (line: string) => void;
  /** No progress lines. */
  quiet?: boolean;
}

export interface StepReport {
  step: string;
  items: number;
  requests: number;
  seconds: number;
  itemsPerSecond: number;
}

export interface LoadReport {
  steps: StepReport[];
  seconds: number;
  requests: number;
  /** What the graph says once the events have been handled. */
  settled: { reviewsOpened: number; candidates: number; secondsAfterLoad: number };
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function refuseIfPresent(graph: Graph, data: SeedData): Promise<void> {
  const towns = data.units.filter((u) => u.level === 4).map((u) => u.code);
  // 15 aliases a request: within the gateway's limits on aliases and top-level fields.
  for (let i = 0; i < towns.length; i += 15) {
    const batch = towns.slice(i, i + 15);
    const query = `query SeedPreflight { ${batch.map((code, j) => `t${j}: orgUnitByCode(code: "${code}") { code }`).join(' ')} }`;
    const found = Object.values(await graph.send<Record<string, { code: string } | null>>('ORG_ADMIN', query)).filter(Boolean);
    if (found.length > 0) {
      throw new Error(
        `the stack already holds units of this data set (${found.map((f) => f!.code).join(', ')}): seed into a stack without them ` +
          '(a fresh data directory; `npm start` with HUANJIE_DEMO_DATA=false)',
      );
    }
  }
}

/** Waits until vetting has a review for every nomination (CandidateNominated handled). */
async function settle(graph: Graph, candidates: number, waitMs: number): Promise<LoadReport['settled']> {
  const t0 = performance.now();
  const query = `query SeedVetted($input: VettingReportInput!) { vettingReport(input: $input) { reviewed } }`;
  for (;;) {
    const { vettingReport } = await graph.send<{ vettingReport: { reviewed: number } }>('ORG_ADMIN', query, {
      input: { regionCode: CITY.code },
    });
    const secondsAfterLoad = round((performance.now() - t0) / 1000);
    if (vettingReport.reviewed >= candidates || performance.now() - t0 > waitMs)
      return { reviewsOpened: vettingReport.reviewed, candidates, secondsAfterLoad };
    await sleep(500);
  }
}

export async function loadSeed(target: LoadTarget, data: SeedData, options: LoadOptions = {}): Promise<LoadReport> {
  const concurrency = options.concurrency ?? 8;
  const waitMs = options.waitMs ?? 600_000;
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const graph = createGraph({
    gatewayUrl: target.gatewayUrl,
    auth: target.auth,
    regionCode: PROVINCE.code,
    orgAdminToken: target.orgAdminToken,
  });
  const steps: StepReport[] = [];
  const t0 = performance.now();
  const step = async <T>(name: string, items: (result: T) => number, run: () => Promise<T>): Promise<T> => {
    const [started, requestsBefore] = [performance.now(), graph.requests];
    const result = await run();
    const seconds = (performance.now() - started) / 1000;
    const n = items(result);
    steps.push({
      step: name,
      items: n,
      requests: graph.requests - requestsBefore,
      seconds: round(seconds, 2),
      itemsPerSecond: round(n / Math.max(seconds, 0.001)),
    });
    say(`${name}: ${n.toLocaleString('en-US')} in ${seconds.toFixed(1)} s`);
    return result;
  };

  const ctx: LoadContext = {
    graph,
    data,
    concurrency,
    progress: (label, total) => new Progress(label, total, options.quiet ? () => {} : undefined),
  };
  await refuseIfPresent(graph, data);
  const orgAdmin = await graph.token('ORG_ADMIN');
  await step(
    'register: org units and people (CSV import)',
    (r) => r.rows,
    () => importRegister(target.personnelImportUrl, orgAdmin, data, ctx.progress),
  );
  const ids = await step(
    'ids read back (by township)',
    () => data.units.length + data.people.length,
    () => readIds(ctx),
  );
  await step(
    '2021 terms (startTerm)',
    (n) => n,
    () => startTerms(ctx, ids),
  );
  const { cycleId } = await step(
    '2026 cycle and transitions opened',
    (r) => r.transitions,
    () => createCycle(ctx, ids),
  );
  const elections = await step(
    'elections and nominations',
    () => data.elections.reduce((n, e) => n + 1 + e.candidates.length, 0),
    () => loadElections(ctx, cycleId, ids),
  );
  // A candidate without a signed pledge cannot be cleared (vetting: PLEDGE.MISSING).
  await step(
    'pledges',
    (n) => n,
    () => recordPledges(ctx, ids, cycleId, elections),
  );
  await step(
    '联审 of the pilot units concluded',
    (r) => r.cleared + r.disqualified,
    () => concludeReviews(ctx, elections, waitMs),
  );
  await step(
    'voter rolls of the pilot units (CSV import)',
    (r) => r.voters,
    () => loadVoterRolls(ctx, elections, target.voterImportUrl),
  );
  await step(
    'complaints',
    (n) => n,
    () => loadComplaints(ctx, ids, elections),
  );
  await step(
    'risk register',
    (n) => n,
    () => loadRiskItems(ctx, ids),
  );
  await step(
    'training',
    (r) => r.sessions + r.enrolments,
    () => loadTraining(ctx, ids),
  );
  const seconds = round((performance.now() - t0) / 1000);
  const candidates = data.elections.reduce((n, e) => n + e.candidates.length, 0);
  const settled = await settle(graph, candidates, waitMs);
  return { steps, seconds, requests: graph.requests, settled };
}
