import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GATEWAY_CREDENTIAL_HEADER, type AuthOptions } from '@huanjie/platform';

/**
 * The two gateways the bench compares, each in a process of its own on the same subgraphs (which
 * run in the bench's process) and the same supergraph: ours (`gateway/src/main.ts`, as its image
 * runs it) and Hive Gateway (`hive-gateway supergraph <file>`). Neither shares an event loop with
 * the subgraphs or with the load generator.
 */
export type GatewayName = 'ours' | 'hive';

export interface GatewayProcess {
  name: GatewayName;
  /** The GraphQL endpoint, on 127.0.0.1. */
  url: string;
  pid: number;
  /** Resident memory now and at its peak (VmRSS / VmHWM from /proc), MiB; null where /proc is absent. */
  memoryMiB(): { rss: number; peak: number } | null;
  stop(): Promise<void>;
}

const REPO = resolve(__dirname, '..', '..', '..');

/** gateway/supergraph.graphql with each subgraph's URL replaced by where it runs now: the file both gateways load. */
export function writeSupergraph(dir: string, subgraphUrls: Record<string, string>): string {
  const source = readFileSync(join(REPO, 'gateway', 'supergraph.graphql'), 'utf8');
  let replaced = 0;
  const sdl = source.replace(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g, (whole, name: string) => {
    const url = subgraphUrls[name];
    if (!url) return whole;
    replaced++;
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
  if (replaced !== Object.keys(subgraphUrls).length) throw new Error(`the supergraph names ${replaced} of the ${Object.keys(subgraphUrls).length} running subgraphs`);
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, sdl);
  return file;
}

function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** Keeps the last lines a child printed, for the error when it does not come up. */
function tail(child: ChildProcess, lines: string[]): void {
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
}

/** Polls `{ __typename }` with the bench's token until the gateway answers 200, the child exits, or the time is up. */
async function waitUntilServing(child: ChildProcess, url: string, token: string, output: string[], what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  for (;;) {
    if (exited) throw new Error(`${what} ${exited}:\n  ${output.slice(-15).join('\n  ')}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(2000),
      });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${what} did not answer within ${timeoutMs / 1000} s:\n  ${output.slice(-15).join('\n  ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
}

export interface GatewayStartOptions {
  port: number;
  subgraphUrls: Record<string, string>;
  supergraphFile: string;
  auth: AuthOptions;
  /** SUBGRAPH_SHARED_SECRET of the running subgraphs. */
  subgraphSecret: string;
  /** A token for the readiness probe. */
  token: string;
}

const url = (port: number) => `http://127.0.0.1:${port}/graphql`;

/**
 * Ours, as its container runs it (gateway/src/main.ts; NODE_ENV=production), from the environment:
 * the subgraph URLs of the running stack, its JWT secret and gateway credential, the per-user rate
 * limit off (the bench is one user sending thousands of requests a second) and warnings-only
 * logging (no access log line per request; Hive logs none either). Every other limit is on.
 */
export async function startOurGateway(options: GatewayStartOptions): Promise<GatewayProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(options.port),
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: options.auth.secret,
    AUTH_ISSUER: options.auth.issuer ?? 'huanjie',
    AUTH_AUDIENCE: options.auth.audience ?? 'huanjie',
    SUBGRAPH_SHARED_SECRET: options.subgraphSecret,
    GATEWAY_RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    APOLLO_TELEMETRY_DISABLED: 'true',
  };
  for (const [name, target] of Object.entries(options.subgraphUrls)) env[`SUBGRAPH_${name.toUpperCase()}_URL`] = target;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'gateway', 'src', 'main.ts')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  tail(child, output);
  const stop = stopper(child);
  try {
    await waitUntilServing(child, url(options.port), options.token, output, 'our gateway');
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: 'ours', url: url(options.port), pid: child.pid!, memoryMiB: () => memoryOf(child.pid!), stop };
}

/** Hive Gateway's CLI on the same supergraph file, configured by hive/gateway.config.ts (headers forwarded). */
export async function startHiveGateway(options: GatewayStartOptions): Promise<GatewayProcess> {
  const bin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
  const config = join(__dirname, 'hive', 'gateway.config.ts');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SUBGRAPH_SHARED_SECRET: options.subgraphSecret,
    BENCH_GATEWAY_CREDENTIAL_HEADER: GATEWAY_CREDENTIAL_HEADER,
  };
  const args = [bin, 'supergraph', options.supergraphFile, '--config-path', config, '--host', '127.0.0.1', '--port', String(options.port)];
  const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  tail(child, output);
  const stop = stopper(child);
  try {
    await waitUntilServing(child, url(options.port), options.token, output, 'Hive Gateway');
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: 'hive', url: url(options.port), pid: child.pid!, memoryMiB: () => memoryOf(child.pid!), stop };
}
