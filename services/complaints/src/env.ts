import { z } from 'zod';
import { serviceEnvSchema } from '@huanjie/platform';

/**
 * complaints' environment: the common variables plus, optionally, the PII keys that encrypt
 * complainants at rest. Without them the service takes anonymous complaints only (a named
 * complainant is refused with COMPLAINT.PII_UNAVAILABLE); set both in production.
 */
export const envSchema = serviceEnvSchema
  .extend({
    PORT: serviceEnvSchema.shape.PORT.default(4004),
    PII_ENCRYPTION_KEY: z.string().min(1).optional(),
    /** Key rotation: 'k2:<base64>,k1:<base64>', the current key first (README "Security"). */
    PII_ENCRYPTION_KEYS: z.string().min(1).optional(),
    PII_INDEX_KEY: z.string().min(1).optional(),
  })
  .refine((env) => (env.PII_ENCRYPTION_KEY === undefined && env.PII_ENCRYPTION_KEYS === undefined) === (env.PII_INDEX_KEY === undefined), {
    message: 'set both PII_ENCRYPTION_KEY and PII_INDEX_KEY (32 bytes, base64, different), or neither',
  });
