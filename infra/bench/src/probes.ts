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

export interface SlowQuery {
  subgraph: string;
  ms: number;
  sql: string;
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
  readonly slow: SlowQuery[] = [];

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
        return logQuery(query, parameters, runner);
      };
      logger.logQuerySlow = (time, query, parameters, runner) => {
        if (this.slow.length < 200) this.slow.push({ subgraph: name, ms: Math.round(time), sql: shape(query) });
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
    this.slow.length = 0;
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

/** CPU seconds used so far by this process's descendants named `postgres`, and by extra pids. */
export function cpuSnapshot(extraPids: Record<string, number> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  if (process.platform !== 'linux') return out;
  let stats: ProcStat[] = [];
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
  let postgres = 0;
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const s = queue.shift()!;
    if (s.comm.startsWith('postgres')) postgres += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  out.postgres = postgres / CLOCK_TICKS;
  for (const [name, pid] of Object.entries(extraPids)) {
    const s = readStat(pid);
    if (s) out[name] = s.ticks / CLOCK_TICKS;
  }
  const machine = machineBusySeconds();
  if (machine !== null) out.machine = machine;
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
    for (const [name, v] of Object.entries(procs1)) cpuPercent[name] = pct(v - (procs0[name] ?? 0));
    if (cpuPercent.machine !== undefined) {
      // What the rest of the machine used meanwhile: other people's builds and tests skew the numbers.
      const ours = cpuPercent.node! + (cpuPercent.postgres ?? 0) + (cpuPercent.kafka ?? 0);
      cpuPercent.others = Math.max(0, Math.round((cpuPercent.machine - ours) * 10) / 10);
    }
    // The histogram holds the whole interval between timer ticks; the delay is what exceeds it.
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - DELAY_RESOLUTION_MS) * 100) / 100);
    return {
      mainThreadUtilisation: Math.round(elu.utilization * 1000) / 1000,
      clientThreadUtilisation: client ? Math.round(client.utilization * 1000) / 1000 : null,
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      cpuPercent,
    };
  };
}
