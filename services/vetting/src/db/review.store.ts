import type { EntityManager } from 'typeorm';
import { scopeCondition, onlyUuids } from '@huanjie/platform';
import type { ReviewLevel } from '../domain/negative-lists.data';
import type { Decision, ReviewStatus } from '../domain/review.rules';

export type { ReviewStatus } from '../domain/review.rules';

/** What a conclusion cited, kept on the review (the latest conclusion; earlier ones are in the history). */
export interface ConclusionRecord {
  outcome: 'CLEARED' | 'DISQUALIFIED';
  itemCodes: string[];
  opinionIds: string[];
  complaintIds: string[];
  overruleReason: string | null;
  concludedBy: string;
  concludedAt: string;
  round: number;
  level: ReviewLevel;
}

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
  policy_id: string;
  level: ReviewLevel;
  level_entered_at: Date;
  round: number;
  opened_by: 'NOMINATION' | 'HAND';
  conclusion: ConclusionRecord | null;
}

export interface OpinionRow {
  id: string;
  review_id: string;
  round: number;
  level: ReviewLevel;
  department: string;
  decision: Decision;
  item_codes: string[];
  note: string;
  recorded_by: string;
  recorded_at: Date;
  superseded_by: string | null;
  region_path: string;
}

export interface HistoryRow {
  id: string;
  review_id: string;
  at: Date;
  actor: string;
  kind: 'OPENED' | 'OPINION' | 'ADVANCED' | 'CONCLUDED' | 'REOPENED' | 'FINDING_NOTED';
  level: ReviewLevel | null;
  round: number;
  detail: Record<string, unknown>;
}

const COLUMNS =
  'r.id, r.candidate_id, r.election_id, r.person_id, r.org_unit_id, r.region_path, r.status, r.opened_at, r.concluded_at, ' +
  'r.negative_list_codes, r.policy_id, r.level, r.level_entered_at, r.round, r.opened_by, r.conclusion';
const OPINION_COLUMNS = 'o.id, o.review_id, o.round, o.level, o.department, o.decision, o.item_codes, o.note, o.recorded_by, o.recorded_at, o.superseded_by, o.region_path';

// Ids arrive from clients and the gateway; a malformed one would make Postgres reject the whole
// uuid[] cast (an internal error for every key in the batch) instead of simply matching nothing.

/**
 * Reviews, their opinions and history within the caller's region scope (the system's consumers
 * pass the empty scope). Every read takes many ids and costs one statement.
 */
