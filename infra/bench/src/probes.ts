import { readFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { DataSource, Logger as OrmLogger } from 'typeorm';

/**
 * What the server side did during a scenario, observed without changing any service: SQL
 * statements per subgraph (TypeORM reports every statement to its logger), subgraph calls and
 * their server time (each service's Prometheus /metrics), the main thread's event-loop use, and
 * the CPU time of this process, its PostgreSQL processes and the Kafka broker.
 */

const TX_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)/i;
/** The outbox relay's polling transaction: runs every 250 ms per service, whatever the load. */
const RELAY = /pg_try_advisory_xact_lock|FROM outbox WHERE published_at IS NULL|UPDATE outbox SET published_at/i;

export interface SqlCounts {
  /** Statements doing the work: not transaction control, not relay polling. */
  work: number;
  /** BEGIN/COMMIT and the like. */
  txControl: number;
  /** Outbox relay polling and publishing. */
  relay: number;
  /** The work statements by shape (literals stripped), most frequent first. */
  shapes: Record<string, number>;
}

/** Statements slower than the threshold, grouped by shape. */
export interface SlowStatement {
  /** Subgraph (TypeORM's view) or database (PostgreSQL's view). */
  where: string;
  sql: string;
  count: number;
  maxMs: number;
}

/** Groups slow statements by where and shape, per phase (the scenario running at the time). */
export class SlowLog {
  private readonly byPhase = new Map<string, Map<string, SlowStatement>>();

  add(phase: string, where: string, sql: string, ms: number): void {
    const phaseMap = this.byPhase.get(phase) ?? new Map<string, SlowStatement>();
    this.byPhase.set(phase, phaseMap);
    const key = `${where}|${sql}`;
    const entry = phaseMap.get(key);
    if (entry) {
      entry.count++;
      entry.maxMs = Math.max(entry.maxMs, Math.round(ms));
    } else if (phaseMap.size < 100) {
      phaseMap.set(key, { where, sql, count: 1, maxMs: Math.round(ms) });
    }
  }

  /** The most frequent slow statements of a phase. */
  top(phase: string, n = 8): SlowStatement[] {
    return [...(this.byPhase.get(phase)?.values() ?? [])].sort((a, b) => b.count - a.count || b.maxMs - a.maxMs).slice(0, n);
  }

  total(phase: string): number {
    return [...(this.byPhase.get(phase)?.values() ?? [])].reduce((n, e) => n + e.count, 0);
  }
}

function shape(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "'?'")
    .replace(/\b\d+\b/g, '?')
    .trim()
    .slice(0, 160);
}

export class SqlProbe {
  private counts = new Map<string, { work: number; txControl: number; relay: number; shapes: Map<string, number> }>();
  /**
   * Statements TypeORM saw take longer than the threshold. Its clock runs from sending the
   * statement until this (busy) thread handles the answer, so it includes event-loop queueing.
   */
  readonly slow = new SlowLog();
  /** Labels what runs now (e.g. the scenario), for the slow log. */
  phase = 'start';
  /** When set, every work statement is kept with its parameters (for EXPLAIN). */
  capture: { service: string; sql: string; parameters: unknown[] }[] | null = null;

  /** Wraps each data source's logger (the wrapped methods still run) and sets the slow-query threshold. */
  constructor(dataSources: Record<string, DataSource>, slowQueryMs: number) {
    for (const [name, ds] of Object.entries(dataSources)) {
      this.counts.set(name, { work: 0, txControl: 0, relay: 0, shapes: new Map() });
      // TypeORM times every statement against this option and calls logQuerySlow above it.
      (ds.options as { maxQueryExecutionTime?: number }).maxQueryExecutionTime = slowQueryMs;
      const logger = ds.logger as OrmLogger;
      const logQuery = logger.logQuery.bind(logger);
      const logQuerySlow = logger.logQuerySlow.bind(logger);
      logger.logQuery = (query, parameters, runner) => {
        this.record(name, query);
        if (this.capture && !TX_CONTROL.test(query) && !RELAY.test(query)) this.capture.push({ service: name, sql: query, parameters: parameters ?? [] });
        return logQuery(query, parameters, runner);
      };
      logger.logQuerySlow = (time, query, parameters, runner) => {
        if (!TX_CONTROL.test(query)) this.slow.add(this.phase, name, shape(query), time);
        // The service logs these at warn itself only above its own 500 ms; don't double them.
        if (time >= 500) return logQuerySlow(time, query, parameters, runner);
      };
    }
  }

  private record(name: string, sql: string): void {
    const c = this.counts.get(name)!;
    if (TX_CONTROL.test(sql)) c.txControl++;
    else if (RELAY.test(sql)) c.relay++;
    else {
      c.work++;
      const key = shape(sql);
      c.shapes.set(key, (c.shapes.get(key) ?? 0) + 1);
    }
  }

  reset(): void {
    for (const c of this.counts.values()) {
      c.work = c.txControl = c.relay = 0;
      c.shapes.clear();
    }
  }

