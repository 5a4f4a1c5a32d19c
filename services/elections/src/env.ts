import { z } from 'zod';
import { serviceEnvSchema } from '@huanjie/platform';

/**
 * elections' environment: the common variables plus personnel's PII keys. The voter roll keeps the
 * blind index of each voter's national ID number (never the number): it must be computed with the
 * same PII_INDEX_KEY as personnel's, so one person has one index across the services.
 */
export const envSchema = serviceEnvSchema
  .extend({
    PORT: serviceEnvSchema.shape.PORT.default(4003),
    PII_ENCRYPTION_KEY: z.string().min(1).optional(),
    /** Key rotation: 'k2:<base64>,k1:<base64>', the current key first (README "Security"). */
    PII_ENCRYPTION_KEYS: z.string().min(1).optional(),
    PII_INDEX_KEY: z.string().min(1, 'PII_INDEX_KEY (32 bytes, base64; the same as personnel’s) is required'),
  })
  .refine((env) => env.PII_ENCRYPTION_KEY !== undefined || env.PII_ENCRYPTION_KEYS !== undefined, {
    message: 'PII_ENCRYPTION_KEY (32 bytes, base64; the same as personnel’s) or PII_ENCRYPTION_KEYS is required',
    path: ['PII_ENCRYPTION_KEY'],
  });
