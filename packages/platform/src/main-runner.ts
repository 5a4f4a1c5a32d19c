import { ConfigError } from './config';
import { createLogger, type Logger } from './logger';
import { onShutdown } from './shutdown';

/**
 * Runs a process's start-up: prints configuration errors plainly (no stack), logs anything else
 * as fatal, and registers the closers it returns for SIGTERM/SIGINT.
 */
export function runMain(name: string, start: (logger: Logger) => Promise<{ name: string; close: () => Promise<void> }[]>): void {
  const bootLogger = createLogger({ name, level: process.env.LOG_LEVEL ?? 'info' });
  start(bootLogger).then(
    (closers) => {
      onShutdown(bootLogger, closers);
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${name}: ${error.message}\n`);
      } else {
        bootLogger.fatal({ err: error }, 'start-up failed');
      }
      process.exit(1);
    },
  );
}
