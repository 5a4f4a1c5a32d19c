import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { GraphQLClient } from './http-client';
import {
  PERSON_BY_ID,
  REGISTER_PERSON,
  START_TERM,
  STRUCTURE_REPORT,
  TOWN_OVERVIEW,
  checkPerson,
  checkRegistered,
  checkStructureReport,
  checkTermStarted,
  checkTownOverview,
  type Check,
} from './operations';
import { checkProgressReport, PROGRESS_REPORT } from './progress-report-operations';
import { runLoop, type LoopResult } from './stats';

/**
 * The load generator, on its own thread: the stack under test keeps the main thread's event loop
 * to itself, as it would in its own process. One job at a time; each is a closed loop of
 * `concurrency` clients over `total` requests, after `warmup` un-measured ones.
 */
export type Operation = 'registerPerson' | 'townOverview' | 'person' | 'startTerm' | 'structureReport' | 'progressReport';

export interface LoadJob {
  operation: Operation;
  url: string;
  token: string;
  concurrency: number;
  timeLimitMs: number;
  /** Variables of the warm-up requests, one request each. */
  warmup: Record<string, unknown>[];
  /** Variables of the measured requests: request i uses variables[i % length]. */
  variables: Record<string, unknown>[];
  total: number;
  /** Post a progress message at most this often (ms) during the measured loop; none when absent. */
  progressEveryMs?: number;
  /** Stop starting requests after the first failed one (a write whose successors depend on it). */
  stopOnError?: boolean;
}

export interface LoadJobResult {
  warmup: Omit<LoopResult, 'latenciesMs'>;
  measured: LoopResult;
  /** performance.timeOrigin + performance.now() when the last measured response arrived. */
  lastResponseAt: number;
}

export type WorkerMessage =
  | { type: 'result'; result: LoadJobResult }
  | { type: 'error'; message: string }
  | { type: 'progress'; done: number; total: number; errors: number };

const OPERATIONS: Record<Operation, { query: string; check: Check }> = {
  registerPerson: { query: REGISTER_PERSON, check: checkRegistered },
  townOverview: { query: TOWN_OVERVIEW, check: checkTownOverview },
  person: { query: PERSON_BY_ID, check: checkPerson },
  startTerm: { query: START_TERM, check: checkTermStarted },
  structureReport: { query: STRUCTURE_REPORT, check: checkStructureReport },
  progressReport: { query: PROGRESS_REPORT, check: checkProgressReport },
};

async function run(job: LoadJob): Promise<LoadJobResult> {
  const { query, check } = OPERATIONS[job.operation];
  const client = new GraphQLClient(job.url, job.token, job.concurrency);
  let lastResponseAt = 0;
  try {
    const warm = await runLoop({
      total: job.warmup.length,
      concurrency: job.concurrency,
      timeLimitMs: job.timeLimitMs,
      task: async (i) => check(await client.post(query, job.warmup[i])),
    });
    const { latenciesMs: _dropped, ...warmup } = warm;
    let done = 0;
    let errors = 0;
    let lastProgress = performance.now();
    const measured = await runLoop({
      total: job.total,
      concurrency: job.concurrency,
      timeLimitMs: job.timeLimitMs,
      task: async (i) => {
        const res = await client.post(query, job.variables[i % job.variables.length]);
        lastResponseAt = performance.timeOrigin + performance.now();
        const problem = check(res);
        done++;
        if (problem !== null) errors++;
        if (job.progressEveryMs !== undefined && performance.now() - lastProgress >= job.progressEveryMs) {
          lastProgress = performance.now();
          parentPort?.postMessage({ type: 'progress', done, total: job.total, errors } satisfies WorkerMessage);
        }
        return problem;
      },
      shouldStop: () => job.stopOnError === true && errors > 0,
    });
    return { warmup, measured, lastResponseAt };
  } finally {
    client.close();
  }
}

parentPort?.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ type: 'result', result } satisfies WorkerMessage),
    (error: unknown) =>
      parentPort!.postMessage({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerMessage),
  );
});
