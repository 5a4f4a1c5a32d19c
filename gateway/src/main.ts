import { createLogger, loadConfig, runMain, startTracing, stopTracing } from '@huanjie/platform';
import { envSchema, gatewayOptionsFromEnv } from './env';
import { createGateway } from './gateway';
import { subgraphUrlsFromEnv } from './subgraphs';

runMain('gateway', async () => {
  const env = loadConfig(envSchema);
  const options = gatewayOptionsFromEnv(env);
  startTracing({ serviceName: 'gateway' });
  const logger = createLogger({ name: 'gateway', level: env.LOG_LEVEL });
  const gateway = await createGateway({ ...options, logger, subgraphUrls: subgraphUrlsFromEnv() });
  const running = await gateway.listen(env.PORT, env.HOST);
  logger.info(
    {
      url: running.url,
      rateLimit: options.rateLimit ?? 'off',
      registeredOperations: options.operations?.size ?? 0,
      registeredOnly: options.registeredOnly,
      introspection: options.introspection,
      subgraphCredential: options.subgraphSecret ? 'on' : 'off',
    },
    'gateway ready',
  );
  // Closed in reverse: the gateway first, tracing last (its spans flushed).
  return [
    { name: 'tracing', close: () => stopTracing() },
    { name: 'gateway', close: async () => { await running.close(); await gateway.stop(); } },
  ];
});
