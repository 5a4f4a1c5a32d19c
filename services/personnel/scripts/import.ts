// npm run import -- --file register.csv [--url http://localhost:4001/import] [--token …] [--errors 20] [--report out.ndjson]
// Streams a CSV file (services/personnel/IMPORT.md) to the personnel service's POST /import and
// shows its progress on stderr; the summary goes to stdout. Exit code 0 when every row was
// imported or skipped as already registered, 1 when any row failed or the import did not finish,
// 2 for a usage error.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
import type { ImportLine } from '../src/import/import.route';

const USAGE = `usage: npm run import -- --file FILE.csv [--url URL] [--token TOKEN] [--errors N] [--report FILE.ndjson]
  --file    the CSV file (format: services/personnel/IMPORT.md)
  --url     the personnel service's import route (default http://localhost:4001/import)
  --token   an ORG_ADMIN bearer token (default: $HUANJIE_TOKEN; npm run token -- --role ORG_ADMIN --region CODE)
  --errors  how many failed rows to list at the end (default 20)
  --report  also write every line the service sends (errors, skipped rows, summary) to this file
`;

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        file: { type: 'string' },
        url: { type: 'string', default: 'http://localhost:4001/import' },
        token: { type: 'string' },
        errors: { type: 'string', default: '20' },
        report: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
}
const args = readArgs();
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const file = args.file ?? usage('--file is required');
// The environment rather than the command line keeps the token out of shell history and `ps`.
const token = args.token ?? process.env.HUANJIE_TOKEN ?? usage('--token (or HUANJIE_TOKEN) is required: an ORG_ADMIN token');
const maxErrors = Number(args.errors);
if (!Number.isInteger(maxErrors) || maxErrors < 0) usage('--errors must be a whole number');
let url: URL;
try {
  url = new URL(args.url);
} catch {
  usage(`--url is not a URL: ${args.url}`);
}
let size: number;
try {
  size = statSync(file).size;
} catch (error) {
  usage(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}

const tty = process.stderr.isTTY;
const started = Date.now();
const fmt = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The progress line: a bar when stderr is a terminal, a line every two seconds when it is a log. */
class Progress {
  private lastPrinted = 0;
  private importStarted: { at: number; done: number } | null = null;

  upload(sent: number): void {
    this.show(`uploading ${mib(sent)} / ${mib(size)} MiB`, sent / Math.max(size, 1));
  }

  rows(done: number, total: number): void {
    const now = Date.now();
    this.importStarted ??= { at: now, done };
    const seconds = (now - this.importStarted.at) / 1000;
    const rate = seconds > 0 ? (done - this.importStarted.done) / seconds : 0;
    const eta = rate > 0 ? `, ETA ${Math.ceil((total - done) / rate)} s` : '';
    this.show(`${fmt(done)} / ${fmt(total)} rows, ${fmt(Math.round(rate))} rows/s${eta}`, done / Math.max(total, 1), done === total);
  }

  private show(text: string, fraction: number, force = false): void {
    const now = Date.now();
    if (tty) {
      const width = 30;
      const filled = Math.round(Math.min(1, fraction) * width);
      process.stderr.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
    } else if (force || now - this.lastPrinted >= 2000) {
      process.stderr.write(`${text}\n`);
      this.lastPrinted = now;
    }
  }

  done(): void {
    if (tty) process.stderr.write('\n');
  }
}

type RowLine = Extract<ImportLine, { type: 'error' }>;

async function main(): Promise<number> {
  const progress = new Progress();
  const report = args.report ? createWriteStream(args.report) : null;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(url, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-length': size, authorization: `Bearer ${token}` },
  });
  process.once('SIGINT', () => {
    progress.done();
    process.stderr.write('stopped: units committed so far stay, each whole; run the same file again to finish (they are skipped)\n');
    req.destroy();
    process.exit(130);
  });

  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  let sent = 0;
  const body = createReadStream(file);
  body.on('data', (chunk) => {
    sent += chunk.length;
    progress.upload(sent);
  });
  body.pipe(req);

  const res = await response;
  if (res.statusCode !== 200) {
    // Refused as a whole (token, role, content type, size, a file that cannot be read): a JSON error.
    let text = '';
    for await (const chunk of res) text += chunk;
    progress.done();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { errors?: { message: string; extensions?: { rule?: string; line?: number } }[] };
      message = (parsed.errors ?? []).map((e) => `${e.extensions?.line ? `line ${e.extensions.line}: ` : ''}${e.message} [${e.extensions?.rule ?? 'no rule'}]`).join('\n');
    } catch {
      // not JSON: show it as it came
    }
    process.stderr.write(`the service refused the file (HTTP ${res.statusCode}):\n${message}\n`);
    return 1;
  }

  const errors: RowLine[] = [];
  let skipped = 0;
  let summary: Extract<ImportLine, { type: 'summary' }> | null = null;
  let fatal: Extract<ImportLine, { type: 'fatal' }> | null = null;
  let buffer = '';
  res.setEncoding('utf8');
  for await (const chunk of res as AsyncIterable<string>) {
    report?.write(chunk);
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!text.trim()) continue;
      const line = JSON.parse(text) as ImportLine;
      if (line.type === 'progress') progress.rows(line.done, line.total);
      else if (line.type === 'error') errors.push(line);
      else if (line.type === 'skipped') skipped++;
      else if (line.type === 'summary') summary = line;
      else fatal = line;
    }
  }
  progress.done();
  await new Promise<void>((resolve) => (report ? report.end(resolve) : resolve()));

  const out: string[] = [];
  if (summary) {
    const s = summary;
    out.push(
      `imported  ${fmt(s.imported.orgUnits)} org units, ${fmt(s.imported.people)} people`,
      `skipped   ${fmt(s.skipped.orgUnits)} org units, ${fmt(s.skipped.people)} people (already registered)`,
      `failed    ${fmt(s.failed.orgUnits)} org units, ${fmt(s.failed.people)} people${s.failed.unknownType ? `, ${fmt(s.failed.unknownType)} rows of unknown type` : ''}`,
      `${fmt(s.rows)} rows in ${(s.durationMs / 1000).toFixed(1)} s on the service (${fmt(s.rowsPerSecond)} rows/s), ${((Date.now() - started) / 1000).toFixed(1)} s in all; request id ${s.requestId}`,
    );
    if (!s.complete) out.push('the import stopped before the end: run the same file again to finish it');
  }
  if (fatal) out.push(`the import failed: ${fatal.message}`);
  if (!summary && !fatal) out.push('the connection ended before the summary: run the same file again (imported units are skipped)');
  // The rows that broke a rule first, by line; rows only held back with their unit are counted after them.
  const own = errors.filter((e) => e.rule !== 'IMPORT.UNIT_INCOMPLETE').sort((a, b) => a.line - b.line);
  const heldBack = errors.length - own.length;
  if (own.length > 0) {
    out.push('', own.length > maxErrors ? `first ${maxErrors} of ${fmt(own.length)} rows with errors:` : 'rows with errors:');
    for (const e of own.slice(0, maxErrors)) out.push(`  line ${e.line}  ${e.rule}  ${e.message}`);
  }
  if (heldBack > 0) {
    const rows = heldBack === 1 ? 'row' : 'rows';
    out.push(`${own.length > 0 ? '' : '\n'}  + ${fmt(heldBack)} ${rows} not imported because another row of their unit failed (IMPORT.UNIT_INCOMPLETE)`);
  }
  if (skipped > 0 && args.report) out.push(`skipped rows are listed in ${args.report}`);
  process.stdout.write(`${out.join('\n')}\n`);
  const failed = summary ? summary.failed.orgUnits + summary.failed.people + summary.failed.unknownType : 1;
  return summary?.complete && failed === 0 && !fatal ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nimport failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
