import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { DomainError } from './errors';
import type { Logger } from './logger';
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
  /** Largest request body accepted, in bytes. Default: 1 MiB. */
  maxBodyBytes?: number;
  /** Default: '/graphql'. */
  path?: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

/**
 * A small HTTP front for Apollo Server: /graphql, /healthz (liveness), /readyz (dependencies)
 * and /metrics (Prometheus). Shared by the gateway and every subgraph.
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
      const ok = await options.ready().catch(() => false);
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' });
      return 'readyz';
    }
    if (url.pathname === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return 'metrics';
    }
    if (url.pathname !== path) {
      sendJson(res, 404, errorBody(`no route ${url.pathname}; GraphQL is served at ${path}`, 'NOT_FOUND'));
      return 'unknown';
    }

    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && SAFE_REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    res.setHeader('x-request-id', requestId);
    const log = logger.child({ requestId });

    let rawBody = '';
    if (req.method === 'POST') {
      try {
        rawBody = await readBody(req, limit);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
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
      if (error instanceof DomainError) {
        const status = error.code === 'UNAUTHENTICATED' ? 401 : error.code === 'FORBIDDEN' ? 403 : 400;
        metrics.graphqlErrors.inc({ code: error.code });
        sendJson(res, status, errorBody(error.message, error.code, { rule: error.rule }));
        return 'graphql';
      }
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

  const server = createServer((req, res) => {
    const stop = metrics.httpDuration.startTimer();
    handle(req, res)
      .then((route) => stop({ route, status: String(res.statusCode) }))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
        else res.end();
        stop({ route: 'error', status: '500' });
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
