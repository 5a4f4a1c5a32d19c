import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ImportLine } from '@huanjie/personnel';
import type pg from 'pg';
import type { BenchSettings } from './config';
import { buildImportFile, type ImportRegion } from './import-dataset';
import type { SqlProbe } from './probes';
import { startWindow } from './probes';
import type { ScenarioReport } from './report';

/**
 * (e) Bulk import: a Chengdu-sized register (3,039 villages and communities, 21,000 people; issue
 * 3 wants it in under a minute) as one CSV file, POSTed to the personnel service's /import route
 * with the bench's ORG_ADMIN token, exactly as `npm run import` sends it. Measured from the first
 * byte sent to the summary line; then the same file again, which must skip every row; then how
 * long training needs to open a file for each imported person (21,000 PersonRegistered events).
 */

/** personnel's NDJSON answer (services/personnel/IMPORT.md). */
type ImportLineSummary = Extract<ImportLine, { type: 'summary' }>;

export interface ImportScenarioContext {
  settings: BenchSettings;
  /** The personnel subgraph's GraphQL URL; the route is /import beside it. */
  personnelUrl: string;
  token: string;
  sql: SqlProbe;
  trainingDb: pg.Client;
  pids: Record<string, number>;
  say: (line: string) => void;
  fail: (message: string) => Error;
  /** Whose register: Chengdu's other 17 county-level units unless given (import-dataset.ts). */
  region?: ImportRegion;
  /**
   * Wait at most this long for training to catch up, and report how far it got instead of failing
   * (the report suite's time budget). Default: fail after settings.loadTimeLimitS.
   */
  catchUpLimitS?: number;
}

/** POSTs the file and reads the NDJSON answer; returns the summary, the first errors, and when progress lines arrived. */
function post(url: string, token: string, csv: Buffer, onProgress: (done: number, total: number) => void) {
  return new Promise<{ summary: ImportLineSummary | null; errors: string[]; errorCount: number; progressAt: number[] }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-length': csv.length, authorization: `Bearer ${token}` },
    });
    req.setTimeout(600_000, () => req.destroy(new Error('no answer from /import within 600 s')));
    req.on('error', reject);
    req.on('response', (res) => {
      let buffer = '';
      const out = { summary: null as ImportLineSummary | null, errors: [] as string[], errorCount: 0, progressAt: [] as number[] };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const text = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (res.statusCode !== 200 || !text.trim()) continue;
          const line = JSON.parse(text) as ImportLine;
          if (line.type === 'progress') {
            out.progressAt.push(performance.now());
            onProgress(line.done, line.total);
          } else if (line.type === 'summary') out.summary = line;
          else if (line.type === 'error' || line.type === 'fatal') {
            out.errorCount++;
            if (out.errors.length < 5) out.errors.push(line.type === 'error' ? `line ${line.line} ${line.rule}: ${line.message}` : `fatal: ${line.message}`);
          }
        }
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(out) : reject(new Error(`HTTP ${res.statusCode}: ${buffer.slice(0, 300)}`))));
    });
    req.end(csv);
  });
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * The same register imported without measuring, for a scenario that needs it when e does not run
 * (structure-report alone); waits until training has caught up, so its consumer is idle afterwards.
 */
