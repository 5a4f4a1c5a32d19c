import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, type Page } from '@huanjie/platform';
import { TERM_COLUMNS, type TermRow } from './committee.rows';

/** Term reads and writes, always within the caller's region scope ('' for the system's own consumers). */
export class TermStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[], options: { forUpdate?: boolean } = {}): Promise<TermRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${TERM_COLUMNS} FROM committee_term WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
       ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      params,
    );
  }

  /** The current term of many committees in one statement. */
  async currentOf(committeeIds: readonly string[]): Promise<TermRow[]> {
    const params: unknown[] = [onlyUuids(committeeIds)];
    return this.db.query(
      `SELECT ${TERM_COLUMNS} FROM committee_term
        WHERE committee_id = ANY($1::uuid[]) AND status = 'ACTIVE' AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  /** Terms of many committees in one statement, newest first, at most page.limit + 1 per committee. */
  async ofCommittees(committeeIds: readonly string[], page: Page): Promise<TermRow[]> {
    const params: unknown[] = [onlyUuids(committeeIds), page.limit + 1];
    const after = page.after === null ? 'TRUE' : `starts_on < $${params.push(page.after)}::date`;
    return this.db.query(
      `SELECT ${TERM_COLUMNS} FROM (
         SELECT *, row_number() OVER (PARTITION BY committee_id ORDER BY starts_on DESC) AS rn
           FROM committee_term
          WHERE committee_id = ANY($1::uuid[]) AND ${after} AND ${scopeCondition('region_path', this.scopePath, params)}
       ) t WHERE rn <= $2 ORDER BY committee_id, starts_on DESC`,
      params,
    );
  }

  /** Every term of one committee (a handful: one every five years), for the no-overlap rule. */
  async allOf(committeeId: string): Promise<TermRow[]> {
    return this.db.query(`SELECT ${TERM_COLUMNS} FROM committee_term WHERE committee_id = $1 ORDER BY starts_on`, [committeeId]);
  }

  async insert(row: TermRow): Promise<void> {
    await this.db.query(
      `INSERT INTO committee_term (id, committee_id, org_unit_id, region_path, starts_on, ends_on, status, previous_term_id, election_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.id, row.committee_id, row.org_unit_id, row.region_path, row.starts_on, row.ends_on, row.status, row.previous_term_id, row.election_id],
    );
  }

  /** Ends a term: its last day becomes the actual one (the day before its successor began). */
  async end(id: string, endsOn: string): Promise<void> {
    await this.db.query(`UPDATE committee_term SET status = 'ENDED', ends_on = $2 WHERE id = $1`, [id, endsOn]);
  }
}
