// npm run seed -- --scale city|district|village [--seed N]: generates a realistic city (README "Seed
// data") and loads it through the bulk paths into a running stack (GATEWAY_URL …) or a stack of its
// own. Progress on stderr, a JSON summary on stdout.
import './process-env'; // first: graphql and Apollo read the environment when they load
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { countsOf, digestOf, generate, type Scale } from './index';
import { loadSeed } from './load/load';
import { externalTarget, ownTarget, type Target } from './load/target';

const USAGE = `usage: npm run seed -- --scale city|district|village [--seed N] [options]
  --scale        city (成都市: 20 districts, 260 townships, 3,039 units), district (郫都区: 13 townships,
                 150 units) or village (one village)                                  default: district
  --seed         a whole number 0–4294967295; the same seed gives the same data      default: 1
  --concurrency  mutations in flight at once                                         default: 8
  --data-dir     where its own stack keeps the data (serve it later with
                 HUANJIE_DATA_DIR=<dir> HUANJIE_DEMO_DATA=false npm start)           default: .data/seed-<scale>-<seed>
  --temp         use a temporary data directory, deleted at the end (for measuring)
  --serve        keep its own stack running after the load (Ctrl-C stops it)
  --summary F    also write the JSON summary to file F
  --dry-run      generate only: print the counts and the digest, load nothing
  A running stack instead of its own: GATEWAY_URL (and PERSONNEL_URL, ELECTIONS_URL: default
  http://127.0.0.1:4001 and :4003, as npm start), tokens signed with AUTH_JWT_SECRET (default: the
  development secret, as npm start and npm run token), or HUANJIE_TOKEN as the ORG_ADMIN token.
`;

const say = (line: string) => process.stderr.write(`${line}\n`);

function usage(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        scale: { type: 'string', default: 'district' },
        seed: { type: 'string', default: '1' },
        concurrency: { type: 'string', default: '8' },
        'data-dir': { type: 'string' },
        temp: { type: 'boolean', default: false },
        serve: { type: 'boolean', default: false },
        summary: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<number> {
  const args = readArgs();
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scale = args.scale as Scale;
  if (!['city', 'district', 'village'].includes(scale)) usage(`--scale must be city, district or village, got ${args.scale}`);
  const seed = Number(args.seed);
  if (!/^\d+$/.test(args.seed) || seed > 0xffffffff) usage(`--seed must be a whole number 0–4294967295, got ${args.seed}`);
  const concurrency = Number(args.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) usage('--concurrency must be a whole number 1–64');

  const t0 = performance.now();
  const data = generate(scale, seed);
  const counts = countsOf(data);
  const digest = digestOf(data);
  const generateSeconds = (performance.now() - t0) / 1000;
  say(
    `generated ${scale} (seed ${seed}) in ${generateSeconds.toFixed(1)} s: ${counts.villagesAndCommunities} villages and communities, ${counts.people} people, ${counts.candidates} candidates; digest ${digest.slice(0, 16)}`,
  );
  if (args['dry-run']) {
    process.stdout.write(`${JSON.stringify({ scale, seed, digest, counts }, null, 2)}\n`);
    return 0;
  }

  const repoRoot = resolve(__dirname, '..', '..', '..');
  const dataDir = args.temp
    ? await mkdtemp(join(tmpdir(), 'huanjie-seed-'))
    : resolve(args['data-dir'] ?? join(repoRoot, '.data', `seed-${scale}-${seed}`));
  let target: Target | null = null;
  const stop = async () => {
    await target?.stop();
    if (args.temp) await rm(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    target = process.env.GATEWAY_URL ? externalTarget(process.env) : await ownTarget(dataDir, process.env, say);
    say(`loading into ${target.describe}…`);
    const report = await loadSeed(target, data, { concurrency, say });
    const summary = {
      scale,
      seed,
      digest,
      target: target.describe,
      snapshotDay: data.snapshotDay,
      counts,
      generateSeconds: Math.round(generateSeconds * 10) / 10,
      loadSeconds: report.seconds,
      graphqlRequests: report.requests,
      graphqlRequestsPerSecond: Math.round(report.requests / report.seconds),
      steps: report.steps,
      settled: report.settled,
      concurrency,
    };
    const json = JSON.stringify(summary, null, 2);
    process.stdout.write(`${json}\n`);
    if (args.summary) writeFileSync(args.summary, `${json}\n`);
    if (args.serve && target.stack) {
      say(`serving: gateway at ${target.stack.gatewayUrl} (token: npm run token -- --role ORG_ADMIN --region 510100000000); Ctrl-C stops`);
      await new Promise(() => {});
    }
    return 0;
  } catch (error) {
    say(`seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await stop();
  }
}

void main().then((code) => process.exit(code));