export class ReviewStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<ReviewRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COLUMNS} FROM review r WHERE r.id = ANY($1::uuid[]) AND ${scopeCondition('r.region_path', this.scopePath, params)}`, params);
  }

  async byCandidateIds(ids: readonly string[]): Promise<ReviewRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM review r WHERE r.candidate_id = ANY($1::uuid[]) AND ${scopeCondition('r.region_path', this.scopePath, params)}`,
      params,
    );
  }

  /** The reviews of many people in one statement, newest first within each person. */
  async byPersonIds(personIds: readonly string[]): Promise<ReviewRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM review r
        WHERE r.person_id = ANY($1::uuid[]) AND ${scopeCondition('r.region_path', this.scopePath, params)}
        ORDER BY r.person_id, r.opened_at DESC, r.id`,
      params,
    );
  }

  /** One review, locked for the command's transaction; null when absent or outside the scope. */
  async lock(id: string): Promise<ReviewRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: ReviewRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM review r WHERE r.id = ANY($1::uuid[]) AND ${scopeCondition('r.region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  /**
   * The reviews a substantiated complaint concerns, locked: the named people's reviews in that
   * election, or (no election named) their open and cleared reviews in that unit.
   */
  async lockForFinding(personIds: readonly string[], electionId: string | null, orgUnitId: string): Promise<ReviewRow[]> {
    if (electionId !== null) {
      return this.db.query(`SELECT ${COLUMNS} FROM review r WHERE r.person_id = ANY($1::uuid[]) AND r.election_id = $2 ORDER BY r.id FOR UPDATE`, [
        onlyUuids(personIds),
        electionId,
      ]);
    }
    return this.db.query(
      `SELECT ${COLUMNS} FROM review r WHERE r.person_id = ANY($1::uuid[]) AND r.org_unit_id = $2 AND r.status IN ('OPEN', 'REOPENED', 'CLEARED') ORDER BY r.id FOR UPDATE`,
      [onlyUuids(personIds), orgUnitId],
    );
  }

  /**
   * Opens the review of a candidate. A second nomination event for the same candidate (the inbox
   * only catches a repeated event id) leaves the existing review alone: returns null then.
   */
  async open(
    row: Pick<ReviewRow, 'id' | 'candidate_id' | 'election_id' | 'person_id' | 'org_unit_id' | 'region_path' | 'opened_at' | 'policy_id' | 'level' | 'opened_by'>,
  ): Promise<ReviewRow | null> {
    const inserted: ReviewRow[] = await this.db.query(
      `INSERT INTO review AS r (id, candidate_id, election_id, person_id, org_unit_id, region_path, status, opened_at, policy_id, level, level_entered_at, opened_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9, $7, $10)
       ON CONFLICT (candidate_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [row.id, row.candidate_id, row.election_id, row.person_id, row.org_unit_id, row.region_path, row.opened_at, row.policy_id, row.level, row.opened_by],
    );
    return inserted[0] ?? null;
  }

  /** Writes a review's new state (a command has locked it). */
  async save(row: Pick<ReviewRow, 'id' | 'status' | 'level' | 'level_entered_at' | 'round' | 'concluded_at' | 'negative_list_codes' | 'conclusion'>): Promise<void> {
    await this.db.query(
      `UPDATE review SET status = $2, level = $3, level_entered_at = $4, round = $5, concluded_at = $6, negative_list_codes = $7, conclusion = $8 WHERE id = $1`,
      [row.id, row.status, row.level, row.level_entered_at, row.round, row.concluded_at, row.negative_list_codes, row.conclusion === null ? null : JSON.stringify(row.conclusion)],
    );
  }

  /** Every opinion of many reviews (current and superseded, every round), in the order recorded. */
  async opinionsOf(reviewIds: readonly string[]): Promise<OpinionRow[]> {
    const params: unknown[] = [onlyUuids(reviewIds)];
    return this.db.query(
      `SELECT ${OPINION_COLUMNS} FROM department_opinion o
        WHERE o.review_id = ANY($1::uuid[]) AND ${scopeCondition('o.region_path', this.scopePath, params)}
        ORDER BY o.review_id, o.seq`,
      params,
    );
  }

  /** Records an opinion; the department's current one at the same level and round, if any, is superseded by it. */
  async addOpinion(row: Omit<OpinionRow, 'superseded_by'>): Promise<string | null> {
    const [superseded]: [{ id: string }[], number] = await this.db.query(
      `UPDATE department_opinion SET superseded_by = $1
        WHERE review_id = $2 AND round = $3 AND level = $4 AND department = $5 AND superseded_by IS NULL
        RETURNING id`,
      [row.id, row.review_id, row.round, row.level, row.department],
    );
    await this.db.query(
      `INSERT INTO department_opinion (id, review_id, round, level, department, decision, item_codes, note, recorded_by, recorded_at, region_path)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [row.id, row.review_id, row.round, row.level, row.department, row.decision, row.item_codes, row.note, row.recorded_by, row.recorded_at, row.region_path],
    );
    return superseded[0]?.id ?? null;
  }

  async addHistory(row: Omit<HistoryRow, 'id'>): Promise<void> {
    await this.db.query(`INSERT INTO review_history (review_id, at, actor, kind, level, round, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      row.review_id,
      row.at,
      row.actor,
      row.kind,
      row.level,
      row.round,
      JSON.stringify(row.detail),
    ]);
  }

  /** The history of many reviews, in order. */
  async historyOf(reviewIds: readonly string[]): Promise<HistoryRow[]> {
    const params: unknown[] = [onlyUuids(reviewIds)];
    return this.db.query(
      `SELECT h.id::text AS id, h.review_id, h.at, h.actor, h.kind, h.level, h.round, h.detail
         FROM review_history h JOIN review r ON r.id = h.review_id
        WHERE h.review_id = ANY($1::uuid[]) AND ${scopeCondition('r.region_path', this.scopePath, params)}
        ORDER BY h.review_id, h.id`,
      params,
    );
  }
}
