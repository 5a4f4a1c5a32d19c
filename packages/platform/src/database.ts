import { DataSource, type EntitySchema, type Logger as OrmLogger, type MigrationInterface } from 'typeorm';
import pg, { Client, type PoolClient } from 'pg';
import type { Logger } from './logger';

/**
 * How long anything may wait on PostgreSQL, so that no request hangs on a database that is gone,
 * restarting or no longer answering (README "Fault tests"). 0 turns a limit off.
 */
export interface DatabaseTimeouts {
  /** Opening a connection, and waiting for a free one of the pool. Default: 10 s (DATABASE_CONNECT_TIMEOUT_MS). */
  connectMs?: number;
  /** The server's statement_timeout for every session: a statement running longer is cancelled by PostgreSQL. Default: 30 s (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementMs?: number;
  /**
   * A statement without any answer for this long has its connection destroyed (the pool replaces
   * it): what cancels a statement when the server itself no longer answers (frozen, partitioned),
   * which statement_timeout cannot. Default: statementMs + 5 s (DATABASE_QUERY_TIMEOUT_MS).
   */
  queryMs?: number;
}

export const DATABASE_TIMEOUT_DEFAULTS = { connectMs: 10_000, statementMs: 30_000 } as const;

export interface DatabaseOptions {
  url: string;
  entities: EntitySchema[];
  migrations: (new () => MigrationInterface)[];
  logger?: Logger;
  /** Default: 10. */
  poolSize?: number;
  /** Counts statements; tests use it to prove a list costs a bounded number of queries. */
  queryCounter?: QueryCounter;
  /** Statements slower than this are logged at warn. Default: 500 ms. */
  slowQueryMs?: number;
  /** Default: DATABASE_TIMEOUT_DEFAULTS; migrations run without any. */
  timeouts?: DatabaseTimeouts;
}

/** The timeouts with their defaults filled in. */
export function resolveTimeouts(timeouts: DatabaseTimeouts = {}): Required<DatabaseTimeouts> {
  const connectMs = timeouts.connectMs ?? DATABASE_TIMEOUT_DEFAULTS.connectMs;
  const statementMs = timeouts.statementMs ?? DATABASE_TIMEOUT_DEFAULTS.statementMs;
  const queryMs = timeouts.queryMs ?? (statementMs > 0 ? statementMs + 5_000 : 0);
  return { connectMs, statementMs, queryMs };
}

const UNGUARDED = Symbol.for('huanjie.database.unguarded');

interface GuardableClient {
  [UNGUARDED]?: boolean;
  connection?: { stream?: { destroy(error?: Error): void } };
}

/**
 * A pg Client whose promise-returning queries are guarded: no answer within `queryMs` and the
 * connection is destroyed, which fails the query (and any queued behind it) at once and makes the
 * pool drop the client. pg's own `query_timeout` only stops waiting: the connection stays busy
 * with the lost statement, and every query queued on it waits too.
 */
function guardedClientClass(queryMs: number): typeof pg.Client {
  class GuardedClient extends pg.Client {}
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  Object.defineProperty(GuardedClient.prototype, 'query', {
    value: function guardedQuery(this: pg.Client & GuardableClient, ...args: unknown[]) {
      const result = query.apply(this, args);
      if (this[UNGUARDED] || !(result instanceof Promise)) return result;
      const timer = setTimeout(() => {
        this.connection?.stream?.destroy(new Error(`database query timeout: no answer from PostgreSQL within ${queryMs} ms; connection closed`));
      }, queryMs);
      timer.unref();
      const clear = () => clearTimeout(timer);
      result.then(clear, clear);
      return result;
    },
    writable: true,
    configurable: true,
  });
  return GuardedClient;
}

/**
 * Runs `work` on one connection with no statement or query timeout, for the few statements that
 * may legitimately run long on a healthy server (a bulk COPY, the write of a million-line voter
 * roll). The session's own statement_timeout comes back afterwards.
 */
export async function withoutTimeouts<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  const guarded = client as unknown as GuardableClient;
  await client.query('SET statement_timeout = 0');
  guarded[UNGUARDED] = true;
  try {
    return await work();
  } finally {
    delete guarded[UNGUARDED];
    await client.query('RESET statement_timeout').catch(() => {});
  }
}

/** Counts SQL statements issued through a data source. */
export class QueryCounter {
  count = 0;
  readonly statements: string[] = [];
  record(sql: string): void {
    this.count++;
    if (this.statements.length < 1000) this.statements.push(sql);
  }
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
  /** Statements that are not transaction control. */
  get queries(): string[] {
    return this.statements.filter((s) => !/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(s.trim()));
  }
}

class OrmLogBridge implements OrmLogger {
  constructor(
    private readonly out: Logger | undefined,
    private readonly counter: QueryCounter | undefined,
  ) {}
  logQuery(query: string) {
    this.counter?.record(query);
  }
  // Parameters are never logged: they may hold personal data.
  logQueryError(error: string | Error, query: string) {
    this.counter?.record(query);
    this.out?.debug({ err: error instanceof Error ? error.message : error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string) {
    this.out?.warn({ ms: time, query }, 'slow query');
  }
  logSchemaBuild() {}
  logMigration(message: string) {
    this.out?.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown) {
    if (level === 'warn') this.out?.warn({ message }, 'typeorm');
  }
}

/** A TypeORM data source for one service's database. Schema changes come from migrations only. */
export function createDataSource(options: DatabaseOptions): DataSource {
  const timeouts = resolveTimeouts(options.timeouts);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: options.queryCounter ? ['query', 'error', 'migration', 'warn'] : ['error', 'migration', 'warn'],
    logger: new OrmLogBridge(options.logger, options.queryCounter),
    maxQueryExecutionTime: options.slowQueryMs ?? 500,
    extra: {
      max: options.poolSize ?? 10,
      // pg-pool: both opening a connection and waiting for a free one.
      ...(timeouts.connectMs > 0 ? { connectionTimeoutMillis: timeouts.connectMs } : {}),
      // Sent at connection start-up: the session's default, which RESET statement_timeout returns to.
      ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs } : {}),
      ...(timeouts.queryMs > 0 ? { Client: guardedClientClass(timeouts.queryMs) } : {}),
    },
  });
}

/** Key of the session advisory lock replicas take around migrations (any fixed number will do). */
const MIGRATION_LOCK_KEY = 4_811_730;

/**
 * Applies pending migrations, then opens the service's data source (with its timeouts). The
 * migrations run on a data source of their own without timeouts: a migration may rewrite a large
 * table, and waiting for another replica's migrations may take as long as they do.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const migrating = createDataSource({ ...options, poolSize: 2, timeouts: { connectMs: 0, statementMs: 0, queryMs: 0 } });
  await migrate(migrating);
  await migrating.destroy();
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  return dataSource;
}

/**
 * Initialises the data source and applies pending migrations, each in its own transaction. Under a
 * session advisory lock: replicas (or a migration Job and a pod) starting together apply them
 * once — the others wait, then find nothing pending.
 */
async function migrate(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } catch (error) {
    await lock.release().catch(() => {});
    await dataSource.destroy();
    throw error;
  }
  await lock.release();
}

/** Replaces the database name in a postgres URL. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database if it does not exist (CREATE DATABASE cannot run inside a transaction). */
export async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  const client = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return databaseUrlFor(serverUrl, database);
}
