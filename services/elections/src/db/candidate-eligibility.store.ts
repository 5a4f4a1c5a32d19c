import type { EntityManager } from 'typeorm';

export interface CandidateEligibilityRow {
  candidate_id: string;
  person_id: string;
  region_path: string;
  outcome: 'CLEARED' | 'DISQUALIFIED';
  negative_list_codes: string[];
  decided_at: Date;
}

/** What 联审 decided about each candidate; written by the ReviewConcluded consumer. */
export class CandidateEligibilityStore {
  constructor(private readonly db: EntityManager) {}

  /**
   * Records a decision. A review can be reopened and concluded again, so a later decision
   * replaces an earlier one — but an older one arriving late never replaces a newer one.
   */
  async record(row: CandidateEligibilityRow): Promise<void> {
    await this.db.query(
      `INSERT INTO candidate_eligibility AS e (candidate_id, person_id, region_path, outcome, negative_list_codes, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (candidate_id) DO UPDATE
          SET person_id = EXCLUDED.person_id, region_path = EXCLUDED.region_path, outcome = EXCLUDED.outcome,
              negative_list_codes = EXCLUDED.negative_list_codes, decided_at = EXCLUDED.decided_at
        WHERE e.decided_at <= EXCLUDED.decided_at`,
      [row.candidate_id, row.person_id, row.region_path, row.outcome, row.negative_list_codes, row.decided_at],
    );
  }

  async byCandidateIds(ids: readonly string[]): Promise<CandidateEligibilityRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(
      `SELECT candidate_id, person_id, region_path, outcome, negative_list_codes, decided_at FROM candidate_eligibility WHERE candidate_id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
