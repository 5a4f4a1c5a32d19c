import type { Logger } from './logger';

type Closer = { name: string; close: () => Promise<void> };

/**
 * Closes registered resources in reverse order of registration on SIGTERM/SIGINT (servers stop
 * taking requests before the database and bus they use go away), then exits.
 */
export function onShutdown(logger: Logger, closers: Closer[], options: { timeoutMs?: number } = {}): () => Promise<void> {
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      for (const c of [...closers].reverse()) {
        try {
          await c.close();
        } catch (error) {
          logger.error({ err: error, resource: c.name }, 'error while shutting down');
        }
      }
    })();
    return closing;
  };
  const handler = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, options.timeoutMs ?? 15000);
    timer.unref();
    void close().then(() => process.exit(0));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
  return close;
}
