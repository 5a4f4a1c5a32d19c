import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may hold personal data. pino replaces them before a line is written, so a
 * careless `log.info({ input })` still leaks nothing (national ID, phone, complainant).
 */
export const REDACTED_PATHS = [
  'idNumber', '*.idNumber', '*.*.idNumber',
  'phone', '*.phone', '*.*.phone',
  'complainant', '*.complainant', '*.*.complainant',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'variables', '*.variables',
];

export interface LoggerOptions {
  /** Service name, written as `service` on every line. */
  name: string;
  /** Default: 'info'. */
  level?: string;
  /** Where to write; default stdout. Tests pass a stream to inspect lines. */
  destination?: pino.DestinationStream;
}

export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: name },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
