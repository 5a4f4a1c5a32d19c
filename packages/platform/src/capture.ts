import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

/**
 * Test-run capture (the leak scan, README "Security"). When HUANJIE_CAPTURE_DIR names a
 * directory — the jest global setup sets it for the whole run, workers inherit it — every logger
 * also writes every line at debug to `log-<pid>.ndjson` there, and every error answered to a
 * client is appended to `errors-<pid>.ndjson`; the global teardown scans them for personal data.
 * Unset (production, `npm start`), nothing here does anything.
 */
export const CAPTURE_DIR_VAR = 'HUANJIE_CAPTURE_DIR';

/** The capture directory of this test run, or undefined when capture is off. */
export function captureDir(): string | undefined {
  return process.env[CAPTURE_DIR_VAR] || undefined;
}

/** What a capture file holds: `<kind>-<pid>.ndjson`. */
export type CaptureKind = 'log' | 'errors' | 'sensitive';

export function captureFile(dir: string, kind: CaptureKind, pid = process.pid): string {
  return join(dir, `${kind}-${pid}.ndjson`);
}

let logDestination: { dir: string; stream: pino.DestinationStream } | undefined;

/**
 * The process's log capture file, opened once (synchronous writes: a line is on disk when the
 * call returns, so nothing is lost when a test worker exits). Undefined when capture is off.
 */
export function captureLogDestination(): pino.DestinationStream | undefined {
  const dir = captureDir();
  if (!dir) return undefined;
  if (logDestination?.dir !== dir) {
    logDestination = { dir, stream: pino.destination({ dest: captureFile(dir, 'log'), sync: true, append: true, mkdir: true }) };
  }
  return logDestination.stream;
}

/** Appends one record as a JSON line to this process's capture file of that kind; a no-op when capture is off. */
export function captureRecord(kind: Exclude<CaptureKind, 'log'>, record: unknown): void {
  captureRecords(kind, [record]);
}

/** Appends records as JSON lines, in one write; a no-op when capture is off. */
export function captureRecords(kind: Exclude<CaptureKind, 'log'>, records: readonly unknown[]): void {
  const dir = captureDir();
  if (!dir || records.length === 0) return;
  try {
    appendFileSync(captureFile(dir, kind), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  } catch {
    // Capture is a test aid: a full disk or a removed directory must not fail the request.
  }
}
