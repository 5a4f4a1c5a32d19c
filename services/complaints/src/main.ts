import { createPiiCipher, piiKeysFromEnv } from '@huanjie/platform';
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
      ...(piiKeysFromEnv(env) ? { pii: createPiiCipher(piiKeysFromEnv(env)!) } : {}),
    }),
});
