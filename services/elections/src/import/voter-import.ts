import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import { badInput, maskNationalId, notFound, requireRole, withoutTimeouts, writeAudit, type PiiCipher } from '@huanjie/platform';
import { MANAGERS } from '../commands/command-kit';
import { rollRules, voterIndex } from '../commands/voter.commands';
import { VoterStore, type RollElectionRow } from '../db/voter.store';
import type { ElectionsContext } from '../deps';
import { checkRegistrationOpen, checkVoter, type VoterRuleSet } from '../domain/voter.rules';
import { CsvParser, type CsvRecord } from '@huanjie/platform';
import { readVoterHeader, type VoterHeader } from './voter-import.columns';

/**
 * 选民名单批量导入 — a voter file (VOTER-IMPORT.md) streamed into an election's roll.
 *
 * 1. The body is decoded and parsed as it arrives; every row is checked in Node (checkVoter: name,
 *    household, basis, GB 11643, age on election day, the non-hukou facts), and the ID number is
 *    turned into its blind index and masked form at once: it goes no further than this function.
 * 2. Every row — accepted or rejected with its rule — is streamed with COPY into a temporary table
 *    of this connection (no WAL, no per-row round trip), with backpressure from the COPY stream, so
 *    memory holds one chunk of the file, never the file.
 * 3. Then one transaction: the election is locked FOR SHARE and its status checked again, the
 *    cycle's registrations are locked (an advisory lock every registration path takes), later
 *    lines repeating a person of an earlier line and people already registered in the cycle are
 *    marked, the rest goes into `voter` with one INSERT … SELECT, one audit record for the
 *    import, COMMIT.
 * 4. The rejected lines are read back in line order, a page at a time, and reported.
 *
 * All valid rows land, or none: a failure or a client that goes away before the commit leaves the
 * roll as it was. Rejected rows never stop the others.
 */

export interface ImportProgress {
  /** data lines read so far (the header and blank lines not counted). */
  lines: number;
  /** lines rejected by the row checks so far (duplicates are found after the upload). */
  rejected: number;
  bytes: number;
}

export interface RejectedLine {
  type: 'rejected' | 'skipped';
  line: number;
  rule: string;
  message: string;
}

export interface VoterImportSummary {
  importId: string;
  electionId: string;
  /** data lines in the file. */
  lines: number;
  registered: number;
  /** already on this election's roll (a file imported again): not an error. */
  skipped: number;
  rejected: number;
  /** rejected and skipped lines per rule. */
  byRule: Record<string, number>;
  durationMs: number;
  linesPerSecond: number;
  /** false when the client went away before the commit: nothing was registered. */
  complete: boolean;
}

export interface VoterImportEvents {
  /** The header is accepted: from here on, problems are reported in the stream, not as an HTTP status. */
  started(): void;
  progress(progress: ImportProgress): void;
  phase(phase: 'checking' | 'committed'): void;
  /** Awaited: a slow reader slows the listing down instead of filling memory. */
  line(line: RejectedLine): Promise<void>;
}

export interface VoterImportOptions {
  /** A progress event every this many lines. Default 50,000. */
  progressEvery?: number;
  /** Aborted when the client goes away: nothing is committed after that. */
  signal?: AbortSignal;
  /** Rejected lines read back per statement. Default 5,000. */
  listPage?: number;
}

// COPY's text format: backslash, tab and line breaks must be escaped; \N is NULL.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const esc = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);
const NULL = '\\N';

/** Turns records into COPY lines: the row checks, the blind index, nothing of the ID number kept. */
class RowEncoder {
  lines = 0;
  rejected = 0;
  constructor(
    private readonly header: VoterHeader,
    private readonly rules: VoterRuleSet,
    private readonly electionDay: string,
    private readonly pii: PiiCipher,
  ) {}

  private reject(line: number, rule: string, message: string): string {
    this.rejected++;
    return `${line}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${rule}\t${esc(message)}\n`;
  }

