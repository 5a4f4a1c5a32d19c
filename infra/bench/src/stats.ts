import { performance } from 'node:perf_hooks';

export interface LoopOptions {
  /** Requests to send (the loop never sends more). */
  total: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Stop starting new requests after this long (ms); those in flight finish. */
  timeLimitMs: number;
  /** Sends request i; resolves with null on success or a description of what was wrong. */
  task: (i: number) => Promise<string | null>;
  /** Checked before each request: true stops starting new ones (those in flight finish). */
  shouldStop?: () => boolean;
}

export interface LoopResult {
  planned: number;
  /** Requests that completed (successfully or not). */
  completed: number;
  errors: number;
  /** The first few distinct error descriptions. */
  errorSamples: string[];
  /** Latency of every completed request, in completion order (ms). */
  latenciesMs: number[];
  /** Wall time from the first request's start to the last one's end (ms). */
  elapsedMs: number;
  stoppedByTimeLimit: boolean;
}

/** A closed-loop load generator: `concurrency` workers each send the next request as soon as theirs returns. */
export async function runLoop(options: LoopOptions): Promise<LoopResult> {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  let next = 0;
  let stoppedByTimeLimit = false;
  const started = performance.now();
  const deadline = started + options.timeLimitMs;

  const worker = async () => {
    for (;;) {
      if (next >= options.total || options.shouldStop?.()) return;
      if (performance.now() > deadline) {
        stoppedByTimeLimit = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      let problem: string | null;
      try {
        problem = await options.task(i);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      latencies.push(performance.now() - t0);
      if (problem !== null) {
        errors++;
        if (samples.size < 5) samples.add(problem.slice(0, 500));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.total)) }, worker));
  return {
    planned: options.total,
    completed: latencies.length,
    errors,
    errorSamples: [...samples],
    latenciesMs: latencies,
    elapsedMs: performance.now() - started,
    stoppedByTimeLimit,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface LatencySummary {
  requests: number;
  errors: number;
  /** Completed requests per second of wall time. */
  throughput: number;
  mean: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

export function summarise(latenciesMs: readonly number[], errors: number, elapsedMs: number): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    requests: sorted.length,
    errors,
    throughput: round(elapsedMs > 0 ? sorted.length / (elapsedMs / 1000) : NaN, 1),
    mean: round(sum / sorted.length),
    min: round(sorted[0] ?? NaN),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}
