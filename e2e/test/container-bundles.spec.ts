import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, testDatabaseUrl, waitFor } from '@huanjie/testkit';

// The container images run the esbuild bundles (dist/main.js), not the sources the other tests
// run: a dependency resolved differently from dist/ (two OpenTelemetry SDKs in one tree once made
// every image fail at start) shows only here. Build them as the Dockerfile does, then start them.

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const secret = 'container-bundle-test-secret-0123456789abcdef';

async function bundle(workspace: string, ...copies: string[]): Promise<string> {
  await run(process.execPath, [join(root, 'infra', 'scripts', 'bundle.mjs'), 'src/main.ts', ...copies], { cwd: join(root, workspace) });
  return join(root, workspace, 'dist', 'main.js');
}

it('the gateway bundle starts and answers its health probe', async () => {
  const main = await bundle('gateway');
  const port = await freePort();
  const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', AUTH_JWT_SECRET: secret, LOG_LEVEL: 'info', NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    const status = await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the gateway bundle exited with ${child.exitCode}: ${output}`);
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return response?.status === 200 ? response.status : undefined;
      },
      // Generous: the whole suite may be running beside it on two cores.
      { timeoutMs: 90_000, intervalMs: 250, message: 'the gateway bundle to answer /healthz' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; its output: ${output}`);
    });
    expect(status).toBe(200);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}, 150_000);

it('a subgraph bundle migrates its database and exits (the migration Job)', async () => {
  const main = await bundle('services/personnel', 'src/schema.graphql', 'src/schema');
  const key = () => randomBytes(32).toString('base64');
  const { stdout } = await run(process.execPath, [main, '--migrate-only'], {
    env: { ...process.env, DATABASE_URL: await testDatabaseUrl('bundle_personnel'), AUTH_JWT_SECRET: secret, PII_ENCRYPTION_KEY: key(), PII_INDEX_KEY: key(), LOG_LEVEL: 'info', NODE_ENV: 'test' },
    timeout: 60_000,
  });
  expect(stdout).toContain('migrations applied (--migrate-only): exiting');
}, 90_000);
