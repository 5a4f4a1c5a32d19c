import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import {
  bearerToken,
  createErrorFormatter,
  createHttpServer,
  createMetrics,
  createTokenVerifier,
  operationMetricsPlugin,
  type AuthContext,
  type AuthOptions,
  type Logger,
} from '@huanjie/platform';
import { costLimitPlugin, type CostOptions } from './cost';
import { ForwardingDataSource } from './data-source';
import { LIMIT_DEFAULTS } from './env';
import { aliasLimitRule, depthLimitRule, rootFieldLimitRule } from './limits';
import { operationResolutionPlugin } from './operation-resolution';
import { manifestLookupPlugin, registeredOnlyAdmission, type OperationManifest } from './persisted';
import { rateLimitAdmission, type RateLimitOptions } from './rate-limit';
import { createSubgraphFetcher } from './subgraph-fetcher';
import type { SubgraphName } from './subgraphs';

export interface GatewayContext {
  requestId: string;
  auth: AuthContext;
  /** The caller's bearer token, forwarded to every subgraph, which verifies it again. */
  token: string;
  log: Logger;
}

/** Every limit has a default (LIMIT_DEFAULTS in env.ts); README "Security" lists them. */
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
  /** Top-level fields in one operation. Default: 20. */
  maxRootFields?: number;
  /** Static cost of one operation (cost.ts). Default: 25,000. */
  maxCost?: number;
  /** What the cost assumes for lists without a size. Default: a page of 20, a plain list of 10. */
  cost?: Partial<CostOptions>;
  /** Operations in one batched request (a JSON array); 1 refuses batches. Default: 1. */
  maxBatchSize?: number;
  /** Default: 256 KiB. */
  maxBodyBytes?: number;
  /**
   * A token bucket per user (rate-limit.ts). Default: none, so tests and `npm start` are never
   * throttled; main.ts sets it from the environment, where it is on (600 a minute, bursts of 120).
   */
  rateLimit?: Omit<RateLimitOptions, 'now'>;
  /** Registered operations (persisted.ts), known by their hash from the start. Default: none. */
  operations?: OperationManifest;
  /** Only the registered operations run; anything else is a 400. Needs `operations`. Default: false. */
  registeredOnly?: boolean;
  /** Introspection and Apollo's landing page. Default: on, off when NODE_ENV=production. */
  introspection?: boolean;
  /** SUBGRAPH_SHARED_SECRET, sent to every subgraph as the gateway's credential. Default: none. */
  subgraphSecret?: string;
  /**
   * How long one fetch from a subgraph may take (connect, answer, body); then its fields are null
   * with SUBGRAPH_UNAVAILABLE. Default: 40 s, beyond a subgraph's own database timeouts (30 s a statement).
   */
  subgraphTimeoutMs?: number;
}

export function readSupergraph(): string {
  return readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8');
}

/** The gateway: a static supergraph, JWT verified here and forwarded, limits, masked errors. */
export async function createGateway(options: GatewayOptions) {
  if (options.registeredOnly && !options.operations) throw new Error('registeredOnly needs the registered operations (operations)');
  const metrics = createMetrics('gateway');
  const subgraphEndpoints = new Map<string, string>();
  // @apollo/gateway otherwise starts an OpenTelemetry exporter that probes cloud metadata
  // endpoints and reports usage to a vendor. This graph runs in closed government networks and
  // sends nothing anywhere; an operator who wants it can set APOLLO_TELEMETRY_DISABLED=false.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  // One keep-alive agent for every subgraph call (subgraph-fetcher.ts: cheaper than Apollo's default fetcher).
  const fetcher = createSubgraphFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readSupergraph(),
    logger: options.logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls?.[name as SubgraphName] ?? url!;
      subgraphEndpoints.set(name, target);
      return new ForwardingDataSource({ url: target, fetcher }, name, metrics, options.subgraphSecret, options.subgraphTimeoutMs ?? LIMIT_DEFAULTS.subgraphTimeoutMs);
    },
  });
  const introspection = options.introspection ?? process.env.NODE_ENV !== 'production';
  const maxBatchSize = options.maxBatchSize ?? LIMIT_DEFAULTS.maxBatchSize;
  const cost: CostOptions = {
    defaultPageSize: options.cost?.defaultPageSize ?? LIMIT_DEFAULTS.costPageSize,
    defaultListSize: options.cost?.defaultListSize ?? LIMIT_DEFAULTS.costListSize,
  };
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    operationMetricsPlugin<GatewayContext>(metrics),
    operationResolutionPlugin<GatewayContext>(),
    costLimitPlugin<GatewayContext>(options.maxCost ?? LIMIT_DEFAULTS.maxCost, cost),
    // No cache hints anywhere: computing a cache policy for every answer is work for nothing.
    ApolloServerPluginCacheControlDisabled(),
  ];
  if (options.operations) plugins.push(manifestLookupPlugin<GatewayContext>(options.operations));
  if (!introspection) plugins.push(ApolloServerPluginLandingPageDisabled());
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
    plugins,
    validationRules: [
      depthLimitRule(options.maxDepth ?? LIMIT_DEFAULTS.maxDepth),
      aliasLimitRule(options.maxAliases ?? LIMIT_DEFAULTS.maxAliases),
      rootFieldLimitRule(options.maxRootFields ?? LIMIT_DEFAULTS.maxRootFields),
    ],
    introspection,
    // Apollo's defaults, stated: a GET or a "simple" POST (text/plain, form) must carry a
    // non-simple content type or an `apollo-require-preflight` header, so a browser cannot be made
    // to send one cross-site without a CORS preflight; and APQ, in Apollo's bounded in-memory cache.
    csrfPrevention: true,
    allowBatchedHttpRequests: maxBatchSize > 1,
    logger: options.logger,
  });
  await apollo.start();
  const verify = createTokenVerifier(options.auth);
  const admitUser = options.rateLimit ? rateLimitAdmission(options.rateLimit) : undefined;
  const admitDocuments = options.registeredOnly && options.operations ? registeredOnlyAdmission(options.operations) : undefined;
  const http = createHttpServer<GatewayContext>({
    apollo,
    logger: options.logger,
    metrics,
    maxBodyBytes: options.maxBodyBytes ?? LIMIT_DEFAULTS.maxBodyBytes,
    maxBatchSize,
    // Before Apollo parses anything: the caller's rate (one token per operation), then the documents.
    admit: (context, requests) => {
      admitUser?.(context.auth.userId, requests.length);
      admitDocuments?.(requests);
    },
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
      fetcher.destroy();
    },
  };
}
