import { HANDLES, type InfraHandles } from './global-setup';
import { dropRunDatabases } from './postgres';

/** Jest globalTeardown: stops what global-setup started. */
export default async function globalTeardown(): Promise<void> {
  const handles = (globalThis as Record<symbol, InfraHandles | undefined>)[HANDLES];
  if (!handles) return;
  delete (globalThis as Record<symbol, unknown>)[HANDLES];
  const { postgres, kafka } = handles;
  const tasks: Promise<void>[] = [];
  if (kafka) tasks.push(kafka.stop());
  if (postgres) {
    // A throwaway server vanishes whole; on a server we don't own, drop only this run's databases.
    tasks.push(postgres.kind === 'external' ? dropRunDatabases(postgres.url) : postgres.stop());
  }
  const results = await Promise.allSettled(tasks);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const failure of failures) console.error('test infra teardown:', failure.reason);
}
