import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem, arch } from 'node:os';
import { join } from 'node:path';
import { SCENARIO_NAMES, type BenchSettings } from './config';
import type { ServerWindow, SlowStatement, SqlCounts } from './probes';
import type { LatencySummary } from './stats';

export interface MachineInfo {
  /** A label without the host name: platform, architecture, cores and memory. */
  label: string;
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
  /** 1/5/15-minute load averages when the run started: other work on the machine skews results. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  /** With BENCH_WAIT_IDLE_S: what other processes used just before the start (% of one core). */
  otherProcessesAtStartPercent?: number;
}

export function describeMachine(override?: string): MachineInfo {
  const list = cpus();
  const memGiB = Math.round((totalmem() / 2 ** 30) * 10) / 10;
  return {
    label: override ?? `${platform()}-${arch()}-${list.length}cpu-${Math.round(memGiB)}gib`,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    totalMemoryGiB: memGiB,
    node: process.version,
    platform: platform(),
    arch: arch(),
    osRelease: release(),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export interface ScenarioReport {
  id: 'a' | 'b' | 'c1' | 'c2' | 'd' | 'e' | 'f1' | 'f2' | 'g1' | 'g2' | 'g3' | 'h1' | 'h2' | 'i';
  name: string;
  description: string;
  /** Where the requests went. */
  target: 'gateway' | 'personnel subgraph' | 'elections subgraph';
  concurrency: number;
  planned: number;
  warmupRequests: number;
  stoppedByTimeLimit: boolean;
  durationS: number;
  latencyMs: LatencySummary;
  errorSamples: string[];
  server?: ServerWindow;
  /** Calls each service answered per measured request, and their mean server time. */
  serviceCalls?: Record<string, { perRequest: number; meanMs: number }>;
  /** SQL statements per measured request, per subgraph (work only; see README). */
  sqlPerRequest?: Record<string, number>;
  sql?: Record<string, SqlCounts>;
  diagnostics?: PhaseDiagnostics;
  extra?: Record<string, unknown>;
}

export interface BenchReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: MachineInfo;
  settings: Omit<BenchSettings, 'writeResults' | 'label' | 'kafkaBrokers' | 'resultsDir'> & { bus: string; nodeEnv: string };
  dataset: Record<string, number | string>;
  scenarios: ScenarioReport[];
  /** Slow statements and server errors while loading the data set. */
  load: PhaseDiagnostics;
}

/** Slow statements of a phase as TypeORM saw them (includes event-loop queueing) and as PostgreSQL ran them, and the server's errors. */
export interface PhaseDiagnostics {
  slowThresholdMs: number;
  slowSeenByTypeorm: { total: number; top: SlowStatement[] };
  slowInPostgres: { total: number; top: SlowStatement[] };
  postgresErrors: SlowStatement[];
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

/** The scenario table as Markdown (also readable as plain text). */
export function table(report: Pick<BenchReport, 'scenarios'>): string {
  const head = ['scenario', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'SQL/req', 'subgraph calls/req'];
  const rows = report.scenarios.map((s) => {
    const l = s.latencyMs;
    const sql = s.sqlPerRequest ? Object.values(s.sqlPerRequest).reduce((a, b) => a + b, 0) : undefined;
    const calls = s.serviceCalls
      ? Object.entries(s.serviceCalls)
          .filter(([name, c]) => name !== 'gateway' && c.perRequest > 0)
          .reduce((a, [, c]) => a + c.perRequest, 0)
      : undefined;
    return [
      `${s.id}. ${s.name}${s.stoppedByTimeLimit ? ' (time limit)' : ''}`,
      String(l.requests),
      String(l.errors),
      fmt(l.throughput),
      fmt(l.p50, 2),
      fmt(l.p95, 2),
      fmt(l.p99, 2),
      fmt(l.max, 2),
      fmt(sql),
      fmt(calls),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** Where each scenario's server time went: per-service calls and mean time, CPU, event loop. */
export function serverTable(report: Pick<BenchReport, 'scenarios'>): string {
  const services = ['gateway', 'personnel', 'vetting', 'elections', 'complaints', 'training'];
  const head = ['scenario', ...services.map((s) => `${s} calls×ms`), 'main thread busy', 'loop delay p99 ms', 'CPU % node/pg/kafka/others'];
  const rows = report.scenarios
    .filter((s) => s.server)
    .map((s) => [
      `${s.id}. ${s.name}`,
      ...services.map((name) => {
        const c = s.serviceCalls?.[name];
        return c && c.perRequest > 0 ? `${fmt(c.perRequest, 2)}×${fmt(c.meanMs, 1)}` : '–';
      }),
      `${Math.round((s.server!.mainThreadUtilisation ?? 0) * 100)}%`,
      fmt(s.server!.eventLoopDelayMs.p99, 1),
      [s.server!.cpuPercent.node, s.server!.cpuPercent.postgres, s.server!.cpuPercent.kafka, s.server!.cpuPercent.others]
        .map((v) => fmt(v, 0))
        .join('/'),
    ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** Per scenario: how many statements crossed the slow threshold, in PostgreSQL and as the services saw them, and server errors. */
export function slowSummary(report: Pick<BenchReport, 'scenarios' | 'load'>): string {
  const phases: [string, PhaseDiagnostics | undefined][] = [
    ['load', report.load],
    ...report.scenarios.map((s) => [`${s.id}. ${s.name}`, s.diagnostics] as [string, PhaseDiagnostics | undefined]),
  ];
  const threshold = report.load.slowThresholdMs;
  const lines = [`statements over ${threshold} ms — in PostgreSQL / as the services saw them (incl. event-loop wait); server errors:`];
  for (const [name, d] of phases) {
    if (!d) continue;
    const top = d.slowInPostgres.top[0];
    lines.push(
      `  ${name}: ${d.slowInPostgres.total} / ${d.slowSeenByTypeorm.total}; errors ${d.postgresErrors.reduce((n, e) => n + e.count, 0)}` +
        (top ? `; slowest kind in PostgreSQL: ${top.count}× up to ${top.maxMs} ms ${top.sql.slice(0, 70)}` : ''),
    );
  }
  return lines.join('\n');
}

function slug(bus: string): string {
  return bus.startsWith('kafka') ? 'kafka' : 'inprocess';
}

/** '' for a run of every scenario, else e.g. '-import': a partial run is kept beside the full one, never in its place. */
function subsetSuffix(report: BenchReport): string {
  const all = SCENARIO_NAMES.every((name) => report.settings.scenarios.includes(name));
  return all ? '' : `-${report.settings.scenarios.join('+')}`;
}

export function resultFileName(report: BenchReport): string {
  return `${report.startedAt.slice(0, 10)}-${report.machine.label}-${slug(report.settings.bus)}${subsetSuffix(report)}.json`;
}

export function writeJson(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, resultFileName(report));
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const RESULTS_HEADER = `# Benchmark results

Recorded with the scenario suite, \`npm run bench -- --suite scenarios\` or \`BENCH_SCENARIOS=… npm run bench\` (see [README.md](README.md) for what each scenario measures and how
to read the numbers). Each section is one run; a re-run on the same day, machine and bus replaces
its section. The full data of each run, including SQL statement shapes and slow queries, is in
[results/](results/).
`;

function section(report: BenchReport, jsonName: string): string {
  const m = report.machine;
  const s = report.settings;
  const d = report.dataset;
  const kafka = report.settings.bus.startsWith('kafka');
  return [
    `## ${report.startedAt.slice(0, 10)} · ${m.label} · ${kafka ? 'Kafka' : 'in-process bus'}${subsetSuffix(report) ? ` · only ${s.scenarios.join(', ')}` : ''}`,
    '',
    `- **Machine:** ${m.cpuModel}, ${m.cpuCount} CPUs, ${m.totalMemoryGiB} GiB, Node ${m.node}, ${m.platform} ${m.osRelease}; load average at start ${m.loadAverageAtStart.join(' / ')}`,
    `- **Events:** ${s.bus}; NODE_ENV=${s.nodeEnv || '(unset)'}`,
    `- **Data set:** ${d.units} org units (${d.towns} towns/sub-districts, ${d.leaves} villages/communities), ${d.people} people, ${d.cycles} 换届 cycles, ${d.complaints} open complaints; loaded through the gateway in ${d.loadSeconds} s (${d.loadRequestsPerSecond} req/s at concurrency ${s.loadConcurrency})`,
    `- **Settings:** concurrency ${s.concurrency}, warm-up ${s.warmup} requests per scenario, requests write ${s.requests.write} / federated ${s.requests.federated} / single-subgraph ${s.requests.subgraph} / lag samples ${s.lagSamples} (poll every ${s.lagPollMs} ms) / import ${s.importUnits} villages and communities with ${s.importPeople} people${s.reportRequests ? ` / structure report city ${s.reportRequests.city}, district ${s.reportRequests.district}, town ${s.reportRequests.town} (one at a time)` : ''}, time limit ${s.scenarioTimeLimitS} s per scenario, seed ${s.seed}`,
    `- **Run:** ${report.durationS} s in all; data: [results/${jsonName}](results/${jsonName})`,
    '',
    table(report),
    '',
    'Server side during each scenario (calls per request × mean server ms; CPU in % of one core):',
    '',
    serverTable(report),
    '',
    '```text',
    slowSummary(report),
    '```',
    '',
  ].join('\n');
}

/** Adds this run's section to RESULTS.md, replacing an earlier one with the same key. */
export function updateResultsMarkdown(file: string, report: BenchReport, jsonName: string): void {
  const key = jsonName.replace(/\.json$/, '');
  const begin = `<!-- bench:${key} -->`;
  const end = `<!-- /bench:${key} -->`;
  const block = `${begin}\n${section(report, jsonName)}${end}\n`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : `${RESULTS_HEADER}\n`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    text = `${text.slice(0, from)}${block}${text.slice(to + end.length + 1)}`;
  } else {
    text = `${text.trimEnd()}\n\n${block}`;
  }
  writeFileSync(file, text);
}
