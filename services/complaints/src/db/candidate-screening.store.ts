import type { EntityManager } from 'typeorm';
import { OPEN_STATUSES } from '../domain/workflow.rules';

/** 候选人信访核查: the complaints pending against each nominated candidate; written by the nomination consumer. */
export class CandidateScreeningStore {
  constructor(private readonly db: EntityManager) {}

  /**
   * Screens a candidate: counts the open complaints about the person wherever they were filed
   * (a candidate's petitions need not come from their own village) and records the count, in one
   * statement. The first screening of a candidate stands; a repeated nomination changes nothing.
   */
  async screen(row: { candidate_id: string; person_id: string; region_path: string; screened_at: Date }): Promise<void> {
    await this.db.query(
      `INSERT INTO candidate_screening (candidate_id, person_id, region_path, open_cases_at_nomination, screened_at)
       SELECT $1, $2, $3, count(*)::int, $4
         FROM complaint
        WHERE subject_person_ids @> ARRAY[$2::uuid] AND status = ANY($5::text[])
       ON CONFLICT (candidate_id) DO NOTHING`,
      [row.candidate_id, row.person_id, row.region_path, row.screened_at, OPEN_STATUSES],
    );
  }
}