  read(): Record<string, SqlCounts> {
    const out: Record<string, SqlCounts> = {};
    for (const [name, c] of this.counts) {
      out[name] = {
        work: c.work,
        txControl: c.txControl,
        relay: c.relay,
        shapes: Object.fromEntries([...c.shapes].sort((a, b) => b[1] - a[1]).slice(0, 12)),
      };
    }
    return out;
  }
}

/** Sum and count of `http_request_duration_seconds` for route="graphql", per service. */
export type HttpTotals = Record<string, { count: number; sumSeconds: number }>;

export async function scrapeGraphqlTotals(services: Record<string, string>): Promise<HttpTotals> {
  const out: HttpTotals = {};
  await Promise.all(
    Object.entries(services).map(async ([name, graphqlUrl]) => {
      const url = new URL('/metrics', graphqlUrl);
      const text = await (await fetch(url)).text();
      let count = 0;
      let sumSeconds = 0;
      for (const line of text.split('\n')) {
        const m = /^http_request_duration_seconds_(sum|count)\{([^}]*)\}\s+(\S+)/.exec(line);
        if (!m || !/route="graphql"/.test(m[2]!)) continue;
        if (m[1] === 'sum') sumSeconds += Number(m[3]);
        else count += Number(m[3]);
      }
      out[name] = { count, sumSeconds };
    }),
  );
  return out;
}

export function diffTotals(before: HttpTotals, after: HttpTotals): Record<string, { calls: number; meanMs: number }> {
  const out: Record<string, { calls: number; meanMs: number }> = {};
  for (const [name, a] of Object.entries(after)) {
    const b = before[name] ?? { count: 0, sumSeconds: 0 };
    const calls = a.count - b.count;
    out[name] = { calls, meanMs: calls ? Math.round(((a.sumSeconds - b.sumSeconds) / calls) * 1e5) / 100 : 0 };
  }
  return out;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  /** CPU ticks of each PostgreSQL process below this one, by pid. */
  postgres: Map<number, number>;
  /** CPU seconds of the extra pids, by name. */
  extra: Record<string, number>;
  /** CPU seconds of the whole machine. */
  machine: number | null;
}

/** CPU time so far of this process's descendants named `postgres`, of extra pids, and of the machine. */
function cpuSnapshot(extraPids: Record<string, number>): CpuSnapshot {
  const out: CpuSnapshot = { postgres: new Map(), extra: {}, machine: null };
  if (process.platform !== 'linux') return out;
  let stats: ProcStat[];
  try {
    stats = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => readStat(Number(d)))
      .filter((s): s is ProcStat => s !== null);
  } catch {
    return out;
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid) ?? [];
    list.push(s);
    children.set(s.ppid, list);
  }
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const s = queue.shift()!;
    if (s.comm.startsWith('postgres')) out.postgres.set(s.pid, s.ticks);
    queue.push(...(children.get(s.pid) ?? []));
  }
  for (const [name, pid] of Object.entries(extraPids)) {
    const s = readStat(pid);
    if (s) out.extra[name] = s.ticks / CLOCK_TICKS;
  }
  out.machine = machineBusySeconds();
  return out;
}

/** CPU seconds between two snapshots; PostgreSQL backends that started meanwhile count in full, ones that ended are lost. */
function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  if (after.postgres.size || before.postgres.size) {
    let ticks = 0;
    for (const [pid, t] of after.postgres) ticks += t - (before.postgres.get(pid) ?? 0);
    out.postgres = ticks / CLOCK_TICKS;
  }
  for (const [name, v] of Object.entries(after.extra)) out[name] = v - (before.extra[name] ?? 0);
  if (after.machine !== null && before.machine !== null) out.machine = after.machine - before.machine;
  return out;
}

/** CPU seconds all processes on the machine have used (every core, not idle, not waiting on I/O). */
function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, ...values] = line.trim().split(/\s+/);
    const ticks = values.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
    const total = ticks.reduce((a, b) => a + b, 0);
    return (total - ticks[3]! - ticks[4]!) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

const DELAY_RESOLUTION_MS = 5;

export interface ServerWindow {
  /** Share of wall time the main thread (the five subgraphs and the gateway) was busy, 0–1. */
  mainThreadUtilisation: number;
  /** Share of wall time the load-generator thread was busy, 0–1. */
  clientThreadUtilisation: number | null;
  /** Main-thread event-loop delay: how long a ready callback waited (ms). */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /**
   * CPU used during the window, in % of one core (the machine has os.cpus().length cores): `node`
   * is this process (servers and load generator), `postgres` its PostgreSQL processes, `kafka` the
   * broker the bench started, `machine` everything, `others` what the rest of the machine used.
   */
  cpuPercent: Record<string, number>;
  /** Resident memory of this process at the end of the window (MiB). */
  rssMiB: number;
}

