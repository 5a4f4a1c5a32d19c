import { z } from 'zod';
import { serviceEnvSchema } from '@huanjie/platform';

/** personnel's environment: the common variables plus the keys for national ID numbers. */
export const envSchema = serviceEnvSchema
  .extend({
    PORT: serviceEnvSchema.shape.PORT.default(4001),
    PII_ENCRYPTION_KEY: z.string().min(1).optional(),
    /** Key rotation: 'k2:<base64>,k1:<base64>', the current key first (README "Security"). */
    PII_ENCRYPTION_KEYS: z.string().min(1).optional(),
    PII_INDEX_KEY: z.string().min(1, 'PII_INDEX_KEY (32 bytes, base64) is required'),
    /** Largest CSV file POST /import accepts, in bytes. Default: 64 MiB. */
    IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(64 * 1024 * 1024),
  })
  .refine((env) => env.PII_ENCRYPTION_KEY !== undefined || env.PII_ENCRYPTION_KEYS !== undefined, {
    message: 'PII_ENCRYPTION_KEY (32 bytes, base64) or PII_ENCRYPTION_KEYS (id:base64,…, current first) is required',
    path: ['PII_ENCRYPTION_KEY'],
  });
