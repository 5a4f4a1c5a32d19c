import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  bearerToken,
  createErrorFormatter,
  createHttpServer,
  createMetrics,
  createTokenVerifier,
  injectTraceHeaders,
  inSpan,
  operationMetricsPlugin,
  SpanKind,
  type AuthContext,
  type AuthOptions,
  type Logger,
  type Metrics,
} from '@huanjie/platform';
import { aliasLimitRule, depthLimitRule } from './limits';
import { operationResolutionPlugin } from './operation-resolution';
import type { SubgraphName } from './subgraphs';

export interface GatewayContext {
  requestId: string;
  auth: AuthContext;
  /** The caller's bearer token, forwarded to every subgraph, which verifies it again. */
  token: string;
  log: Logger;
}

export interface GatewayOptions {
  logger: Logger;
  auth: AuthOptions;
  /** Default: gateway/supergraph.graphql. */
  supergraphSdl?: string;
  /** Where each subgraph answers; default: the URLs composed into the supergraph. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Default: 12. */
  maxDepth?: number;
  /** Default: 30. */
  maxAliases?: number;
  /** Default: 256 KiB. */
  maxBodyBytes?: number;
}

export function readSupergraph(): string {
  return readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8');
}

class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly subgraph: string,
    private readonly metrics: Metrics,
  ) {
    super(config);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const stop = this.metrics.subgraphFetchDuration.startTimer({ subgraph: this.subgraph });
    // A CLIENT span per fetch; willSendRequest (inside it) puts its traceparent on the request.
    return inSpan(`fetch ${this.subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'huanjie.subgraph': this.subgraph } }, async () => {
      try {
        const response = await super.process(options);
        stop({ outcome: response.errors?.length ? 'error' : 'ok' });
        return response;
      } catch (error) {
        stop({ outcome: 'failed' });
        throw error;
      }
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // `context` is absent only for the gateway's own health checks; normal requests carry it.
    const ctx = context as Partial<GatewayContext>;
    if (ctx.token) request.http?.headers.set('authorization', `Bearer ${ctx.token}`);
    if (ctx.requestId) request.http?.headers.set('x-request-id', ctx.requestId);
    injectTraceHeaders((name, value) => request.http?.headers.set(name, value));
  }
}

/** The gateway: a static supergraph, JWT verified here and forwarded, limits, masked errors. */
export async function createGateway(options: GatewayOptions) {
  const metrics = createMetrics('gateway');
  const subgraphEndpoints = new Map<string, string>();
  // @apollo/gateway otherwise starts an OpenTelemetry exporter that probes cloud metadata
  // endpoints and reports usage to a vendor. This graph runs in closed government networks and
  // sends nothing anywhere; an operator who wants it can set APOLLO_TELEMETRY_DISABLED=false.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    logger: options.logger,
    // The data source's default fetcher keeps connections to subgraphs alive between calls.
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls?.[name as SubgraphName] ?? url!;
      subgraphEndpoints.set(name, target);
      return new ForwardingDataSource({ url: target }, name, metrics);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
    plugins: [operationMetricsPlugin<GatewayContext>(metrics), operationResolutionPlugin<GatewayContext>()],
    validationRules: [depthLimitRule(options.maxDepth ?? 12), aliasLimitRule(options.maxAliases ?? 30)],
    logger: options.logger,
  });
  await apollo.start();
  const verify = createTokenVerifier(options.auth);
  const http = createHttpServer<GatewayContext>({
    apollo,
    logger: options.logger,
    metrics,
    maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
    // Ready when every subgraph says it is ready: a gateway that cannot plan across all of them
    // should be taken out of the load balancer, not serve partial answers.
    ready: async () => {
      const checks = [...subgraphEndpoints.values()].map(async (url) => {
        const response = await fetch(url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(2000) });
        return response.ok;
      });
      return checks.length > 0 && (await Promise.all(checks)).every(Boolean);
    },
    context: async (req, requestId, log) => {
      const token = bearerToken(req.headers.authorization);
      const auth = await verify(token);
      return { requestId, auth, token, log: log.child({ user: auth.userId }) };
    },
  });
  return {
    apollo,
    metrics,
    listen: http.listen,
    async stop() {
      await apollo.stop();
    },
  };
}
