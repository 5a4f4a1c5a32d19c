import { join } from 'node:path';
import { z } from 'zod';
import { DEV_JWT_SECRET, listVar, portVar } from '@huanjie/platform';

const repoRoot = join(__dirname, '..', '..', '..');

/** `npm start`'s environment. Everything has a local default; set a variable to change it. */
export const envSchema = z.object({
  /** A PostgreSQL server to use instead of the embedded one (each service gets its own database on it). */
  DATABASE_URL: z.string().url().optional(),
  HUANJIE_DATA_DIR: z.string().default(join(repoRoot, '.data')),
  EMBEDDED_PG_PORT: portVar(54329),
  KAFKA_BROKERS: listVar(),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  AUTH_JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
  AUTH_ISSUER: z.string().default('huanjie'),
  AUTH_AUDIENCE: z.string().default('huanjie'),
  PII_ENCRYPTION_KEY: z.string().optional(),
  /** Key rotation: 'k2:<base64>,k1:<base64>', current first (README "Security"). */
  PII_ENCRYPTION_KEYS: z.string().optional(),
  PII_INDEX_KEY: z.string().optional(),
  HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: portVar(4000),
  PERSONNEL_PORT: portVar(4001),
  VETTING_PORT: portVar(4002),
  ELECTIONS_PORT: portVar(4003),
  COMPLAINTS_PORT: portVar(4004),
  TRAINING_PORT: portVar(4005),
  HUANJIE_DEMO_DATA: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});
export type LauncherEnv = z.infer<typeof envSchema>;
