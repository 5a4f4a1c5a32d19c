import { z } from 'zod';
import { portVar } from '@huanjie/platform';

export const envSchema = z.object({
  PORT: portVar(4000),
  HOST: z.string().default('0.0.0.0'),
  AUTH_JWT_SECRET: z.string().min(32, 'AUTH_JWT_SECRET must be at least 32 characters'),
  AUTH_ISSUER: z.string().default('huanjie'),
  AUTH_AUDIENCE: z.string().default('huanjie'),
  GATEWAY_MAX_DEPTH: z.coerce.number().int().min(2).default(12),
  GATEWAY_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
