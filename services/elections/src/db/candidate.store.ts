import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import type { CandidateStatus } from '../domain/candidate.state-machine';

export interface CandidateRow {
  id: string;
  election_id: string;
  person_id: string;
  region_path: string;
  role: string;
  gender: 'MALE' | 'FEMALE';
  nominated_by: string;
  recommendations: number;
  status: CandidateStatus;
  negative_list_codes: string[];
  votes: number | null;
  status_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = (t: string) =>
  `${t}.id, ${t}.election_id, ${t}.person_id, ${t}.region_path, ${t}.role, ${t}.gender, ${t}.nominated_by, ${t}.recommendations, ` +
  `${t}.status, ${t}.negative_list_codes, ${t}.votes, ${t}.status_reason, ${t}.created_at, ${t}.updated_at`;

/** A change of one candidate's status, with what comes with it. */
export interface CandidateChange {
  id: string;
  status: CandidateStatus;
  votes?: number | null;
  reason?: string | null;
  negativeListCodes?: string[] | null;
}

/** Candidates within the caller's region scope (the system's consumers pass the empty scope). */
export class CandidateStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<CandidateRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COLUMNS('c')} FROM candidate c WHERE c.id = ANY($1::uuid[]) AND ${scopeCondition('c.region_path', this.scopePath, params)}`, params);
  }

  /** Every candidate of many elections, by role then nomination order. */
  async ofElections(electionIds: readonly string[], lock = false): Promise<CandidateRow[]> {
    const params: unknown[] = [onlyUuids(electionIds)];
    return this.db.query(
      `SELECT ${COLUMNS('c')} FROM candidate c WHERE c.election_id = ANY($1::uuid[]) AND ${scopeCondition('c.region_path', this.scopePath, params)}
        ORDER BY c.election_id, c.role, c.created_at, c.id${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
  }

  /** Every candidacy of many people (Person.candidacies), newest first. */
  async ofPeople(personIds: readonly string[]): Promise<CandidateRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${COLUMNS('c')} FROM candidate c WHERE c.person_id = ANY($1::uuid[]) AND ${scopeCondition('c.region_path', this.scopePath, params)}
        ORDER BY c.person_id, c.created_at DESC, c.id`,
      params,
    );
  }

  async lock(id: string): Promise<CandidateRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: CandidateRow[] = await this.db.query(
      `SELECT ${COLUMNS('c')} FROM candidate c WHERE c.id = ANY($1::uuid[]) AND ${scopeCondition('c.region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  async insert(rows: readonly Omit<CandidateRow, 'created_at' | 'updated_at' | 'votes' | 'status_reason'>[]): Promise<CandidateRow[]> {
    if (rows.length === 0) return [];
    return this.db.query(
      `INSERT INTO candidate AS c (id, election_id, person_id, region_path, role, gender, nominated_by, recommendations, status, negative_list_codes)
       SELECT v.id, v.election_id, v.person_id, v.region_path, v.role, v.gender, v.nominated_by, v.recommendations, v.status,
              COALESCE(string_to_array(NULLIF(v.codes, ''), ','), '{}')
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[])
              AS v(id, election_id, person_id, region_path, role, gender, nominated_by, recommendations, status, codes)
       RETURNING ${COLUMNS('c')}`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.election_id),
        rows.map((r) => r.person_id),
        rows.map((r) => r.region_path),
        rows.map((r) => r.role),
        rows.map((r) => r.gender),
        rows.map((r) => r.nominated_by),
        rows.map((r) => r.recommendations),
        rows.map((r) => r.status),
        // unnest cannot take a ragged text[][]: codes travel as one comma-joined string per row.
        rows.map((r) => r.negative_list_codes.join(',')),
      ],
    );
  }

  /** Many status changes in one statement. */
  async apply(changes: readonly CandidateChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.db.query(
      `UPDATE candidate AS c
          SET status = v.status,
              votes = CASE WHEN v.set_votes THEN v.votes ELSE c.votes END,
              status_reason = COALESCE(v.reason, c.status_reason),
              negative_list_codes = CASE WHEN v.codes IS NULL THEN c.negative_list_codes ELSE COALESCE(string_to_array(NULLIF(v.codes, ''), ','), '{}') END,
              updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::int[], $5::text[], $6::text[]) AS v(id, status, set_votes, votes, reason, codes)
        WHERE c.id = v.id`,
      [
        changes.map((c) => c.id),
        changes.map((c) => c.status),
        changes.map((c) => c.votes !== undefined),
        changes.map((c) => c.votes ?? null),
        changes.map((c) => c.reason ?? null),
        changes.map((c) => (c.negativeListCodes == null ? null : c.negativeListCodes.join(','))),
      ],
    );
  }
}
