import { createReadStream } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { readAllMessages, type ReadAllSummary } from './kafka-read-all';
import { LeakScanner, type Leak, type SensitiveKind, type SensitiveValue } from './leak-scan';

/** What the whole-run leak scan read and found; written to `<capture dir>/leak-scan.json`. */
export interface LeakScanReport {
  captureDir: string;
  /** Lines of every log capture file (every logger of every test process, at debug). */
  logs: { files: number; lines: number; bytes: number };
  /** Errors answered to clients: by the GraphQL error formatter, by the HTTP front, and as received by the tests. */
  errors: { files: number; records: number; bytes: number; byOrigin: Record<string, number> };
  /** Every message of every topic of the run's broker: key, value and each header. */
  kafka: (ReadAllSummary & { scope: 'all topics' | 'topics created during the run'; bytes: number }) | { skipped: string };
  /** Distinct values the tests sent that were searched for, by kind, besides the ID-number and phone patterns. */
  values: Record<SensitiveKind, number>;
  ms: number;
  leaks: number;
  /** The first 1000 leaks, values masked. */
  findings: Leak[];
}

async function captureFiles(dir: string, kind: 'log' | 'errors' | 'sensitive'): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.ndjson')).sort().map((f) => join(dir, f));
}

async function eachLine(file: string, fn: (line: string, n: number) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line) fn(line, n);
  }
}

/**
 * Scans what the run captured in `dir` (logs, errors, the values the tests sent) and, when
 * `brokers` is given, every Kafka message on it (`topics` narrows which), with LeakScanner.
 */
export async function runLeakScan(options: { dir: string; brokers?: string; topics?: (name: string) => boolean; kafkaTimeoutMs?: number }): Promise<LeakScanReport> {
  const started = Date.now();
  const { dir } = options;
  const values: SensitiveValue[] = [];
  for (const file of await captureFiles(dir, 'sensitive')) {
    await eachLine(file, (line) => {
      try {
        values.push(JSON.parse(line) as SensitiveValue);
      } catch {
        // a line cut short by a killed worker: its value is lost, the rest still counts
      }
    });
  }
  const scanner = new LeakScanner(values);

  const logFiles = await captureFiles(dir, 'log');
  for (const file of logFiles) await eachLine(file, (line, n) => scanner.scan('log', `${basename(file)}:${n}`, line));
  const errorFiles = await captureFiles(dir, 'errors');
  const byOrigin: Record<string, number> = {};
  for (const file of errorFiles) {
    await eachLine(file, (line, n) => {
      scanner.scan('error', `${basename(file)}:${n}`, line);
      const via = /^\{"via":"([a-z]+)"/.exec(line)?.[1] ?? 'other';
      byOrigin[via] = (byOrigin[via] ?? 0) + 1;
    });
  }

  let kafka: LeakScanReport['kafka'] = { skipped: 'no broker' };
  if (options.brokers) {
    const summary = await readAllMessages(
      options.brokers,
      (m) => {
        const where = `${m.topic}/${m.partition}@${m.offset}`;
        if (m.key !== null) scanner.scan('kafka', `${where} key`, m.key);
        if (m.value !== null) scanner.scan('kafka', `${where} value`, m.value);
        for (const [name, value] of m.headers) scanner.scan('kafka', `${where} header ${name}`, value);
      },
      { topics: options.topics, timeoutMs: options.kafkaTimeoutMs },
    );
    if (summary.messages !== summary.expected) {
      throw new Error(`leak scan: read ${summary.messages} Kafka messages, the partitions held ${summary.expected}`);
    }
    kafka = { ...summary, scope: options.topics ? 'topics created during the run' : 'all topics', bytes: scanner.scanned.kafka.bytes };
  }

  return {
    captureDir: dir,
    logs: { files: logFiles.length, lines: scanner.scanned.log.items, bytes: scanner.scanned.log.bytes },
    errors: { files: errorFiles.length, records: scanner.scanned.error.items, bytes: scanner.scanned.error.bytes, byOrigin },
    kafka,
    values: scanner.valueCounts(),
    ms: Date.now() - started,
    leaks: scanner.leakCount,
    findings: scanner.leaks,
  };
}

const n = (x: number) => x.toLocaleString('en-US');

/** The one-line summary printed after every run. */
export function summaryLine(report: LeakScanReport, reportFile: string): string {
  const k = report.kafka;
  const kafka = 'skipped' in k ? `Kafka skipped (${k.skipped})` : `${n(k.messages)} Kafka messages in ${n(k.topicsWithMessages)} of ${n(k.topics)} topics (${(k.ms / 1000).toFixed(1)} s)`;
  const v = report.values;
  const searched = `${n(v.name)} names, ${n(v.contact)} contacts, ${n(v['id-number'])} ID numbers, ${n(v.phone)} phones sent by the tests, and every valid ID number and mobile number`;
  const o = report.errors.byOrigin;
  const errors = `${n(report.errors.records)} error records (${n(o.graphql ?? 0)} GraphQL and ${n(o.http ?? 0)} HTTP errors as the services sent them, ${n(o.client ?? 0)} as the tests received them)`;
  return (
    `leak scan: ${n(report.logs.lines)} log lines (${report.logs.files} files), ${errors}, ${kafka}; ` +
    `searched for ${searched}; leaks found: ${n(report.leaks)} (${(report.ms / 1000).toFixed(1)} s) — ${reportFile}`
  );
}

/** Writes the report beside the capture; on a clean scan, drops the bulky capture files (HUANJIE_CAPTURE_KEEP=1 keeps them). */
export async function saveReport(report: LeakScanReport): Promise<string> {
  const file = join(report.captureDir, 'leak-scan.json');
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  if (report.leaks === 0 && process.env.HUANJIE_CAPTURE_KEEP !== '1') {
    for (const kind of ['log', 'errors', 'sensitive'] as const) {
      for (const f of await captureFiles(report.captureDir, kind)) await rm(f, { force: true });
    }
  }
  return file;
}
