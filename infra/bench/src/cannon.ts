import { join } from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { CannonJob, CannonMessage, CannonResult } from './autocannon-worker';
import type { Closers } from './infra';

/** The autocannon thread (autocannon-worker.ts), one job at a time; tsx is registered in it as in load-worker. */
export function startCannon(closers: Closers) {
  const file = join(__dirname, 'autocannon-worker.ts');
  const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, { eval: true });
  closers.add('autocannon thread', async () => {
    await worker.terminate();
  });
  let pending: { resolve: (r: CannonResult) => void; reject: (e: Error) => void } | null = null;
  worker.on('message', (m: CannonMessage) => {
    const p = pending;
    pending = null;
    if (m.type === 'result') p?.resolve(m.result);
    else p?.reject(new Error(`autocannon: ${m.message}`));
  });
  worker.on('error', (e) => {
    pending?.reject(e);
    pending = null;
  });
  return {
    run(job: CannonJob): Promise<CannonResult> {
      if (pending) throw new Error('the autocannon thread runs one job at a time');
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(job);
      });
    },
    elu: (): EventLoopUtilization => worker.performance.eventLoopUtilization(),
  };
}

export type Cannon = ReturnType<typeof startCannon>;
