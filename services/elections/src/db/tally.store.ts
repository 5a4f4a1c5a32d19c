import type { EntityManager } from 'typeorm';
import { onlyUuids } from '@huanjie/platform';
import type { ChainRecord, Json } from '../domain/hash-chain';
import type { TallySheet } from '../domain/tally.rules';

export type SheetStatus = 'AWAITING_SECOND_ENTRY' | 'MISMATCH' | 'ACCEPTED';

export interface TallySheetRow {
  id: string;
  election_id: string;
  box_code: string;
  status: SheetStatus;
  mismatch_fields: string[];
  accepted_content: TallySheet | null;
  created_at: Date;
  updated_at: Date;
}

export interface TallyEntryRow {
  id: string;
  sheet_id: string;
  clerk: string;
  content: TallySheet;
  paired_with: string | null;
  entered_at: Date;
}

export interface ChainRow {
  election_id: string;
  seq: number;
  kind: 'TALLY_SHEET' | 'CERTIFICATION' | 'VOID';
  content: Json;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
}

const SHEET = 'id, election_id, box_code, status, mismatch_fields, accepted_content, created_at, updated_at';

/**
 * Tally sheets, their entries and the election's hash chain. Reached only through an election the
 * caller may see (the commands check the election first), so no scope condition here.
 */
export class TallyStore {
  constructor(private readonly db: EntityManager) {}

  async sheetsOf(electionIds: readonly string[]): Promise<TallySheetRow[]> {
    return this.db.query(`SELECT ${SHEET} FROM tally_sheet WHERE election_id = ANY($1::uuid[]) ORDER BY election_id, box_code`, [onlyUuids(electionIds)]);
  }

  /** The sheet of one box, created empty if it is the first entry, locked for the transaction. */
  async lockSheet(id: string, electionId: string, boxCode: string): Promise<TallySheetRow> {
    await this.db.query(
      `INSERT INTO tally_sheet (id, election_id, box_code, status) VALUES ($1, $2, $3, 'AWAITING_SECOND_ENTRY')
       ON CONFLICT (election_id, box_code) DO NOTHING`,
      [id, electionId, boxCode],
    );
    const [row]: TallySheetRow[] = await this.db.query(`SELECT ${SHEET} FROM tally_sheet WHERE election_id = $1 AND box_code = $2 FOR UPDATE`, [electionId, boxCode]);
    return row!;
  }

  /** The latest entry not yet compared with another, if any. */
  async unpairedEntry(sheetId: string): Promise<TallyEntryRow | null> {
    const rows: TallyEntryRow[] = await this.db.query(
      `SELECT e.id, e.sheet_id, e.clerk, e.content, e.paired_with, e.entered_at FROM tally_entry e
        WHERE e.sheet_id = $1 AND e.paired_with IS NULL AND NOT EXISTS (SELECT 1 FROM tally_entry o WHERE o.paired_with = e.id)
        ORDER BY e.entered_at DESC, e.id DESC LIMIT 1`,
      [sheetId],
    );
    return rows[0] ?? null;
  }

  async addEntry(row: { id: string; sheet_id: string; clerk: string; content: TallySheet; paired_with: string | null }): Promise<void> {
    await this.db.query(`INSERT INTO tally_entry (id, sheet_id, clerk, content, paired_with) VALUES ($1, $2, $3, $4, $5)`, [
      row.id,
      row.sheet_id,
      row.clerk,
      JSON.stringify(row.content),
      row.paired_with,
    ]);
  }

  async updateSheet(id: string, status: SheetStatus, mismatchFields: string[], accepted: TallySheet | null): Promise<TallySheetRow> {
    const [[row]]: [TallySheetRow[], number] = await this.db.query(
      `UPDATE tally_sheet SET status = $2, mismatch_fields = $3, accepted_content = $4, updated_at = now() WHERE id = $1 RETURNING ${SHEET}`,
      [id, status, mismatchFields, accepted === null ? null : JSON.stringify(accepted)],
    );
    return row!;
  }

  async entriesOf(sheetIds: readonly string[]): Promise<TallyEntryRow[]> {
    return this.db.query(
      `SELECT id, sheet_id, clerk, content, paired_with, entered_at FROM tally_entry WHERE sheet_id = ANY($1::uuid[]) ORDER BY sheet_id, entered_at, id`,
      [onlyUuids(sheetIds)],
    );
  }

  /** The chains of many elections, each in order. */
  async chains(electionIds: readonly string[]): Promise<ChainRow[]> {
    return this.db.query(
      `SELECT election_id, seq, kind, content, prev_hash, hash, recorded_at FROM election_chain WHERE election_id = ANY($1::uuid[]) ORDER BY election_id, seq`,
      [onlyUuids(electionIds)],
    );
  }

  /**
   * The last record of the chain, locking the election's chain against concurrent appends (the
   * caller holds the election row FOR UPDATE too, which serialises appends per election).
   */
  async lastLink(electionId: string): Promise<ChainRow | null> {
    const rows: ChainRow[] = await this.db.query(
      `SELECT election_id, seq, kind, content, prev_hash, hash, recorded_at FROM election_chain WHERE election_id = $1 ORDER BY seq DESC LIMIT 1`,
      [electionId],
    );
    return rows[0] ?? null;
  }

  async appendLink(electionId: string, kind: ChainRow['kind'], record: ChainRecord): Promise<void> {
    await this.db.query(`INSERT INTO election_chain (election_id, seq, kind, content, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6)`, [
      electionId,
      record.index,
      kind,
      JSON.stringify(record.content),
      record.prevHash,
      record.hash,
    ]);
  }
}