export async function importRegister(ctx: ImportScenarioContext): Promise<void> {
  const { settings, say } = ctx;
  const file = buildImportFile(settings.importUnits, settings.importPeople, settings.seed);
  const url = ctx.personnelUrl.replace(/\/graphql$/, '/import');
  say(`importing the register (${file.rows.toLocaleString('en-US')} rows, not measured) → ${url}`);
  const { rows: before } = await ctx.trainingDb.query<{ n: number }>('SELECT count(*)::int AS n FROM training_record');
  const t0 = performance.now();
  const result = await post(url, ctx.token, file.csv, () => {});
  const s = result.summary;
  if (!s || result.errorCount > 0 || s.imported.people !== file.people) {
    throw ctx.fail(`import: expected every row imported; got ${JSON.stringify(s)}; first errors:\n  ${result.errors.join('\n  ')}`);
  }
  const deadline = performance.now() + settings.loadTimeLimitS * 1000;
  for (;;) {
    const { rows } = await ctx.trainingDb.query<{ n: number }>('SELECT count(*)::int AS n FROM training_record');
    if (rows[0]!.n >= before[0]!.n + file.people) break;
    if (performance.now() > deadline) throw ctx.fail(`training holds ${rows[0]!.n - before[0]!.n} of ${file.people} records after the import`);
    await new Promise((r) => setTimeout(r, 200));
  }
  say(`  imported, and training caught up, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export async function scenarioImport(ctx: ImportScenarioContext): Promise<ScenarioReport> {
  const { settings, say } = ctx;
  const file = buildImportFile(settings.importUnits, settings.importPeople, settings.seed, ctx.region);
  const url = ctx.personnelUrl.replace(/\/graphql$/, '/import');
  say(
    `e. CSV import: ${file.rows.toLocaleString('en-US')} rows (${file.units.counties} counties, ${file.units.towns} townships, ` +
      `${file.units.leaves} villages/communities, ${file.people} people; ${(file.csv.length / 2 ** 20).toFixed(1)} MiB) → ${url}`,
  );
  const { rows: trainingBefore } = await ctx.trainingDb.query<{ n: number }>('SELECT count(*)::int AS n FROM training_record');

  ctx.sql.phase = 'e';
  ctx.sql.reset();
  const endWindow = startWindow(null, ctx.pids);
  // The services' resident memory (this process runs them all) while the file streams in.
  const rss0 = process.memoryUsage().rss;
  let peakRss = rss0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  let lastSaid = 0;
  const t0 = performance.now();
  const first = await post(url, ctx.token, file.csv, (done, total) => {
    if (performance.now() - lastSaid > 5000 || done === total) {
      lastSaid = performance.now();
      say(`  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows after ${((lastSaid - t0) / 1000).toFixed(1)} s`);
    }
  }).finally(() => clearInterval(sampler));
  const elapsedMs = performance.now() - t0;
  const server = endWindow();
  const sql = ctx.sql.read();
  const s = first.summary;
  if (!s || first.errorCount > 0 || s.imported.orgUnits !== file.rows - file.people || s.imported.people !== file.people) {
    throw ctx.fail(`import: expected every row imported; got ${JSON.stringify(s)}; first errors:\n  ${first.errors.join('\n  ')}`);
  }
  const rowsPerSecond = file.rows / (elapsedMs / 1000);
  say(`  imported in ${(elapsedMs / 1000).toFixed(1)} s: ${Math.round(rowsPerSecond)} rows/s, ${Math.round(file.people / (elapsedMs / 1000))} people/s`);

  // Idempotence at scale: the same file again changes nothing.
  const t1 = performance.now();
  const again = await post(url, ctx.token, file.csv, () => {});
  const againMs = performance.now() - t1;
  if (!again.summary || again.summary.skipped.people !== file.people || again.summary.imported.people !== 0 || again.errorCount > 0) {
    throw ctx.fail(`import re-run: expected every row skipped; got ${JSON.stringify(again.summary)}`);
  }
  say(`  re-run of the same file: every row skipped in ${(againMs / 1000).toFixed(1)} s`);

  // The consumers' side of 21,000 PersonRegistered events: training opens a file for each person.
  const expected = trainingBefore[0]!.n + file.people;
  const limitS = ctx.catchUpLimitS ?? settings.loadTimeLimitS;
  const deadline = performance.now() + limitS * 1000;
  let caughtUpMs: number | null = null;
  let opened: number;
  for (;;) {
    const { rows } = await ctx.trainingDb.query<{ n: number }>('SELECT count(*)::int AS n FROM training_record');
    opened = rows[0]!.n - trainingBefore[0]!.n;
    if (rows[0]!.n >= expected) {
      caughtUpMs = performance.now() - (t0 + elapsedMs);
      break;
    }
    if (performance.now() > deadline) {
      if (ctx.catchUpLimitS === undefined) throw ctx.fail(`training holds ${rows[0]!.n} of ${expected} records ${settings.loadTimeLimitS} s after the import`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const sinceImportS = (performance.now() - (t0 + elapsedMs)) / 1000;
  say(
    caughtUpMs === null
      ? `  training had opened ${opened} of ${file.people} files ${sinceImportS.toFixed(1)} s after the import's summary (not waiting longer)`
      : `  training caught up ${(caughtUpMs / 1000).toFixed(1)} s after the import's summary`,
  );

  // Time between progress lines = one transaction of about BENCH_IMPORT_BATCH rows, as the client saw it.
  const batchMs = first.progressAt.slice(1).map((at, i) => at - first.progressAt[i]!).sort((a, b) => a - b);
  const pct = (p: number) => (batchMs.length ? round(batchMs[Math.min(batchMs.length - 1, Math.ceil((p / 100) * batchMs.length) - 1)]!) : NaN);
  return {
    id: 'e',
    name: 'CSV import (personnel /import)',
    description:
      'a Chengdu-sized register (3,039 villages/communities, 21,000 people) as one CSV POSTed to personnel /import: per row the mutations’ checks, ID number encrypted, audit record and PersonRegistered in the outbox; units with their people committed whole, many per transaction',
    target: 'personnel subgraph',
    concurrency: 1,
    planned: file.rows,
    warmupRequests: 0,
    stoppedByTimeLimit: false,
    durationS: round(elapsedMs / 1000, 2),
    // "requests" are rows here and req/s is rows/s; per-row latency has no meaning in one upload.
    latencyMs: { requests: file.rows, errors: 0, throughput: round(rowsPerSecond), mean: NaN, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN },
    errorSamples: [],
    server,
    sql,
    extra: {
      rows: file.rows,
      orgUnits: file.rows - file.people,
      people: file.people,
      fileMiB: round(file.csv.length / 2 ** 20, 2),
      seconds: round(elapsedMs / 1000, 2),
      serverSeconds: round(s.durationMs / 1000, 2),
      rowsPerSecond: Math.round(rowsPerSecond),
      peoplePerSecond: Math.round(file.people / (elapsedMs / 1000)),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      rssAtStartMiB: Math.round(rss0 / 2 ** 20),
      rerunAllSkippedSeconds: round(againMs / 1000, 2),
      trainingCaughtUpSecondsAfterImport: caughtUpMs === null ? null : round(caughtUpMs / 1000, 1),
      // From the first byte of the import (events are published while it runs) to the last count.
      trainingFilesOpened: opened,
      trainingFilesPerSecond: Math.round(opened / (elapsedMs / 1000 + sinceImportS)),
      betweenProgressLinesMs: { count: batchMs.length, p50: pct(50), p95: pct(95), max: pct(100) },
      // Without BEGIN/COMMIT and the relay, as SQL/req counts elsewhere: about four per transaction.
      sqlWorkStatementsPersonnel: sql.personnel?.work ?? null,
      note: 'req/s is rows per second of the first run, from the first byte sent to the summary line; training catches up afterwards (its consumer takes one transaction per event)',
    },
  };
}
