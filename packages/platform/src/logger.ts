import pino, { type Logger } from 'pino';
import { captureLogDestination } from './capture';

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
  const options: pino.LoggerOptions = {
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  // Test runs (HUANJIE_CAPTURE_DIR, see capture.ts): every line from debug up also goes to the
  // run's capture file, whatever the configured level, so the leak scan sees what the services
  // would log. The configured destination keeps the configured level.
  const capture = captureLogDestination();
  if (!capture) return pino(options, destination);
  const captureLevel = level === 'trace' ? 'trace' : 'debug';
  return pino(
    { ...options, level: captureLevel },
    pino.multistream<pino.LevelWithSilent>([
      { level: level as pino.LevelWithSilent, stream: destination ?? pino.destination(1) },
      { level: captureLevel, stream: capture },
    ]),
  );
}
