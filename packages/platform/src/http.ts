import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { captureRecord } from './capture';
import { DomainError } from './errors';
import type { Logger } from './logger';
import { inSpan, SpanKind, traceFields } from './tracing';
import type { Metrics } from './metrics';

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  logger: Logger;
  metrics: Metrics;
  /**
   * Builds the request context. Throwing a DomainError (e.g. UNAUTHENTICATED) refuses the request
   * before any GraphQL work is done.
   */
  context: (req: IncomingMessage, requestId: string, logger: Logger) => Promise<TContext>;
  /** Readiness probe: resolves true when dependencies (database, bus) answer. */
  ready: () => Promise<boolean>;
  /** /readyz answers 503 when `ready` has not answered by then (a dependency that hangs). Default: 2 s, within a probe's usual 3 s. */
  readyTimeoutMs?: number;
  /** Largest request body accepted, in bytes. Default: 1 MiB. */
  maxBodyBytes?: number;
  /** Default: '/graphql'. */
  path?: string;
  /**
   * Routes beside GraphQL that a service adds, by exact path (e.g. personnel's `/import`). The
   * caller is authenticated by the same `context` as GraphQL, before any of the body is read; the
   * body is handed over as a stream, counted against the route's own limit. Default: none.
   */
  extraRoutes?: Record<string, ExtraRoute<TContext>>;
  /**
   * Checked first on every request to the GraphQL path, before its body is read (not on probes,
   * metrics or extra routes). Throws a DomainError (e.g. UNAUTHENTICATED) or a RequestRefusedError
   * to refuse: a subgraph's check of the gateway's credential. Default: none.
   */
  guard?: (req: IncomingMessage) => void;
  /**
   * The most operations one POST may carry as a JSON array (a batched request). 1, the default,
   * refuses arrays; above 1 the ApolloServer must be built with `allowBatchedHttpRequests: true`.
   */
  maxBatchSize?: number;
  /**
   * Admission once the caller is known and the body parsed, before Apollo parses anything: the
   * GraphQL requests this HTTP request carries (one, or each of a batch). Throws a
   * RequestRefusedError to refuse (the gateway's rate limit and registered-operations check).
   * Default: none.
   */
  admit?: (context: TContext, requests: readonly RawGraphQLRequest[]) => void;
}

/**
 * One GraphQL request as the client sent it, before Apollo reads it: a POST body (or one element
 * of a batch), or a GET's `query` and `extensions` URL parameters. Nothing in it is checked yet.
 */
export interface RawGraphQLRequest {
  query?: unknown;
  extensions?: unknown;
}

/** What an extra route's handler receives besides the response and the caller's context. */
export interface ExtraRouteRequest {
  req: IncomingMessage;
  url: URL;
  /**
   * The request body as it arrives, never buffered whole. Iterating it throws BodyTooLargeError
   * once more than the route's limit has arrived.
   */
  body: AsyncIterable<Buffer>;
}

/** A non-GraphQL route of a service; see HttpServerOptions.extraRoutes. */
export interface ExtraRoute<TContext> {
  /** The one method accepted; others get 405. Default: 'POST'. */
  method?: string;
  /** Largest body accepted, in bytes. Default: the server's maxBodyBytes. */
  maxBodyBytes?: number;
  /**
   * Answers the request. A DomainError thrown before the response has started becomes the
   * matching status (400/401/403/404/409) with a GraphQL-shaped `errors` body; once the handler
   * has started its response, it reports failures in its own format.
   */
  handle(request: ExtraRouteRequest, res: ServerResponse, context: TContext): Promise<void>;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A request refused before GraphQL runs, with its own HTTP status (e.g. 429), headers (e.g.
 * Retry-After) and a GraphQL-shaped body: `errors[0].extensions.code` and `rule`, plus `extensions`.
 */
export class RequestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly rule: string,
    message: string,
    readonly options: { headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'RequestRefusedError';
  }
}

/** The request body is larger than the route accepts. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLargeError(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The body as a stream that stops with BodyTooLargeError past `limit` bytes. A plain `for await`
 * over the request would destroy it (and the socket) when the reader stops early, and the 400 or
 * 413 explaining why could never reach the client; the rest is drained instead (handleExtra).
 */
