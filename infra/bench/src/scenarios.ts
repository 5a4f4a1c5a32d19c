// The measured scenarios of `npm run bench` and what they share: the load-generator thread, the
// probes around each run, and the failure rule (any failed request fails the bench).
import './process-env'; // first: graphql and Apollo read the environment when they load
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { type BenchSettings } from './config';
import { seededRandom } from '@huanjie/platform';
import { PeopleFactory, type DataSet } from './dataset';
import { GraphQLClient } from './http-client';
import { Closers, type Infra } from './infra';
import { type LoadedData } from './load-data';
import type { LoadJob, LoadJobResult, WorkerMessage } from './load-worker';
import { REGISTER_PERSON, TOWN_OVERVIEW } from './operations';
import { SqlProbe, diffTotals, scrapeGraphqlTotals, startWindow } from './probes';
import { type PhaseDiagnostics, type ScenarioReport } from './report';
import { summarise } from './stats';

export const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export class BenchFailure extends Error {}

/** The load-generator thread; tsx is registered in it the same way `node --import tsx` did here. */
export function startLoadWorker(closers: Closers) {
  const file = join(__dirname, 'load-worker.ts');
  const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, { eval: true });
  closers.add('load-generator thread', async () => {
    await worker.terminate();
  });
  let pending: { resolve: (r: LoadJobResult) => void; reject: (e: Error) => void } | null = null;
  let progress: ((done: number, total: number, errors: number) => void) | null = null;
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'progress') {
      progress?.(m.done, m.total, m.errors);
      return;
    }
    const p = pending;
    pending = null;
    progress = null;
    if (m.type === 'result') p?.resolve(m.result);
    else p?.reject(new Error(`load generator: ${m.message}`));
  });
  worker.on('error', (e) => {
    pending?.reject(e);
    pending = null;
  });
  return {
    run(job: LoadJob, onProgress?: (done: number, total: number, errors: number) => void): Promise<LoadJobResult> {
      if (pending) throw new Error('the load generator runs one job at a time');
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        progress = onProgress ?? null;
        worker.postMessage(job);
      });
    },
    elu: (): EventLoopUtilization => worker.performance.eventLoopUtilization(),
  };
}

export type LoadWorker = ReturnType<typeof startLoadWorker>;

export interface Context {
  settings: BenchSettings;
  infra: Infra;
  token: string;
  worker: LoadWorker;
  sql: SqlProbe;
  services: Record<string, string>;
  pids: Record<string, number>;
  data: DataSet;
  loaded: LoadedData;
  factory: PeopleFactory;
  trainingDb: pg.Client;
}

export function failOnErrors(name: string, errors: number, samples: string[], phase = 'measured'): void {
  if (errors > 0) throw new BenchFailure(`${name}: ${errors} ${phase} request(s) failed; first errors:\n  ${samples.join('\n  ')}`);
}

/** Labels the slow logs with what runs now. */
export function setPhase(ctx: Pick<Context, 'sql' | 'infra'>, phase: string): void {
  ctx.infra.postgresLog.flush();
  ctx.sql.phase = phase;
  ctx.infra.postgresLog.phase = phase;
}

export function diagnostics(ctx: Pick<Context, 'sql' | 'infra' | 'settings'>, phase: string): PhaseDiagnostics {
  const pgLog = ctx.infra.postgresLog;
  pgLog.flush();
  return {
    slowThresholdMs: ctx.settings.slowQueryMs,
    slowSeenByTypeorm: { total: ctx.sql.slow.total(phase), top: ctx.sql.slow.top(phase) },
    slowInPostgres: { total: pgLog.slow.total(phase), top: pgLog.slow.top(phase) },
    postgresErrors: pgLog.errors.top(phase, 20),
  };
}

