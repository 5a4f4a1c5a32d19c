import { z } from 'zod';
import { serviceEnvSchema } from '@huanjie/platform';

/**
 * elections' environment: the common variables plus personnel's PII keys. The voter roll keeps the
 * blind index of each voter's national ID number (never the number): it must be computed with the
 * same PII_INDEX_KEY as personnel's, so one person has one index across the services.
 */
export const envSchema = serviceEnvSchema.extend({
  PORT: serviceEnvSchema.shape.PORT.default(4003),
  PII_ENCRYPTION_KEY: z.string().min(1, 'PII_ENCRYPTION_KEY (32 bytes, base64; the same as personnel’s) is required'),
  PII_INDEX_KEY: z.string().min(1, 'PII_INDEX_KEY (32 bytes, base64; the same as personnel’s) is required'),
});