/** Measures the main thread, the client thread and the processes over one scenario. */
export function startWindow(clientElu: (() => EventLoopUtilization) | null, extraPids: Record<string, number>) {
  const elu0 = performance.eventLoopUtilization();
  const client0 = clientElu?.() ?? null;
  const cpu0 = process.cpuUsage();
  const procs0 = cpuSnapshot(extraPids);
  const t0 = performance.now();
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  delay.enable();
  return (): ServerWindow => {
    delay.disable();
    const wallS = (performance.now() - t0) / 1000;
    const elu = performance.eventLoopUtilization(elu0);
    const clientNow = clientElu?.();
    const client = clientNow && client0 ? performance.eventLoopUtilization(clientNow, client0) : null;
    const cpu = process.cpuUsage(cpu0);
    const procs1 = cpuSnapshot(extraPids);
    const pct = (seconds: number) => Math.round((seconds / wallS) * 1000) / 10;
    const cpuPercent: Record<string, number> = { node: pct((cpu.user + cpu.system) / 1e6) };
    for (const [name, v] of Object.entries(cpuDelta(procs0, procs1))) cpuPercent[name] = pct(v);
    if (cpuPercent.machine !== undefined) {
      // What the rest of the machine used meanwhile: other people's builds and tests skew the numbers.
      // Ours: this process, its PostgreSQL, and every process the caller named (the broker, gateways).
      const ours = Object.entries(cpuPercent).reduce((sum, [name, v]) => (name === 'machine' ? sum : sum + v), 0);
      cpuPercent.others = Math.max(0, Math.round((cpuPercent.machine - ours) * 10) / 10);
    }
    // The histogram holds the whole interval between timer ticks; the delay is what exceeds it.
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - DELAY_RESOLUTION_MS) * 100) / 100);
    return {
      mainThreadUtilisation: Math.round(elu.utilization * 1000) / 1000,
      clientThreadUtilisation: client ? Math.round(client.utilization * 1000) / 1000 : null,
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      cpuPercent,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  };
}

/**
 * PostgreSQL's own view: the server logs every statement that runs longer than
 * log_min_duration_statement (set by the bench), lock waits, and errors. Parameters (DETAIL lines)
 * are never kept: they may hold personal data.
 */
export class PostgresLog {
  readonly slow = new SlowLog();
  readonly errors = new SlowLog();
  phase = 'start';
  private pending: { phase: string; database: string; ms: number; sql: string } | null = null;
  private partial = '';

  /** A pino destination for the embedded server's log (the platform logs its output at debug). */
  readonly destination = {
    write: (line: string) => {
      try {
        const { message } = JSON.parse(line) as { message?: string };
        if (message) this.feed(message);
      } catch {
        // not a log line of ours
      }
    },
  };

  private feed(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    // '%m [%p] %d ' prefix: "2026-01-04 10:00:00.123 UTC [4711] bench_x_personnel LOG:  …"
    const m = /^\d{4}-\d\d-\d\d \S+ \S+ \[\d+\] (\S*) ?(LOG|ERROR|FATAL|WARNING|DETAIL|STATEMENT|HINT|CONTEXT):\s+(.*)$/.exec(line);
    if (!m) {
      if (this.pending) this.pending.sql += ` ${line.trim()}`; // a statement's next line
      return;
    }
    this.flush();
    const [, database, level, rest] = m as unknown as [string, string, string, string];
    const duration = /^duration: ([\d.]+) ms\s+(?:statement|execute [^:]*|bind [^:]*|parse [^:]*): (.*)$/.exec(rest);
    if (level === 'LOG' && duration) {
      this.pending = { phase: this.phase, database, ms: Number(duration[1]), sql: duration[2]! };
    } else if (level === 'LOG' && /^process \d+ (still waiting|acquired)/.test(rest)) {
      this.errors.add(this.phase, shortDb(database), `lock wait: ${rest.slice(0, 160)}`, 0);
    } else if (level === 'ERROR' || level === 'FATAL' || level === 'WARNING') {
      this.errors.add(this.phase, shortDb(database) || '-', `${level}: ${rest.slice(0, 200)}`, 0);
    }
  }

  /** Records the statement still being read (call before reading a phase's figures). */
  flush(): void {
    if (!this.pending) return;
    const p = this.pending;
    this.pending = null;
    this.slow.add(p.phase, shortDb(p.database), shape(p.sql), p.ms);
  }
}

/** 'bench_1a2b3c4d_personnel' → 'personnel'. */
function shortDb(database: string): string {
  return database.replace(/^bench_[0-9a-f]{8}_/, '');
}

/**
 * Waits (up to maxS seconds) until the rest of the machine has used less than `busyPercent` of one
 * core over a 3-second sample; call before starting anything. Returns the last sample (% of a core).
 */
export async function waitForQuietMachine(maxS: number, busyPercent: number, say: (line: string) => void): Promise<number | null> {
  const deadline = Date.now() + maxS * 1000;
  for (;;) {
    const a = machineBusySeconds();
    await new Promise((r) => setTimeout(r, 3000));
    const b = machineBusySeconds();
    if (a === null || b === null) return null;
    const last = Math.round(((b - a) / 3) * 1000) / 10;
    if (last < busyPercent) return last;
    if (Date.now() > deadline) {
      say(`the machine is still busy (${last}% of a core in use by other processes); starting anyway`);
      return last;
    }
    say(`waiting for a quiet machine: other processes use ${last}% of a core…`);
  }
}
