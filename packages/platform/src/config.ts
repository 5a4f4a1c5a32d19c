import { z } from 'zod';

/** Thrown at start-up when the environment is wrong; names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment against a zod object schema, once, at start-up.
 * Fails fast with the variable's name and what was expected, never with its value
 * (values may be secrets).
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

/** A TCP port given as a string in the environment. */
export const portVar = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** A comma-separated list, e.g. KAFKA_BROKERS=host1:9092,host2:9092. */
export const listVar = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));

/** SUBGRAPH_SHARED_SECRET, the gateway's credential towards the subgraphs (gateway-credential.ts). */
export const subgraphSecretVar = () => z.string().min(32, 'SUBGRAPH_SHARED_SECRET must be at least 32 characters').optional();

/** The variables every subgraph reads. Services extend this with their own. */
export const serviceEnvSchema = z.object({
  PORT: portVar(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL'),
  /** Opening a connection and waiting for a free one of the pool, in ms (0: no limit). Default: 10 000. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  /** PostgreSQL's statement_timeout for every session, in ms (0: none). Default: 30 000. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  /** A statement without any answer for this long has its connection closed, in ms (0: never). Default: the statement timeout + 5 000. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).optional(),
  KAFKA_BROKERS: listVar(),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  AUTH_JWT_SECRET: z.string().min(32, 'AUTH_JWT_SECRET must be at least 32 characters'),
  AUTH_ISSUER: z.string().default('huanjie'),
  AUTH_AUDIENCE: z.string().default('huanjie'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
  /**
   * The gateway's credential (gateway-credential.ts): when set, GraphQL is answered only to
   * requests carrying it; required when NODE_ENV=production (checked by runSubgraphMain).
   */
  SUBGRAPH_SHARED_SECRET: subgraphSecretVar(),
});
export type ServiceEnv = z.infer<typeof serviceEnvSchema>;
