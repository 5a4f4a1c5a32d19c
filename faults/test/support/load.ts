/** How a load run stands: requests finished so far (each counted once its answer is in). */
export interface LoadProgress {
  done: number;
  failed: number;
}

/**
 * Runs `total` requests, at most `concurrency` at a time, in index order. Resolves with the
 * outcome of each (never rejects: a request that throws counts as failed with its error).
 */
export function runLoad<T>(
  total: number,
  concurrency: number,
  request: (i: number) => Promise<T>,
): { progress: LoadProgress; finished: Promise<{ results: (T | undefined)[]; errors: (unknown | undefined)[] }> } {
  const progress: LoadProgress = { done: 0, failed: 0 };
  const results: (T | undefined)[] = new Array(total);
  const errors: (unknown | undefined)[] = new Array(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      try {
        results[i] = await request(i);
      } catch (error) {
        errors[i] = error;
        progress.failed++;
      }
      progress.done++;
    }
  };
  const finished = Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker)).then(() => ({ results, errors }));
  return { progress, finished };
}

/** Resolves once `predicate` holds, polling every `intervalMs`; rejects after `timeoutMs` naming `what`. */
export async function until(predicate: () => boolean, what: string, { timeoutMs = 60_000, intervalMs = 25 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
