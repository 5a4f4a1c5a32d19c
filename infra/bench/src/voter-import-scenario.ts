import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import type { BenchSettings } from './config';
import { startWindow } from './probes';
import type { ScenarioReport } from './report';
import type { VoterImportJob, VoterImportJobResult, VoterWorkerMessage } from './voter-import-worker';

/**
 * (i) Voter-roll import: a Baoshan-sized roll (1,000,746 registered voters in 2021, domain source
 * 004) as one CSV stream POSTed to elections' /voters/import, as `npm run import:voters` sends it,
 * plus nine deliberately bad lines that must come back with their line and rule. The file is
 * generated while it uploads, on a worker thread. Measured from the first byte sent to the summary
 * line; the service's resident memory (this process: the whole stack) is sampled every 100 ms.
 */
export interface VoterImportScenarioContext {
  settings: BenchSettings;
  /** The elections subgraph's GraphQL URL; the route is /voters/import beside it. */
  electionsUrl: string;
  /** elections' database, to create the election the roll belongs to (not through the lead's mutations). */
  elections: DataSource;
  token: string;
  pids: Record<string, number>;
  say: (line: string) => void;
  fail: (message: string) => Error;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mib = (bytes: number) => round(bytes / 2 ** 20, 0);
const ELECTION_DAY = '2026-05-20';

function runWorker(job: VoterImportJob, onProgress: (lines: number) => void): Promise<VoterImportJobResult> {
  const file = join(__dirname, 'voter-import-worker.ts');
  const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, { eval: true });
  return new Promise<VoterImportJobResult>((resolve, reject) => {
    worker.on('message', (m: VoterWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.lines);
      else if (m.type === 'result') resolve(m.result);
      else reject(new Error(`voter import client: ${m.message}`));
    });
    worker.on('error', reject);
    worker.postMessage(job);
  }).finally(() => void worker.terminate());
}

export async function scenarioVoterImport(ctx: VoterImportScenarioContext): Promise<ScenarioReport> {
  const { settings, say } = ctx;
  const voters = settings.voterImportVoters;
  // A cycle and a villagers' election of a 武侯区 village, open for registration, written directly.
  const cycleId = randomUUID();
  const electionId = randomUUID();
  await ctx.elections.query(
    `INSERT INTO election_cycle (id, name, region_code, region_path, term_years, starts_on, ends_on)
     VALUES ($1, 'bench 选民登记', '510100000000', '51.5101', 5, '2026-01-01', '2026-12-31')`,
    [cycleId],
  );
  await ctx.elections.query(
    `INSERT INTO election (id, cycle_id, org_unit_id, org_unit_code, region_path, committee_kind, seats, seat_total, election_day, method, law_version, status)
     VALUES ($1, $2, $3, '510107001299', '51.5101.510107.510107001.510107001299', 'VILLAGERS', '{"DIRECTOR":1,"MEMBER":6}', 7, $4, 'DIRECT', 'VCOL-2026', 'VOTER_REGISTRATION')`,
    [electionId, cycleId, randomUUID(), ELECTION_DAY],
  );
  const url = `${ctx.electionsUrl.replace(/\/graphql$/, '/voters/import')}?election=${electionId}`;
  say(`i. voter-roll import: ${voters.toLocaleString('en-US')} voters + 9 bad lines, generated as a stream → ${url}`);

  const rss0 = process.memoryUsage().rss;
  let peakRss = rss0;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  const endWindow = startWindow(null, ctx.pids);
  const t0 = performance.now();
  let lastSaid = 0;
  let result: VoterImportJobResult;
  try {
    result = await runWorker({ url, token: ctx.token, voters, seed: settings.seed, electionDay: ELECTION_DAY }, (lines) => {
      if (performance.now() - lastSaid > 5000) {
        lastSaid = performance.now();
        say(`  ${lines.toLocaleString('en-US')} lines read after ${((lastSaid - t0) / 1000).toFixed(1)} s`);
      }
    });
  } finally {
    clearInterval(sampler);
  }
  const elapsedMs = performance.now() - t0;
  const server = endWindow();
  if (result.fatal || !result.summary) throw ctx.fail(`voter import: ${result.fatal ?? 'no summary line'}`);
  const s = result.summary as { lines: number; registered: number; rejected: number; skipped: number; durationMs: number; byRule: Record<string, number> };
  // Every planted line must come back with its rule, and nothing else may be rejected.
  const got = result.rejected.map((r) => `${r.line} ${r.rule}`).sort();
  const want = result.planted.map((p) => `${p.line} ${p.rule}`).sort();
  if (JSON.stringify(got) !== JSON.stringify(want) || s.registered !== voters || s.lines !== result.lines) {
    throw ctx.fail(`voter import: expected ${voters} registered and the planted lines rejected (${want.join(', ')}); got ${JSON.stringify(s)} rejects ${got.join(', ')}`);
  }
  // The tally's own count of the roll, as the election commands ask it.
  const c0 = performance.now();
  const [{ n }] = await ctx.elections.query(`SELECT count(*)::int AS n FROM voter WHERE election_id = $1 AND removed_at IS NULL`, [electionId]);
  const countMs = performance.now() - c0;
  if (n !== voters) throw ctx.fail(`voter import: the roll holds ${n}, expected ${voters}`);

  const t = (at: number | null) => (at === null ? null : round((at - result.sentAtMs) / 1000, 2));
  const rowsPerSecond = result.lines / (elapsedMs / 1000);
  say(
    `  ${voters.toLocaleString('en-US')} registered, ${s.rejected} rejected in ${(elapsedMs / 1000).toFixed(1)} s: ${Math.round(rowsPerSecond).toLocaleString('en-US')} lines/s; ` +
      `upload+checks ${t(result.checkingAtMs)} s, committed at ${t(result.committedAtMs)} s; peak RSS ${mib(peakRss)} MiB (start ${mib(rss0)} MiB)`,
  );
  return {
    id: 'i',
    name: 'voter-roll import (elections /voters/import)',
    description:
      'a Baoshan-sized roll (1,000,746 voters) as one CSV stream POSTed to elections /voters/import: per line the GB 11643, age-on-election-day and basis checks, HMAC blind index and mask, COPY into a staging table; then duplicates in the file and the cycle, one INSERT … SELECT and one audit record in one transaction',
    target: 'elections subgraph',
    concurrency: 1,
    planned: result.lines,
    warmupRequests: 0,
    stoppedByTimeLimit: false,
    durationS: round(elapsedMs / 1000, 2),
    // "requests" are lines here and req/s is lines/s; per-line latency has no meaning in one upload.
    latencyMs: { requests: result.lines, errors: 0, throughput: round(rowsPerSecond), mean: NaN, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN },
    errorSamples: [],
    server,
    extra: {
      voters,
      lines: result.lines,
      rejected: s.rejected,
      byRule: s.byRule,
      fileMiB: round(result.bytes / 2 ** 20, 1),
      seconds: round(elapsedMs / 1000, 2),
      serverSeconds: round(s.durationMs / 1000, 2),
      linesPerSecond: Math.round(rowsPerSecond),
      uploadAndRowChecksSeconds: t(result.checkingAtMs),
      committedAtSeconds: t(result.committedAtMs),
      peakRssMiB: mib(peakRss),
      rssAtStartMiB: mib(rss0),
      peakHeapUsedMiB: mib(peakHeap),
      tallyCountMs: round(countMs, 1),
      note: 'RSS is the bench process: the whole stack, the client thread generating the file, and the import; PostgreSQL is a separate process',
    },
  };
}
