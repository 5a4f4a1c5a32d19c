// npm run import:voters -- --election <id> --file voters.csv [--url http://localhost:4003/voters/import] [--token …] [--rejects rejects.csv] [--errors 20]
// Streams a voter file (services/elections/VOTER-IMPORT.md) to the elections service's
// POST /voters/import and shows its progress on stderr; the summary goes to stdout, every rejected
// line to --rejects (CSV, or NDJSON when the name ends in .ndjson). Exit code 0 when every line
// was registered or skipped as already on the roll, 1 when any line was rejected or the import
// did not finish, 2 for a usage error.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
import type { VoterImportLine } from '../src/import/voter-import.route';

const USAGE = `usage: npm run import:voters -- --election ID --file FILE.csv [--url URL] [--token TOKEN] [--rejects FILE] [--errors N]
  --election  id of the villagers' or residents' committee election (open for registration)
  --file      the CSV file (format: services/elections/VOTER-IMPORT.md)
  --url       the elections service's import route (default http://localhost:4003/voters/import)
  --token     an ORG_ADMIN, TOWN_OFFICER or CIVIL_AFFAIRS bearer token (default: $HUANJIE_TOKEN)
  --rejects   write every rejected or skipped line here: CSV (line,type,rule,message), or NDJSON if the name ends in .ndjson
  --errors    how many rejected lines to list on stdout (default 20)
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
        election: { type: 'string' },
        file: { type: 'string' },
        url: { type: 'string', default: 'http://localhost:4003/voters/import' },
        token: { type: 'string' },
        rejects: { type: 'string' },
        errors: { type: 'string', default: '20' },
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
const election = args.election ?? usage('--election is required: the id of the election whose roll the file fills');
const file = args.file ?? usage('--file is required');
// The environment rather than the command line keeps the token out of shell history and `ps`.
const token = args.token ?? process.env.HUANJIE_TOKEN ?? usage('--token (or HUANJIE_TOKEN) is required');
const maxErrors = Number(args.errors);
if (!Number.isInteger(maxErrors) || maxErrors < 0) usage('--errors must be a whole number');
let url: URL;
try {
  url = new URL(args.url);
  url.searchParams.set('election', election);
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
  private sent = 0;
  private lines = 0;
  private rejected = 0;
  private phase = 'uploading';

  upload(sent: number): void {
    this.sent = sent;
    this.show();
  }
  read(lines: number, rejected: number): void {
    this.lines = lines;
    this.rejected = rejected;
    this.show();
  }
  setPhase(text: string): void {
    this.phase = text;
    this.show(true);
  }

  private show(force = false): void {
    const now = Date.now();
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? Math.round(this.lines / seconds) : 0;
    const text = `${this.phase}: ${mib(this.sent)} / ${mib(size)} MiB, ${fmt(this.lines)} lines (${fmt(rate)} lines/s), ${fmt(this.rejected)} rejected so far`;
    if (tty) {
      const width = 30;
      const filled = Math.round(Math.min(1, this.sent / Math.max(size, 1)) * width);
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

type RowLine = Extract<VoterImportLine, { type: 'rejected' | 'skipped' }>;
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function main(): Promise<number> {
  const progress = new Progress();
  const rejectsOut = args.rejects ? createWriteStream(args.rejects) : null;
  const ndjson = args.rejects?.endsWith('.ndjson') ?? false;
  if (rejectsOut && !ndjson) rejectsOut.write('line,type,rule,message\n');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(url, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-length': size, authorization: `Bearer ${token}` },
  });
  process.once('SIGINT', () => {
    progress.done();
    process.stderr.write('stopped: nothing of this file is registered unless the summary said so; run it again\n');
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
    // Refused as a whole (token, role, election, content type, header row): a JSON error.
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

  const shown: RowLine[] = [];
  let rejected = 0;
  let summary: Extract<VoterImportLine, { type: 'summary' }> | null = null;
  let fatal: Extract<VoterImportLine, { type: 'fatal' }> | null = null;
  let buffer = '';
  res.setEncoding('utf8');
  for await (const chunk of res as AsyncIterable<string>) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!text.trim()) continue;
      const line = JSON.parse(text) as VoterImportLine;
      if (line.type === 'progress') progress.read(line.lines, line.rejected);
      else if (line.type === 'phase') progress.setPhase(line.phase === 'checking' ? 'checking duplicates and registering' : 'registered; listing rejected lines');
      else if (line.type === 'rejected' || line.type === 'skipped') {
        if (line.type === 'rejected') {
          rejected++;
          if (shown.length < maxErrors) shown.push(line);
        }
        if (rejectsOut) {
          const out = ndjson ? `${text}\n` : `${line.line},${line.type},${line.rule},${csvField(line.message)}\n`;
          if (!rejectsOut.write(out)) await new Promise<void>((r) => rejectsOut.once('drain', () => r()));
        }
      } else if (line.type === 'summary') summary = line;
      else if (line.type === 'fatal') fatal = line;
    }
  }
  progress.done();
  await new Promise<void>((resolve) => (rejectsOut ? rejectsOut.end(resolve) : resolve()));

  const out: string[] = [];
  if (summary) {
    const s = summary;
    out.push(
      `registered ${fmt(s.registered)} voters`,
      `skipped    ${fmt(s.skipped)} lines (already on this roll)`,
      `rejected   ${fmt(s.rejected)} lines${Object.keys(s.byRule).length ? `: ${Object.entries(s.byRule).map(([rule, n]) => `${rule} ${fmt(n)}`).join(', ')}` : ''}`,
      `${fmt(s.lines)} lines in ${(s.durationMs / 1000).toFixed(1)} s on the service (${fmt(s.linesPerSecond)} lines/s), ${((Date.now() - started) / 1000).toFixed(1)} s in all; import ${s.importId}, request ${s.requestId}`,
    );
    if (!s.complete) out.push('the import did not finish: nothing of it was registered; run the same file again');
  }
  if (fatal) out.push(`the import failed${fatal.line ? ` at line ${fatal.line}` : ''}: ${fatal.message}${fatal.rule ? ` [${fatal.rule}]` : ''}`);
  if (!summary && !fatal) out.push('the connection ended before the summary: nothing of this file is registered unless it said so; run it again');
  if (shown.length > 0) {
    out.push('', rejected > shown.length ? `first ${shown.length} of ${fmt(rejected)} rejected lines:` : 'rejected lines:');
    for (const e of shown) out.push(`  line ${e.line}  ${e.rule}  ${e.message}`);
  }
  if (args.rejects && (rejected > 0 || (summary?.skipped ?? 0) > 0)) out.push(`every rejected and skipped line is in ${args.rejects}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return summary?.complete && rejected === 0 && !fatal ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nimport failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