/** Warm-up, then the measured loop in the load-generator thread, with the server-side probes around it. */
export async function workerScenario(
  ctx: Pick<Context, 'settings' | 'infra' | 'token' | 'worker' | 'sql' | 'services' | 'pids'>,
  meta: Pick<ScenarioReport, 'id' | 'name' | 'description' | 'target'>,
  job: Omit<LoadJob, 'warmup' | 'total' | 'token' | 'concurrency' | 'timeLimitMs'> & { warmup: Record<string, unknown>[]; total: number },
  hooks: {
    /** Runs between warm-up and the measured loop (e.g. to let the event pipeline drain). */
    afterWarmup?: () => Promise<void>;
    /** Runs after the measured loop, before the SQL counters are read; returns extra figures. */
    afterLoop?: (result: LoadJobResult) => Promise<Record<string, unknown>>;
    /** Instead of BENCH_CONCURRENCY and BENCH_SCENARIO_TIME_LIMIT_S. */
    concurrency?: number;
    timeLimitS?: number;
    /** Called with the worker's progress messages (set job.progressEveryMs). */
    onProgress?: (done: number, total: number, errors: number) => void;
  } = {},
): Promise<ScenarioReport> {
  const common = {
    token: ctx.token,
    concurrency: hooks.concurrency ?? ctx.settings.concurrency,
    timeLimitMs: (hooks.timeLimitS ?? ctx.settings.scenarioTimeLimitS) * 1000,
  };
  say(`${meta.id}. ${meta.name}: warm-up ${job.warmup.length}, then ${job.total} requests at concurrency ${common.concurrency}…`);
  setPhase(ctx, `${meta.id} warm-up`);
  const warm = await ctx.worker.run({ ...common, ...job, total: 0 });
  failOnErrors(meta.name, warm.warmup.errors, warm.warmup.errorSamples, 'warm-up');
  await hooks.afterWarmup?.();

  setPhase(ctx, meta.id);
  ctx.sql.reset();
  const before = await scrapeGraphqlTotals(ctx.services);
  const endWindow = startWindow(ctx.worker.elu, ctx.pids);
  const result = await ctx.worker.run({ ...common, ...job, warmup: [] }, hooks.onProgress);
  const server = endWindow();
  const after = await scrapeGraphqlTotals(ctx.services);
  const extra = hooks.afterLoop ? await hooks.afterLoop(result) : undefined;
  const sql = ctx.sql.read();

  const m = result.measured;
  const completed = Math.max(1, m.completed);
  const calls = diffTotals(before, after);
  const report: ScenarioReport = {
    ...meta,
    concurrency: common.concurrency,
    planned: job.total,
    warmupRequests: warm.warmup.completed,
    stoppedByTimeLimit: m.stoppedByTimeLimit,
    durationS: round(m.elapsedMs / 1000),
    latencyMs: summarise(m.latenciesMs, m.errors, m.elapsedMs),
    errorSamples: m.errorSamples,
    server,
    serviceCalls: Object.fromEntries(
      Object.entries(calls).map(([name, c]) => [name, { perRequest: round(c.calls / completed), meanMs: c.meanMs }]),
    ),
    sqlPerRequest: Object.fromEntries(Object.entries(sql).map(([name, c]) => [name, round(c.work / completed)])),
    sql,
    diagnostics: diagnostics(ctx, meta.id),
    ...(extra ? { extra } : {}),
  };
  const others = server.cpuPercent.others;
  if (others !== undefined && others > 25) {
    say(`  note: other processes on this machine used ${others}% of a core during ${meta.name}; the numbers are skewed by them`);
  }
  if (m.stoppedByTimeLimit)
    say(`  ${meta.name} stopped at the ${common.timeLimitMs / 1000} s time limit after ${m.completed} of ${job.total} requests`);
  say(
    `  ${report.latencyMs.requests} requests, ${report.latencyMs.errors} errors, ${report.latencyMs.throughput} req/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms`,
  );
  failOnErrors(meta.name, m.errors, m.errorSamples);
  return report;
}

export async function trainingRecordCount(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM training_record');
  return rows[0]!.n;
}

/** Waits until training holds `expected` records; returns when that happened (timeOrigin-based ms). */
export async function waitForTrainingRecords(db: pg.Client, expected: number, timeoutMs: number, pollMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const n = await trainingRecordCount(db);
    if (n >= expected) return performance.timeOrigin + performance.now();
    if (performance.now() > deadline)
      throw new BenchFailure(`training holds ${n} of ${expected} training records after ${timeoutMs / 1000} s`);
    await sleep(pollMs);
  }
}