async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

/** HTTP status of a DomainError answered outside GraphQL (GraphQL answers 200 with `errors`). */
function statusOf(error: DomainError): number {
  const status = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as const;
  return status[error.code];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An error answered outside GraphQL (auth, body limits, extra routes), GraphQL-shaped. */
function errorBody(message: string, code: string, extra: Record<string, unknown> = {}) {
  const error = { message, extensions: { code, ...extra } };
  // Test runs: for the leak scan, like the GraphQL error formatter (a no-op otherwise; capture.ts).
  captureRecord('errors', { via: 'http', ...error });
  return { errors: [error] };
}

/** Answers a DomainError or RequestRefusedError thrown before GraphQL ran; false for anything else. */
function sendRefusal(res: ServerResponse, metrics: Metrics, error: unknown): boolean {
  if (error instanceof RequestRefusedError) {
    metrics.graphqlErrors.inc({ code: error.code });
    sendJson(res, error.status, errorBody(error.message, error.code, { rule: error.rule, ...error.options.extensions }), error.options.headers);
    return true;
  }
  if (error instanceof DomainError) {
    const status = error.code === 'UNAUTHENTICATED' ? 401 : error.code === 'FORBIDDEN' ? 403 : 400;
    metrics.graphqlErrors.inc({ code: error.code });
    sendJson(res, status, errorBody(error.message, error.code, { rule: error.rule }));
    return true;
  }
  return false;
}

/** The GraphQL requests of an HTTP request, as sent (see RawGraphQLRequest). */
function rawRequests(method: string | undefined, body: unknown, url: URL): RawGraphQLRequest[] {
  if ((method ?? 'GET').toUpperCase() !== 'GET') {
    return (Array.isArray(body) ? body : [body]).map((item) => (item && typeof item === 'object' ? (item as RawGraphQLRequest) : {}));
  }
  const extensions = url.searchParams.get('extensions');
  let parsed: unknown = extensions ?? undefined;
  try {
    if (extensions) parsed = JSON.parse(extensions);
  } catch {
    // left as text: Apollo answers malformed parameters itself
  }
  return [{ query: url.searchParams.get('query') ?? undefined, extensions: parsed }];
}

/** Refuses a batched request (a JSON array body) that is empty or longer than the limit. */
function checkBatch(body: unknown, maxBatchSize: number): void {
  if (!Array.isArray(body)) return;
  const refuse = (message: string) => {
    throw new RequestRefusedError(400, 'BAD_REQUEST', 'HTTP.BATCH_LIMIT', message, { extensions: { limit: maxBatchSize } });
  };
  if (maxBatchSize <= 1) refuse('batched requests (a JSON array of operations) are not accepted here: send one operation per request');
  if (body.length === 0) refuse('the batch (a JSON array) holds no operation');
  if (body.length > maxBatchSize) refuse(`the batch holds ${body.length} operations; the limit is ${maxBatchSize} per request`);
}

/**
 * A small HTTP front for Apollo Server: /graphql, /healthz (liveness), /readyz (dependencies)
 * and /metrics (Prometheus), plus any extra routes a service registers. Shared by the gateway
 * and every subgraph.
 */
export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>) {
  const { apollo, logger, metrics } = options;
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const path = options.path ?? '/graphql';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<string> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return 'healthz';
    }
    if (url.pathname === '/readyz') {
      const ok = await withTimeout(options.ready(), options.readyTimeoutMs ?? 2_000).catch(() => false);
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' });
      return 'readyz';
    }
    if (url.pathname === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return 'metrics';
    }
    const extra = Object.hasOwn(options.extraRoutes ?? {}, url.pathname) ? options.extraRoutes![url.pathname] : undefined;
    if (url.pathname !== path && !extra) {
      sendJson(res, 404, errorBody(`no route ${url.pathname}; GraphQL is served at ${path}`, 'NOT_FOUND'));
      return 'unknown';
    }

    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && SAFE_REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    res.setHeader('x-request-id', requestId);
    // The request's span is active here (see createServer below): its ids go on every log line.
    const log = logger.child({ requestId, ...traceFields() });
    if (extra) return handleExtra(extra, req, res, url, requestId, log);

    try {
      options.guard?.(req);
    } catch (error) {
      if (sendRefusal(res, metrics, error)) return 'graphql';
      throw error;
    }

    let rawBody = '';
    if (req.method === 'POST') {
      try {
        rawBody = await readBody(req, limit);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          sendJson(res, 413, errorBody(`request body exceeds ${limit} bytes`, 'BAD_REQUEST'));
          return 'graphql';
        }
        throw error;
      }
    }

    let context: TContext;
    try {
      context = await options.context(req, requestId, log);
    } catch (error) {
      if (sendRefusal(res, metrics, error)) return 'graphql';
      throw error;
    }

    let body: unknown = undefined;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        sendJson(res, 400, errorBody('the request body is not valid JSON', 'BAD_REQUEST'));
        return 'graphql';
      }
    }
    try {
      checkBatch(body, options.maxBatchSize ?? 1);
      options.admit?.(context, rawRequests(req.method, body, url));
    } catch (error) {
      if (sendRefusal(res, metrics, error)) return 'graphql';
      throw error;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => context,
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
    return 'graphql';
  };

  /** An extra route: method and declared size first, then the caller's token, then the streamed body. */
  const handleExtra = async (
    route: ExtraRoute<TContext>,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
    log: Logger,
  ): Promise<string> => {
    const method = route.method ?? 'POST';
    const routeLimit = route.maxBodyBytes ?? limit;
    if ((req.method ?? 'GET').toUpperCase() !== method) {
      sendJson(res, 405, errorBody(`${url.pathname} accepts ${method} only`, 'BAD_REQUEST'), { allow: method });
      return url.pathname;
    }
    if (Number(req.headers['content-length'] ?? 0) > routeLimit) {
      sendJson(res, 413, errorBody(new BodyTooLargeError(routeLimit).message, 'BAD_REQUEST'));
      return url.pathname;
    }
    try {
      const context = await options.context(req, requestId, log);
      await route.handle({ req, url, body: limitedBody(req, routeLimit) }, res, context);
    } catch (error) {
      if (res.headersSent) throw error;
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, errorBody(error.message, 'BAD_REQUEST'));
      } else if (error instanceof DomainError) {
        metrics.graphqlErrors.inc({ code: error.code });
        sendJson(res, statusOf(error), errorBody(error.message, error.code, { rule: error.rule, ...(error.details ?? {}) }));
      } else {
        throw error;
      }
    } finally {
      // A body left half-read is drained and dropped, so the answer reaches a client still sending
      // and the connection stays usable (Node itself only drains bodies nobody started reading).
      if (!req.complete) req.resume();
    }
    return url.pathname;
  };

  const server = createServer((req, res) => {
    const stop = metrics.httpDuration.startTimer();
    // One SERVER span per request, child of the caller's `traceparent` (the gateway's fetch span).
    const traceparent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : null;
    void inSpan(`${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`, { kind: SpanKind.SERVER, parent: traceparent }, async (span) => {
      try {
        const started = process.hrtime.bigint();
        const route = await handle(req, res);
        span.setAttribute('http.response.status_code', res.statusCode);
        stop({ route, status: String(res.statusCode) });
        // One access line per API request (probes and scrapes are left out): request and trace ids.
        if (route !== 'healthz' && route !== 'readyz' && route !== 'metrics') {
          const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
          logger.info({ requestId: res.getHeader('x-request-id'), route, status: res.statusCode, ms, ...traceFields() }, 'request');
        }
      } catch (error: unknown) {
        logger.error({ err: error, ...traceFields() }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
        else res.end();
        stop({ route: 'error', status: '500' });
      }
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    /** Listens on the port (0 for any free port) and resolves with the URL of the GraphQL path. */
    listen(port: number, host = '127.0.0.1'): Promise<RunningServer> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
          resolve({
            server,
            port: address.port,
            url: `http://${shownHost}:${address.port}${path}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                server.closeIdleConnections();
              }),
          });
        });
      });
    },
  };
}

/** The promise's value, or false once `ms` have passed without one. */
function withTimeout(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
