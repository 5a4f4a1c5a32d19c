import { createLogger, loadConfig, runMain, startTracing, stopTracing } from '@huanjie/platform';
import { envSchema } from './env';
import { createGateway } from './gateway';
import { subgraphUrlsFromEnv } from './subgraphs';

runMain('gateway', async () => {
  const env = loadConfig(envSchema);
  startTracing({ serviceName: 'gateway' });
  const logger = createLogger({ name: 'gateway', level: env.LOG_LEVEL });
  const gateway = await createGateway({
    logger,
    auth: { secret: env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
    subgraphUrls: subgraphUrlsFromEnv(),
    maxDepth: env.GATEWAY_MAX_DEPTH,
    maxAliases: env.GATEWAY_MAX_ALIASES,
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
  });
  const running = await gateway.listen(env.PORT, env.HOST);
  logger.info({ url: running.url }, 'gateway ready');
  // Closed in reverse: the gateway first, tracing last (its spans flushed).
  return [
    { name: 'tracing', close: () => stopTracing() },
    { name: 'gateway', close: async () => { await running.close(); await gateway.stop(); } },
  ];
});
