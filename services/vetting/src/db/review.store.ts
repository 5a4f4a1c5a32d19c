import type { EntityManager } from 'typeorm';
import { scopeCondition, onlyUuids } from '@huanjie/platform';

export type ReviewStatus = 'OPEN' | 'CLEARED' | 'DISQUALIFIED';

export interface ReviewRow {
  id: string;
  candidate_id: string;
  election_id: string;
  person_id: string;
  org_unit_id: string;
  region_path: string;
  status: ReviewStatus;
  opened_at: Date;
  concluded_at: Date | null;
  negative_list_codes: string[];
}

const COLUMNS = 'id, candidate_id, election_id, person_id, org_unit_id, region_path, status, opened_at, concluded_at, negative_list_codes';

// Ids arrive from clients and the gateway; a malformed one would make Postgres reject the whole
// uuid[] cast (an internal error for every key in the batch) instead of simply matching nothing.

/** Review reads within the caller's region scope, and the write the nomination consumer makes. */
export class ReviewStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<ReviewRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM review WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  /** The reviews of many people in one statement, newest first within each person. */
  async byPersonIds(personIds: readonly string[]): Promise<ReviewRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM review
        WHERE person_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY person_id, opened_at DESC, id`,
      params,
    );
  }

  /**
   * Opens the review of a candidate. A second nomination event for the same candidate (the
   * inbox only catches a repeated event id) leaves the existing review alone; returns whether a
   * review was opened.
   */
  async open(
    row: Pick<ReviewRow, 'id' | 'candidate_id' | 'election_id' | 'person_id' | 'org_unit_id' | 'region_path' | 'opened_at'>,
  ): Promise<boolean> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO review (id, candidate_id, election_id, person_id, org_unit_id, region_path, status, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7)
       ON CONFLICT (candidate_id) DO NOTHING
       RETURNING id`,
      [row.id, row.candidate_id, row.election_id, row.person_id, row.org_unit_id, row.region_path, row.opened_at],
    );
    return inserted.length > 0;
  }
}