  encode(record: CsvRecord): string {
    const f = record.fields;
    // Blank lines (every cell empty) are skipped, as spreadsheets leave them.
    if (f.length === 1 && f[0]!.trim() === '') return '';
    const h = this.header;
    this.lines++;
    if (record.malformed) return this.reject(record.line, 'IMPORT.CSV_QUOTE', 'a closing double quote is followed by something other than a comma or a line break');
    if (f.length > h.width) return this.reject(record.line, 'IMPORT.FIELD_COUNT', `the line has ${f.length} fields but the header names ${h.width} columns`);
    const cell = (i: number) => (i >= 0 ? (f[i] ?? '') : '');
    if (f.every((x) => x.trim() === '')) {
      this.lines--;
      return '';
    }
    const checked = checkVoter(
      {
        name: cell(h.name),
        idNumber: cell(h.idNumber),
        household: cell(h.household),
        basis: cell(h.basis),
        residentSince: h.residentSince >= 0 ? cell(h.residentSince) : null,
        approvedOn: h.approvedOn >= 0 ? cell(h.approvedOn) : null,
      },
      this.rules,
      this.electionDay,
    );
    if (!checked.ok) return this.reject(record.line, checked.rule, checked.message);
    const v = checked.voter;
    return (
      `${record.line}\t${esc(v.name)}\t${this.pii.blindIndex(v.idNumber)}\t${maskNationalId(v.idNumber)}\t${esc(v.household)}\t${v.basis}\t${v.birthDate}\t` +
      `${v.residentSince ?? NULL}\t${v.approvedOn ?? NULL}\t${NULL}\t${NULL}\n`
    );
  }
}

function decoderFor() {
  const decoder = new TextDecoder('utf-8', { fatal: true }); // refuse, never replace with U+FFFD
  return (bytes: Buffer | undefined, line: number) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw badInput('IMPORT.ENCODING', `the file is not UTF-8 (from about line ${line}); save it as "CSV UTF-8 (逗号分隔)", not as GBK "CSV (逗号分隔)"`, {
        line,
      });
    }
  };
}

/** Checks who may import into which election, before any of the body is read. */
export async function openVoterImport(ctx: ElectionsContext, electionId: string): Promise<{ election: RollElectionRow; rules: VoterRuleSet; pii: PiiCipher }> {
  requireRole(ctx.auth, MANAGERS, 'importVoters');
  const pii = voterIndex(ctx.deps);
  const election = await new VoterStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).election(electionId);
  if (!election) throw notFound('ELECTION.NOT_FOUND', `ELECTION.NOT_FOUND: no election ${electionId} within your region scope`);
  const rules = rollRules(election);
  checkRegistrationOpen(election.status);
  return { election, rules, pii };
}

/** Streams the body into the staging table; returns the counts. Throws a DomainError for a file it cannot read. */
async function stage(
  client: PoolClient,
  table: string,
  body: AsyncIterable<Buffer>,
  opened: Awaited<ReturnType<typeof openVoterImport>>,
  events: VoterImportEvents,
  progressEvery: number,
): Promise<{ lines: number; rejected: number }> {
  const copy = client.query(
    copyFrom(`COPY ${table} (line, name, id_blind_index, id_number_masked, household, basis, birth_date, resident_since, approved_on, rule, message) FROM STDIN`),
  );
  let copyError: Error | null = null;
  copy.on('error', (e: Error) => (copyError ??= e));
  const parser = new CsvParser();
  const decode = decoderFor();
  const state: { encoder: RowEncoder | null } = { encoder: null };
  let bytes = 0;
  let nextProgress = progressEvery;
  let lastLine = 1;
  const encode = (records: CsvRecord[]): string => {
    let out = '';
    for (const record of records) {
      lastLine = record.line;
      if (state.encoder === null) {
        if (record.fields.every((f) => f.trim() === '')) {
          throw badInput('IMPORT.HEADER_MISSING', 'line 1 must be the header row naming the columns (name, idNumber, household, basis)', { line: record.line });
        }
        state.encoder = new RowEncoder(readVoterHeader(record.fields), opened.rules, opened.election.election_day, opened.pii);
        events.started();
        continue;
      }
      out += state.encoder.encode(record);
    }
    return out;
  };
  const write = async (text: string) => {
    if (copyError) throw copyError;
    if (text && !copy.write(text)) {
      await Promise.race([once(copy, 'drain'), once(copy, 'error')]);
      if (copyError) throw copyError;
    }
  };
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      await write(encode(parser.push(decode(chunk, lastLine))));
      const e = state.encoder;
      if (e && e.lines >= nextProgress) {
        events.progress({ lines: e.lines, rejected: e.rejected, bytes });
        nextProgress = e.lines + progressEvery;
      }
    }
    await write(encode(parser.push(decode(undefined, lastLine))));
    await write(encode(parser.end()));
  } catch (error) {
    copy.destroy(error instanceof Error ? error : new Error(String(error)));
    await once(copy, 'close').catch(() => undefined);
    throw error;
  }
  const done = state.encoder;
  if (done === null) throw badInput('IMPORT.EMPTY', 'the file is empty: line 1 must be the header row naming the columns');
  copy.end();
  await once(copy, 'finish');
  if (copyError) throw copyError;
  events.progress({ lines: done.lines, rejected: done.rejected, bytes });
  return { lines: done.lines, rejected: done.rejected };
}

