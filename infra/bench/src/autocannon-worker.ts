import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import autocannon from 'autocannon';

/**
 * The report suite's load generator, on a thread of its own (the subgraphs have the main thread):
 * autocannon with a fixed number of keep-alive connections for a fixed time, each connection
 * sending its next request as soon as the previous answer is in (a closed loop). The request
 * bodies rotate over the job's list. Every answer's latency is kept (autocannon's own summary has
 * no p95), and every body is checked: HTTP 200 with `data` and no `errors`, else it counts as an
 * error and the first few are returned.
 */
export interface CannonJob {
  url: string;
  headers: Record<string, string>;
  /** JSON request bodies; request i of a connection sends bodies[(offset + i) mod length]. */
  bodies: string[];
  connections: number;
  durationS: number;
}

export interface CannonResult {
  requests: number;
  /** Non-2xx answers, bodies with errors, connection errors and timeouts. */
  errors: number;
  errorSamples: string[];
  /** Every completed request's latency (ms), in completion order. */
  latenciesMs: number[];
  elapsedMs: number;
  bytes: number;
}

export type CannonMessage = { type: 'result'; result: CannonResult } | { type: 'error'; message: string };

function run(job: CannonJob): Promise<CannonResult> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  return new Promise<CannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.durationS,
        timeout: 30,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...job.headers },
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => ({ ...request, body: job.bodies[next++ % job.bodies.length]! }),
          },
        ],
        // Both gateways answer `{"data":…}`; a GraphQL error makes an `errors` key at the top level.
        verifyBody: (body) => body.startsWith('{"data":') && !body.includes('"errors":['),
      },
      (error, result) => {
        if (error) return reject(error);
        // autocannon counts a timeout among its errors too.
        const errors = result.errors + result.mismatches + result.non2xx;
        resolve({
          requests: latencies.length,
          errors,
          errorSamples: samples,
          latenciesMs: latencies,
          elapsedMs: performance.now() - t0,
          bytes,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, resBytes: number, responseTime: number) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
    instance.on('reqMismatch', (body: string) => {
      if (samples.length < 3) samples.push(`answer with errors: ${String(body).slice(0, 300)}`);
    });
    instance.on('reqError', (error: Error) => {
      if (samples.length < 3) samples.push(`request failed: ${error.message}`);
    });
  });
}

parentPort?.on('message', (job: CannonJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ type: 'result', result } satisfies CannonMessage),
    (error: unknown) =>
      parentPort!.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies CannonMessage),
  );
});