/** Registrations for the write scenario: unique people spread over all villages/communities. */
export function registrations(ctx: Context, count: number, offset: number): Record<string, unknown>[] {
  const leaves = ctx.data.leaves;
  return Array.from({ length: count }, (_, i) => {
    const unit = leaves[(offset + i * 7) % leaves.length]!;
    return { input: { ...ctx.factory.next(unit.code), orgUnitId: ctx.loaded.unitIds.get(unit.code) } };
  });
}

export async function scenarioWrite(ctx: Context): Promise<ScenarioReport> {
  const { settings } = ctx;
  const expectedBefore = await trainingRecordCount(ctx.trainingDb);
  const warmup = registrations(ctx, settings.warmup, 0);
  const measured = registrations(ctx, settings.requests.write, settings.warmup);
  return workerScenario(
    ctx,
    {
      id: 'a',
      name: 'registerPerson (gateway)',
      description:
        'mutation registerPerson through the gateway: validation, ID number encrypted, insert, audit record and outbox event in one transaction',
      target: 'gateway',
    },
    { operation: 'registerPerson', url: ctx.infra.stack.gatewayUrl, warmup, variables: measured, total: measured.length },
    {
      // The warm-up's events are handled before measuring, so the consumers' statements counted are the measured requests' own.
      afterWarmup: async () => {
        await waitForTrainingRecords(ctx.trainingDb, expectedBefore + warmup.length, 120_000, 5);
      },
      afterLoop: async (result) => {
        // How long the event pipeline needs to catch up with the burst: the last registration's
        // response until training has opened a file for every person.
        const expected = expectedBefore + warmup.length + result.measured.completed;
        const caughtUpAt = await waitForTrainingRecords(ctx.trainingDb, expected, 120_000, 5);
        return {
          trainingCaughtUpMsAfterLastResponse: round(Math.max(0, caughtUpAt - result.lastResponseAt), 1),
          note: 'SQL counts include the consumers’ work (training, inbox) until caught up; CPU and event-loop figures cover the measured loop only',
        };
      },
    },
  );
}

export async function scenarioFederated(ctx: Context): Promise<ScenarioReport> {
  const towns = ctx.data.towns.map((t) => ({ code: t.code }));
  // What one answer holds, for reading the numbers.
  const probe = new GraphQLClient(ctx.infra.stack.gatewayUrl, ctx.token, 1);
  const sample = await probe
    .post<{ orgUnitByCode: { children: { nodes: { people: { nodes: unknown[] } }[] } } }>(TOWN_OVERVIEW, towns[0])
    .finally(() => probe.close());
  const nodes = sample.data?.orgUnitByCode?.children.nodes ?? [];
  const shape = {
    responseBytes: Buffer.byteLength(JSON.stringify({ data: sample.data })),
    unitsPerResponse: nodes.length,
    peoplePerResponse: nodes.reduce((n, u) => n + u.people.nodes.length, 0),
  };
  const report = await workerScenario(
    ctx,
    {
      id: 'b',
      name: 'town overview (federated)',
      description:
        'orgUnitByCode(town) { children(first: 50) { … people(first: 20) { … } } } through the gateway: personnel, complaints, training, elections and vetting in one query',
      target: 'gateway',
    },
    {
      operation: 'townOverview',
      url: ctx.infra.stack.gatewayUrl,
      warmup: Array.from({ length: ctx.settings.warmup }, (_, i) => towns[i % towns.length]!),
      variables: towns,
      total: ctx.settings.requests.federated,
    },
  );
  return { ...report, extra: { ...report.extra, firstTown: shape } };
}