/** The first 29 hex digits of a UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version, 46 random bits; the line fills the last 7. */
function idPrefix(): string {
  const hex = Date.now().toString(16).padStart(12, '0');
  const r = randomBytes(6).toString('hex');
  const variant = (8 + (parseInt(r[3]!, 16) & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 12)}`;
}

type Structured = { records: unknown[]; affected?: number };

/** The checks across rows and the write, in one transaction; returns the counts per rule and how many were registered. */
async function commit(
  ctx: ElectionsContext,
  qr: QueryRunner,
  table: string,
  importId: string,
  election: RollElectionRow,
  counts: { lines: number; rejected: number },
  signal: AbortSignal | undefined,
): Promise<{ registered: number; byRule: Record<string, number>; complete: boolean }> {
  const run = async (sql: string, params: unknown[] = []) => (await qr.query(sql, params, true)) as Structured;
  await run(`ANALYZE ${table}`);
  await qr.startTransaction();
  try {
    const locked = await new VoterStore(qr.manager, ctx.auth.regionPath).election(election.id, 'FOR SHARE');
    if (!locked) throw notFound('ELECTION.NOT_FOUND', `ELECTION.NOT_FOUND: no election ${election.id} within your region scope`);
    checkRegistrationOpen(locked.status); // it may have been scheduled while the file was uploading
    // No other registration in the cycle until this commits: the checks below stay true for the insert.
    await new VoterStore(qr.manager, ctx.auth.regionPath).lockCycleRegistrations(election.cycle_id);
    // Sorting and hashing a million rows in memory rather than in temporary files.
    await run(`SET LOCAL work_mem = '256MB'`);
    // A person on several lines: the first stays, the later ones are rejected naming it.
    await run(
      `UPDATE ${table} s SET rule = 'VOTER.DUPLICATE_IN_FILE', message = 'the same person (ID number) as line ' || d.first_line || ' of this file; a person is registered once'
         FROM (SELECT id_blind_index, min(line) AS first_line FROM ${table} WHERE rule IS NULL GROUP BY id_blind_index HAVING count(*) > 1) d
        WHERE s.id_blind_index = d.id_blind_index AND s.line <> d.first_line AND s.rule IS NULL`,
    );
    // Registered already in this cycle: on this roll (a file imported again: skipped) or another election's (rejected).
    await run(
      `UPDATE ${table} s
          SET rule = CASE WHEN v.election_id = $1 THEN 'VOTER.ALREADY_ON_ROLL' ELSE 'VOTER.ONE_PER_CYCLE' END,
              message = CASE WHEN v.election_id = $1 THEN 'this person is already on the roll of this election; line skipped'
                             ELSE 'a person is registered once per 换届 cycle: this person is already on the roll of the ' || e.committee_kind || ' election of unit ' || e.org_unit_code END
         FROM voter v JOIN election e ON e.id = v.election_id
        WHERE s.rule IS NULL AND v.cycle_id = $2 AND v.removed_at IS NULL AND v.id_blind_index = s.id_blind_index`,
      [election.id, election.cycle_id],
    );
    // Rows in roll order, so the roll index grows at its right edge; ids in the same order (a UUIDv7
    // layout: this import's millisecond, random bits, a counter), so the primary key does too.
    const inserted = await run(
      `INSERT INTO voter (id, election_id, cycle_id, region_path, name, id_blind_index, id_number_masked, household, basis, birth_date,
                          resident_since, approved_on, registered_by, import_id)
       SELECT ($6 || lpad(to_hex(row_number() OVER (ORDER BY s.household, s.name, s.line)), 7, '0'))::uuid, $1, $2, $3, s.name, s.id_blind_index, s.id_number_masked, s.household, s.basis, s.birth_date,
              s.resident_since, s.approved_on, $4, $5
         FROM ${table} s WHERE s.rule IS NULL
        ORDER BY s.household, s.name, s.line`,
      [election.id, election.cycle_id, election.region_path, ctx.auth.userId, importId, idPrefix()],
    );
    const registered = inserted.affected ?? 0;
    await run(`CREATE INDEX ON ${table} (line) WHERE rule IS NOT NULL`);
    const byRule: Record<string, number> = {};
    for (const r of (await run(`SELECT rule, count(*)::int AS n FROM ${table} WHERE rule IS NOT NULL GROUP BY rule ORDER BY rule`)).records as { rule: string; n: number }[]) {
      byRule[r.rule] = r.n;
    }
    const skipped = byRule['VOTER.ALREADY_ON_ROLL'] ?? 0;
    await writeAudit(qr.manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'importVoters',
      entityType: 'VoterRoll',
      entityId: election.id,
      regionPath: election.region_path,
      requestId: ctx.requestId,
      before: null,
      after: { importId, lines: counts.lines, registered, skipped, rejected: counts.lines - registered - skipped, byRule },
    });
    if (signal?.aborted) {
      await qr.rollbackTransaction();
      return { registered: 0, byRule: {}, complete: false };
    }
    await qr.commitTransaction();
    return { registered, byRule, complete: true };
  } catch (error) {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    throw error;
  }
}

/**
 * Imports a voter file into an election's roll (see the module comment). `openVoterImport` must
 * have accepted the caller and the election; `events.started` fires once the header is read.
 */
export async function importVoters(
  ctx: ElectionsContext,
  opened: Awaited<ReturnType<typeof openVoterImport>>,
  body: AsyncIterable<Buffer>,
  events: VoterImportEvents,
  options: VoterImportOptions = {},
): Promise<VoterImportSummary> {
  const started = performance.now();
  const importId = ctx.deps.newId();
  const table = `voter_import_${importId.replace(/-/g, '')}`;
  const qr = ctx.deps.dataSource.createQueryRunner();
  await qr.connect();
  const client = (qr as unknown as { databaseConnection: PoolClient }).databaseConnection;
  let created = false;
  try {
    await qr.query(
      `CREATE TEMP TABLE ${table} (line integer NOT NULL, name text, id_blind_index text, id_number_masked text, household text, basis text,
                                   birth_date date, resident_since date, approved_on date, rule text, message text)`,
    );
    created = true;
    // A roll of a million lines is one COPY and one insert: longer than any request's statement
    // may take (DatabaseTimeouts), on a server that is answering all along.
    const { counts, result } = await withoutTimeouts(client, async () => {
      const staged = await stage(client, table, body, opened, events, options.progressEvery ?? 50_000);
      events.phase('checking');
      return { counts: staged, result: await commit(ctx, qr, table, importId, opened.election, staged, options.signal) };
    });
    const skipped = result.byRule['VOTER.ALREADY_ON_ROLL'] ?? 0;
    if (result.complete) {
      events.phase('committed');
      const page = options.listPage ?? 5000;
      for (let after = 0; ; ) {
        if (options.signal?.aborted) break;
        const rows: { line: number; rule: string; message: string }[] = await qr.query(
          `SELECT line, rule, message FROM ${table} WHERE rule IS NOT NULL AND line > $1 ORDER BY line LIMIT $2`,
          [after, page],
        );
        for (const r of rows) await events.line({ type: r.rule === 'VOTER.ALREADY_ON_ROLL' ? 'skipped' : 'rejected', line: r.line, rule: r.rule, message: r.message });
        if (rows.length < page) break;
        after = rows[rows.length - 1]!.line;
      }
    }
    const durationMs = performance.now() - started;
    return {
      importId,
      electionId: opened.election.id,
      lines: counts.lines,
      registered: result.registered,
      skipped: result.complete ? skipped : 0,
      rejected: result.complete ? counts.lines - result.registered - skipped : 0,
      byRule: result.byRule,
      durationMs: Math.round(durationMs),
      linesPerSecond: Math.round(counts.lines / Math.max(durationMs / 1000, 0.001)),
      complete: result.complete,
    };
  } finally {
    try {
      if (created) await qr.query(`DROP TABLE IF EXISTS ${table}`);
    } finally {
      await qr.release();
    }
  }
}
