// npm start: the whole federated graph on one machine — embedded PostgreSQL, five subgraphs, the
// gateway, demo data. Set KAFKA_BROKERS to route events through Kafka instead of in process.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_JWT_SECRET, createLogger, generatePiiKeys, issueToken, loadConfig, piiKeysFromEnv, runMain, startTracing, type PiiKeys } from '@huanjie/platform';
import { startEmbeddedPostgres } from './embedded-postgres';
import { envSchema, type LauncherEnv } from './env';
import { graphqlClient, seedDemoData } from './seed';
import { startStack } from './stack';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Keys for national ID numbers: from the environment, or made once and kept with the local data. */
function piiKeys(env: LauncherEnv): PiiKeys {
  const fromEnv = piiKeysFromEnv(env);
  if (fromEnv) return fromEnv;
  const file = join(env.HUANJIE_DATA_DIR, 'pii-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PiiKeys;
  const keys = generatePiiKeys();
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

runMain('launcher', async () => {
  const env = loadConfig(envSchema);
  startTracing({ serviceName: 'huanjie' });
  const started = Date.now();
  mkdirSync(env.HUANJIE_DATA_DIR, { recursive: true });
  const closers: { name: string; close: () => Promise<void> }[] = [];

  let postgresUrl = env.DATABASE_URL;
  if (!postgresUrl) {
    say(`[1/4] starting embedded PostgreSQL on port ${env.EMBEDDED_PG_PORT} (data in ${env.HUANJIE_DATA_DIR}/pg)…`);
    const pg = await startEmbeddedPostgres({
      dataDir: join(env.HUANJIE_DATA_DIR, 'pg'),
      port: env.EMBEDDED_PG_PORT,
      persistent: true,
      logger: createLogger({ name: 'postgres', level: env.LOG_LEVEL }),
    });
    postgresUrl = pg.url;
    closers.push({ name: 'postgres', close: pg.stop });
  } else {
    say('[1/4] using the PostgreSQL server in DATABASE_URL');
  }

  say(`[2/4] starting five subgraphs and the gateway (events: ${env.KAFKA_BROKERS.length ? `Kafka at ${env.KAFKA_BROKERS.join(',')}` : 'in process'})…`);
  const auth = { secret: env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
  const stack = await startStack({
    postgresUrl,
    kafkaBrokers: env.KAFKA_BROKERS,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    auth,
    pii: piiKeys(env),
    // One gateway credential per run: the subgraphs' ports answer GraphQL only to this gateway.
    subgraphSecret: randomBytes(32).toString('base64url'),
    host: env.HOST,
    gatewayPort: env.GATEWAY_PORT,
    subgraphPorts: {
      personnel: env.PERSONNEL_PORT,
      vetting: env.VETTING_PORT,
      elections: env.ELECTIONS_PORT,
      complaints: env.COMPLAINTS_PORT,
      training: env.TRAINING_PORT,
    },
    logLevel: env.LOG_LEVEL,
    onProgress: (step) => say(`      ${step}`),
  });
  closers.push({ name: 'stack', close: stack.stop });

  if (env.HUANJIE_DEMO_DATA === 'true') {
    const token = await issueToken({ userId: 'launcher', roles: ['ORG_ADMIN'], regionCode: '000000000000', expiresIn: '10m' }, auth);
    let last = -1;
    const outcome = await seedDemoData(graphqlClient(stack.gatewayUrl, token), (done, total) => {
      const pct = Math.floor((done / total) * 100);
      if (pct >= last + 25 || done === total) {
        last = pct;
        say(`[3/4] loading demo data: ${done}/${total} (${pct}%)`);
      }
    });
    if (outcome === 'present') say('[3/4] demo data already present');
  } else {
    say('[3/4] demo data skipped (HUANJIE_DEMO_DATA=false)');
  }

  say(`[4/4] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say('');
  say(`  GraphQL gateway   ${stack.gatewayUrl}`);
  say(`  a token           npm run token -- --role ORG_ADMIN --region 510100000000   (last line printed)`);
  say(`  try               curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\`);
  say(`                      -H "authorization: Bearer $(npm run -s token -- --role ORG_ADMIN --region 510100000000 | tail -1)" \\`);
  say(`                      -d '{"query":"{ orgUnitByCode(code: \\"510107018003\\") { name people { nodes { name idNumberMasked trainingRecord { openedAt } } } } }"}'`);
  if (env.AUTH_JWT_SECRET === DEV_JWT_SECRET) say('  (tokens are signed with the local development secret; set AUTH_JWT_SECRET for anything else)');
  say('  Ctrl-C stops everything.');
  return closers;
});