export function personVariables(ctx: Context): Record<string, unknown>[] {
  const random = seededRandom(ctx.settings.seed + 3);
  const ids = ctx.loaded.people.map((p) => p.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.map((id) => ({ id }));
}

export async function scenarioPerson(ctx: Context, via: 'subgraph' | 'gateway'): Promise<ScenarioReport> {
  const variables = personVariables(ctx);
  if (variables.length === 0) throw new BenchFailure('the person(id) scenario needs people: set BENCH_PEOPLE_PER_UNIT to 1 or more');
  return workerScenario(
    ctx,
    via === 'subgraph'
      ? {
          id: 'c1',
          name: 'person(id) → personnel subgraph',
          description:
            'query person(id) sent straight to the personnel subgraph (token verified there; two SQL statements: the person, then its unit)',
          target: 'personnel subgraph',
        }
      : {
          id: 'c2',
          name: 'person(id) → gateway',
          description: 'the same query text through the gateway: the difference to c1 is the gateway’s cost',
          target: 'gateway',
        },
    {
      operation: 'person',
      url: via === 'subgraph' ? ctx.infra.stack.subgraphUrls.personnel : ctx.infra.stack.gatewayUrl,
      warmup: variables.slice(0, ctx.settings.warmup),
      variables,
      total: ctx.settings.requests.subgraph,
    },
  );
}

/**
 * (d) One registration at a time; from its response, poll training's database until the file
 * exists. Measures the outbox relay, the bus and the consumer with nothing else going on.
 */
export async function scenarioLag(ctx: Context): Promise<ScenarioReport> {
  const { settings } = ctx;
  const client = new GraphQLClient(ctx.infra.stack.gatewayUrl, ctx.token, 1);
  const warmupSamples = Math.min(settings.warmup, 5);
  const total = warmupSamples + settings.lagSamples;
  say(`d. event lag: ${warmupSamples} warm-up, then ${settings.lagSamples} samples, one at a time (poll every ${settings.lagPollMs} ms)…`);
  setPhase(ctx, 'd');
  const lags: number[] = [];
  const writes: number[] = [];
  const deadline = performance.now() + settings.scenarioTimeLimitS * 1000;
  let stoppedByTimeLimit = false;
  const t0 = performance.now();
  try {
    for (let k = 0; k < total; k++) {
      if (performance.now() > deadline) {
        stoppedByTimeLimit = true;
        break;
      }
      const unit = ctx.data.leaves[(k * 13) % ctx.data.leaves.length]!;
      const input = { ...ctx.factory.next(unit.code), orgUnitId: ctx.loaded.unitIds.get(unit.code) };
      const sent = performance.now();
      const res = await client.must<{ registerPerson: { id: string } }>(REGISTER_PERSON, { input });
      const answered = performance.now();
      const id = res.registerPerson.id;
      for (;;) {
        const { rowCount } = await ctx.trainingDb.query('SELECT 1 FROM training_record WHERE person_id = $1', [id]);
        if (rowCount) break;
        if (performance.now() - answered > 30_000)
          throw new BenchFailure(`event lag: no training record for person ${id} 30 s after registration`);
        await sleep(settings.lagPollMs);
      }
      const lag = performance.now() - answered;
      if (k >= warmupSamples) {
        lags.push(lag);
        writes.push(answered - sent);
      }
    }
  } finally {
    client.close();
  }
  const summary = summarise(lags, 0, performance.now() - t0);
  const writeAlone = summarise(writes, 0, 1);
  say(`  ${summary.requests} samples: lag p50 ${summary.p50} ms, p99 ${summary.p99} ms, max ${summary.max} ms`);
  return {
    id: 'd',
    name: 'event lag registerPerson → training record',
    description:
      'from registerPerson’s response until training_record holds the person (outbox relay → bus → consumer → insert), one registration at a time',
    target: 'gateway',
    concurrency: 1,
    planned: settings.lagSamples,
    warmupRequests: warmupSamples,
    stoppedByTimeLimit,
    durationS: round((performance.now() - t0) / 1000),
    latencyMs: { ...summary, throughput: NaN },
    errorSamples: [],
    diagnostics: diagnostics(ctx, 'd'),
    extra: {
      pollIntervalMs: settings.lagPollMs,
      registerPersonAloneMs: { p50: writeAlone.p50, p95: writeAlone.p95, max: writeAlone.max },
      note: 'latency columns are the lag; lag resolution is the poll interval plus one SELECT',
    },
  };
}
