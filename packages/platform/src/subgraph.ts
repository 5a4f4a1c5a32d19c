import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { bearerToken, type AuthContext, type AuthOptions } from './auth';
import { createTokenVerifier } from './token-cache';
import { createErrorFormatter } from './errors';
import { gatewayCredentialGuard } from './gateway-credential';
import { createHttpServer, type ExtraRoute } from './http';
import type { Logger } from './logger';
import { createMetrics, operationMetricsPlugin, type Metrics } from './metrics';

/** What every resolver of every subgraph receives. */
export interface BaseRequestContext {
  requestId: string;
  auth: AuthContext;
  log: Logger;
}

export interface SubgraphAppOptions<TContext extends BaseRequestContext> {
  /** Service name, e.g. 'personnel'. */
  name: string;
  /** The subgraph SDL (Federation 2), read from src/schema.graphql. */
  sdl: string;
  resolvers: GraphQLResolverMap<TContext>;
  auth: AuthOptions;
  logger: Logger;
  metrics?: Metrics;
  /** Readiness: resolves true when the database (and bus) answer. */
  ready: () => Promise<boolean>;
  /** Adds per-request things to the context: repositories bound to the caller's scope, DataLoaders. */
  extendContext: (base: BaseRequestContext) => TContext;
  /** Default: 1 MiB. */
  maxBodyBytes?: number;
  /** Routes beside /graphql, authenticated like it (see HttpServerOptions.extraRoutes). Default: none. */
  extraRoutes?: Record<string, ExtraRoute<TContext>>;
  /**
   * SUBGRAPH_SHARED_SECRET: when set, GraphQL requests without the gateway's credential are
   * refused with 401 (gateway-credential.ts); extra routes (the import endpoints, which their
   * command-line tools call directly) and probes are not affected. Default: none (anyone with a token).
   */
  gatewaySecret?: string;
}

/** Reads a schema file that sits beside the module (src/ when run from source, dist/ when bundled). */
export function readSchemaFile(dir: string, file = 'schema.graphql'): string {
  const parts = [readFileSync(join(dir, file), 'utf8')];
  // A growing subgraph splits its SDL: src/schema.graphql (the @link and the shared types) and one
  // file per area in src/schema/, read in name order so the composed text is stable.
  const more = join(dir, 'schema');
  if (existsSync(more)) {
    for (const name of readdirSync(more).filter((n) => n.endsWith('.graphql')).sort()) parts.push(readFileSync(join(more, name), 'utf8'));
  }
  return parts.join('\n');
}

/**
 * Builds a subgraph: Apollo Server on the subgraph schema, behind the shared HTTP front. Every
 * GraphQL request must carry a valid token (verified here again, not only at the gateway) and,
 * when `gatewaySecret` is set, the gateway's credential.
 */
export async function createSubgraphApp<TContext extends BaseRequestContext>(options: SubgraphAppOptions<TContext>) {
  const metrics = options.metrics ?? createMetrics(options.name);
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema([{ typeDefs: parse(options.sdl), resolvers: options.resolvers }]),
    plugins: [
      operationMetricsPlugin<TContext>(metrics),
      // Neither is used (no cache hints, no usage reporting), and the cache-control plugin wraps
      // every field's resolver: ~3% of the subgraphs' CPU in a profile of the bench's candidate list.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
    logger: options.logger,
  });
  await apollo.start();
  const verify = createTokenVerifier(options.auth);
  const http = createHttpServer<TContext>({
    apollo,
    logger: options.logger,
    metrics,
    ready: options.ready,
    maxBodyBytes: options.maxBodyBytes,
    extraRoutes: options.extraRoutes,
    guard: options.gatewaySecret ? gatewayCredentialGuard(options.gatewaySecret) : undefined,
    context: async (req, requestId, log) => {
      const auth = await verify(bearerToken(req.headers.authorization));
      return options.extendContext({ requestId, auth, log: log.child({ user: auth.userId }) });
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
