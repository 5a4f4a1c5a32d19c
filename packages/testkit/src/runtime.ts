import { createServer } from 'node:net';

export type InfraKind = 'external' | 'testcontainers' | 'local' | 'embedded';

let dockerProbe: Promise<boolean> | undefined;

/**
 * Whether a container engine answers, asked once per process. Testcontainers throws quickly
 * ("Could not find a working container runtime strategy") when there is none; the timeout only
 * guards against a socket that accepts but never replies. HUANJIE_TESTCONTAINERS=0 skips Docker.
 */
export function dockerAvailable(): Promise<boolean> {
  if (process.env.HUANJIE_TESTCONTAINERS === '0') return Promise.resolve(false);
  dockerProbe ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('container runtime probe timed out')), 10_000);
      });
      try {
        await Promise.race([getContainerRuntimeClient(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      return true;
    } catch {
      return false;
    }
  })();
  return dockerProbe;
}

/** A TCP port nobody listens on right now (the OS picks it; a tiny race remains until used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not allocate a free port'))));
    });
  });
}

/** Lowercase base-36 random string of the given length. */
export function randomId(length: number): string {
  let out = '';
  while (out.length < length) out += Math.random().toString(36).slice(2);
  return out.slice(0, length);
}
