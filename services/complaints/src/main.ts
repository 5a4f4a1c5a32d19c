import { serviceEnvSchema } from '@huanjie/platform';
import { runSubgraphMain } from '@huanjie/service-kit';
import { migrations } from './db/migrations';
import { createServer, SERVICE_NAME } from './server';

runSubgraphMain({
  name: SERVICE_NAME,
  envSchema: serviceEnvSchema.extend({ PORT: serviceEnvSchema.shape.PORT.default(4004) }),
  migrations,
  create: (deps) => createServer(deps),
});
