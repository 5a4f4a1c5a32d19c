import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;

/**
 * How the gateway's data sources reach the subgraphs: node:http with one keep-alive agent per
 * protocol, unlimited sockets per subgraph (as Apollo's default), no retries, no HTTP cache. Apollo's
 * default fetcher (make-fetch-happen over minipass-fetch and agent-base) spends about 1.5 ms of CPU
 * on each subgraph call on the bench machine, a third of what the gateway spends on a whole
 * one-subgraph request: agent-base captures a stack trace per request to guess the protocol, and the
 * HTTP-cache machinery runs for POSTs it can never cache. The platform's fetch (undici) costs about as
 * much; this one about 0.35 ms (infra/bench: `npm run bench`, "Gateway overhead").
 *
 * The answer is read whole and handed to Apollo as a Fetch-API response (status, headers, text,
 * json); a network error rejects, as fetch does. An AbortSignal in `init.signal` is honoured.
 */
export function createSubgraphFetcher(): Fetcher & { destroy(): void } {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: Infinity }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: Infinity }),
  };
  const fetcher = (url: string, init: FetcherRequestInit = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') return reject(new TypeError(`subgraph fetch: unsupported protocol ${target.protocol}`));
      const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
      const headers: Record<string, string | number> = { ...init.headers };
      if (body) headers['content-length'] = body.length;
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http, signal: init.signal as AbortSignal | undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve(responseOf(url, res, Buffer.concat(chunks))));
          // Cut off mid-answer (the socket closed, the signal fired): settled here if 'error' was not emitted.
          res.on('close', () => {
            if (!res.complete) reject(Object.assign(new Error(`the answer from ${target.host} was cut off`), { code: 'ECONNRESET' }));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return Object.assign(fetcher, {
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

function responseOf(url: string, res: IncomingMessage, body: Buffer): FetcherResponse {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  const make = (): FetcherResponse => ({
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: res.statusMessage ?? '',
    headers,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')),
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    clone: make,
  });
  return make();
}
