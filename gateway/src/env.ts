import { z } from 'zod';
import { ConfigError, portVar, requireSubgraphSecretInProduction, subgraphSecretVar } from '@huanjie/platform';
import type { GatewayOptions } from './gateway';
import { loadOperationManifest } from './persisted';

/** The limits createGateway applies when an option is not given (README "Security", gateway limits). */
export const LIMIT_DEFAULTS = {
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxCost: 25_000,
  costPageSize: 20,
  costListSize: 10,
  maxBatchSize: 1,
  maxBodyBytes: 256 * 1024,
  /** The environment's default; createGateway without `rateLimit` (tests, `npm start`) has none. */
  ratePerMinute: 600,
  rateBurst: 120,
  /** One subgraph fetch (README "Fault tests"). */
  subgraphTimeoutMs: 40_000,
} as const;

const flag = () => z.enum(['true', 'false']).transform((v) => v === 'true');

export const envSchema = z
  .object({
    PORT: portVar(4000),
    HOST: z.string().default('0.0.0.0'),
    NODE_ENV: z.string().optional(),
    AUTH_JWT_SECRET: z.string().min(32, 'AUTH_JWT_SECRET must be at least 32 characters'),
    AUTH_ISSUER: z.string().default('huanjie'),
    AUTH_AUDIENCE: z.string().default('huanjie'),
    GATEWAY_MAX_DEPTH: z.coerce.number().int().min(2).default(LIMIT_DEFAULTS.maxDepth),
    GATEWAY_MAX_ALIASES: z.coerce.number().int().min(0).default(LIMIT_DEFAULTS.maxAliases),
    GATEWAY_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(LIMIT_DEFAULTS.maxRootFields),
    GATEWAY_MAX_COST: z.coerce.number().int().min(1).default(LIMIT_DEFAULTS.maxCost),
    /** What the cost assumes for a `first` left out (the subgraphs' default page). */
    GATEWAY_COST_PAGE_SIZE: z.coerce.number().int().min(1).default(LIMIT_DEFAULTS.costPageSize),
    /** What the cost assumes for a list without `first` (a unit's committees, an election's candidates). */
    GATEWAY_COST_LIST_SIZE: z.coerce.number().int().min(1).default(LIMIT_DEFAULTS.costListSize),
    GATEWAY_MAX_BATCH: z.coerce.number().int().min(1).max(100).default(LIMIT_DEFAULTS.maxBatchSize),
    GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(LIMIT_DEFAULTS.maxBodyBytes),
    /** Operations a minute per user and gateway replica; 0 turns the rate limit off. */
    GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(LIMIT_DEFAULTS.ratePerMinute),
    GATEWAY_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(LIMIT_DEFAULTS.rateBurst),
    /** A JSON file of registered operations (npm run operations:manifest). */
    GATEWAY_OPERATIONS_MANIFEST: z.string().min(1).optional(),
    GATEWAY_REGISTERED_ONLY: flag().default(false),
    /** Introspection and the landing page; default: on, off when NODE_ENV=production. */
    GATEWAY_INTROSPECTION: flag().optional(),
    SUBGRAPH_SHARED_SECRET: subgraphSecretVar(),
    /** One fetch from a subgraph, in ms; then that subgraph's fields are null with SUBGRAPH_UNAVAILABLE. */
    GATEWAY_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(LIMIT_DEFAULTS.subgraphTimeoutMs),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((env) => !env.GATEWAY_REGISTERED_ONLY || env.GATEWAY_OPERATIONS_MANIFEST, {
    message: 'GATEWAY_REGISTERED_ONLY=true needs GATEWAY_OPERATIONS_MANIFEST (the registered operations)',
    path: ['GATEWAY_OPERATIONS_MANIFEST'],
  });
export type GatewayEnv = z.infer<typeof envSchema>;

/** The manifest, or a ConfigError naming the variable (start-up prints it plainly, without a stack). */
function manifestFrom(path: string) {
  try {
    return loadOperationManifest(path);
  } catch (error) {
    throw new ConfigError([`GATEWAY_OPERATIONS_MANIFEST: ${(error as Error).message}`]);
  }
}

/**
 * createGateway's options from the validated environment (all but the logger and the subgraph
 * URLs). Throws a ConfigError in production without SUBGRAPH_SHARED_SECRET, or when the operations
 * manifest cannot be read or a hash in it does not match its document.
 */
export function gatewayOptionsFromEnv(env: GatewayEnv): Omit<GatewayOptions, 'logger'> {
  requireSubgraphSecretInProduction(env);
  return {
    auth: { secret: env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
    maxDepth: env.GATEWAY_MAX_DEPTH,
    maxAliases: env.GATEWAY_MAX_ALIASES,
    maxRootFields: env.GATEWAY_MAX_ROOT_FIELDS,
    maxCost: env.GATEWAY_MAX_COST,
    cost: { defaultPageSize: env.GATEWAY_COST_PAGE_SIZE, defaultListSize: env.GATEWAY_COST_LIST_SIZE },
    maxBatchSize: env.GATEWAY_MAX_BATCH,
    maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
    rateLimit:
      env.GATEWAY_RATE_LIMIT_PER_MINUTE > 0
        ? { perMinute: env.GATEWAY_RATE_LIMIT_PER_MINUTE, burst: env.GATEWAY_RATE_LIMIT_BURST }
        : undefined,
    operations: env.GATEWAY_OPERATIONS_MANIFEST ? manifestFrom(env.GATEWAY_OPERATIONS_MANIFEST) : undefined,
    registeredOnly: env.GATEWAY_REGISTERED_ONLY,
    introspection: env.GATEWAY_INTROSPECTION ?? env.NODE_ENV !== 'production',
    subgraphSecret: env.SUBGRAPH_SHARED_SECRET,
    subgraphTimeoutMs: env.GATEWAY_SUBGRAPH_TIMEOUT_MS,
  };
}
