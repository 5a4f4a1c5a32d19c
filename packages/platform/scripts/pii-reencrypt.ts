// npm run pii:reencrypt -- --service personnel|complaints [--batch 500]
// Re-encrypts a service's personal data under the current key after a key rotation (README
// "Security"): reads DATABASE_URL (the service's database), PII_ENCRYPTION_KEYS (current key first,
// every older key still listed) or PII_ENCRYPTION_KEY, and PII_INDEX_KEY (which never rotates).
// Rewrites only values not under the current key, in batches; progress on stderr, a JSON summary
// on stdout. Safe to run again or after an interruption. Exit 0 when done, 1 on failure, 2 on usage.
import { parseArgs } from 'node:util';
import { PII_TABLES, createDataSource, createPiiCipher, piiKeysFromEnv, reencryptTable } from '../src';

const USAGE = `usage: npm run pii:reencrypt -- --service ${Object.keys(PII_TABLES).join('|')} [--batch N]
  environment: DATABASE_URL (the service's database), PII_ENCRYPTION_KEYS or PII_ENCRYPTION_KEY, PII_INDEX_KEY
`;

function usage(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { service?: string; batch?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { service: { type: 'string' }, batch: { type: 'string', default: '500' }, help: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const tables = values.service ? PII_TABLES[values.service] : undefined;
  if (!tables) usage(`--service must be one of ${Object.keys(PII_TABLES).join(', ')}`);
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) usage('--batch must be an integer between 1 and 10000');
  const url = process.env.DATABASE_URL;
  if (!url) usage('DATABASE_URL is required');
  const keys = piiKeysFromEnv(process.env);
  if (!keys) usage('PII_ENCRYPTION_KEYS (or PII_ENCRYPTION_KEY) and PII_INDEX_KEY are required');
  const cipher = createPiiCipher(keys);
  const dataSource = createDataSource({ url, entities: [], migrations: [] });
  await dataSource.initialize();
  try {
    const results = [];
    for (const table of tables) {
      results.push(await reencryptTable(dataSource, cipher, table, { batchSize, progress: (line) => process.stderr.write(`${line}\n`) }));
    }
    process.stdout.write(`${JSON.stringify({ service: values.service, currentKeyId: cipher.currentKeyId, results })}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`pii:reencrypt failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
