import { DataSource, type EntitySchema, type Logger as OrmLogger, type MigrationInterface } from 'typeorm';
import { Client } from 'pg';
import type { Logger } from './logger';

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
    extra: { max: options.poolSize ?? 10 },
  });
}

/** Key of the session advisory lock replicas take around migrations (any fixed number will do). */
const MIGRATION_LOCK_KEY = 4_811_730;

/**
 * Initialises the data source and applies pending migrations, each in its own transaction. Under a
 * session advisory lock: replicas (or a migration Job and a pod) starting together apply them
 * once — the others wait, then find nothing pending.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
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
  return dataSource;
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
