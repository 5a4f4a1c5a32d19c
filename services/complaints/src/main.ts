import { createPiiCipher } from '@huanjie/platform';
import { runSubgraphMain } from '@huanjie/service-kit';
import { migrations } from './db/migrations';
import { envSchema } from './env';
import { createServer, SERVICE_NAME } from './server';

runSubgraphMain({
  name: SERVICE_NAME,
  envSchema,
  migrations,
  create: (deps, env) =>
    createServer({
      ...deps,
      ...(env.PII_ENCRYPTION_KEY && env.PII_INDEX_KEY ? { pii: createPiiCipher({ encryptionKey: env.PII_ENCRYPTION_KEY, indexKey: env.PII_INDEX_KEY }) } : {}),
    }),
});
