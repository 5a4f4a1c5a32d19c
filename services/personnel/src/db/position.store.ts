import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import type { EndReason } from '../domain/committee.rules';
import { POSITION_COLUMNS, ROLE_ORDER_SQL, type PositionRow } from './committee.rows';

/** Seat reads and writes, always within the caller's region scope ('' for the system's own consumers). */
export class PositionStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[], options: { forUpdate?: boolean } = {}): Promise<PositionRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${POSITION_COLUMNS} FROM committee_position
        WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
       ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      params,
    );
  }

  /**
   * The seats of many terms, or of many people, in one statement. Both lists are short by nature
   * (a committee has at most nine seats a term; a person a handful in a career), so they are read
   * whole rather than paged.
   */
  async of(column: 'term_id' | 'person_id', ids: readonly string[], activeOnly: boolean): Promise<PositionRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${POSITION_COLUMNS} FROM committee_position
        WHERE ${column} = ANY($1::uuid[]) ${activeOnly ? 'AND end_reason IS NULL' : ''}
          AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY ${column}, end_reason IS NOT NULL, ${ROLE_ORDER_SQL}, starts_on DESC, id`,
      params,
    );
  }

  /** The seats of a committee held now; they all belong to its current term. */
  async activeOfCommittee(committeeId: string): Promise<PositionRow[]> {
    return this.db.query(`SELECT ${POSITION_COLUMNS} FROM committee_position WHERE committee_id = $1 AND end_reason IS NULL`, [committeeId]);
  }

  /** Every seat an election filled, held or not. */
  async ofElection(electionId: string): Promise<PositionRow[]> {
    return this.db.query(`SELECT ${POSITION_COLUMNS} FROM committee_position WHERE election_id = $1`, [electionId]);
  }

  /** Inserts a term's seats in one statement. */
  async insertMany(rows: readonly PositionRow[]): Promise<void> {
    if (rows.length === 0) return;
    const cols = (pick: (r: PositionRow) => unknown) => rows.map(pick);
    await this.db.query(
      `INSERT INTO committee_position (id, term_id, committee_id, committee_kind, org_unit_id, region_path, person_id, role, starts_on, election_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::uuid[], $8::text[], $9::date[], $10::uuid[])`,
      [
        cols((r) => r.id),
        cols((r) => r.term_id),
        cols((r) => r.committee_id),
        cols((r) => r.committee_kind),
        cols((r) => r.org_unit_id),
        cols((r) => r.region_path),
        cols((r) => r.person_id),
        cols((r) => r.role),
        cols((r) => r.starts_on),
        cols((r) => r.election_id),
      ],
    );
  }

  /** Ends seats in one statement, each on its own last day, and returns them as they now are. */
  async end(ends: readonly { id: string; endsOn: string }[], reason: EndReason): Promise<PositionRow[]> {
    if (ends.length === 0) return [];
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [PositionRow[], number] = await this.db.query(
      // The unnested columns have names of their own, so RETURNING reads the table's unqualified.
      `UPDATE committee_position SET ends_on = v.new_ends_on, end_reason = $3
         FROM unnest($1::uuid[], $2::date[]) AS v(position_id, new_ends_on)
        WHERE id = v.position_id AND end_reason IS NULL
        RETURNING ${POSITION_COLUMNS}`,
      [ends.map((e) => e.id), ends.map((e) => e.endsOn), reason],
    );
    return rows;
  }
}
