import type { EntityManager } from 'typeorm';

/**
 * Vetting's local projections of facts it does not own (see the safeguards migration): written
 * only by the event consumers, read by the pre-checks. Each write is idempotent on its key, so a
 * fact re-published under a new event id changes nothing twice.
 */
export class FactsStore {
  constructor(private readonly db: EntityManager) {}

  /** Birth date and gender of a person; an older event never overwrites a newer one. */
  async upsertPerson(row: {
    person_id: string;
    birth_date: string;
    gender: 'MALE' | 'FEMALE';
    region_path: string;
    at: Date;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO person_fact (person_id, birth_date, gender, region_path, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (person_id) DO UPDATE
         SET birth_date = EXCLUDED.birth_date, gender = EXCLUDED.gender, region_path = EXCLUDED.region_path, updated_at = EXCLUDED.updated_at
         WHERE person_fact.updated_at <= EXCLUDED.updated_at`,
      [row.person_id, row.birth_date, row.gender, row.region_path, row.at],
    );
  }

  /** A seat taken; a seat already known (say, already ended) is left as it is. */
  async seatAssigned(row: SeatFact): Promise<void> {
    await this.db.query(
      `INSERT INTO seat_fact (position_id, committee_id, committee_kind, org_unit_id, region_path, person_id, role, starts_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (position_id) DO NOTHING`,
      [row.position_id, row.committee_id, row.committee_kind, row.org_unit_id, row.region_path, row.person_id, row.role, row.starts_on],
    );
  }

  /** A seat left: recorded as ended whether or not its assignment was seen. */
  async seatEnded(row: SeatFact & { ends_on: string; end_reason: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO seat_fact (position_id, committee_id, committee_kind, org_unit_id, region_path, person_id, role, starts_on, ends_on, end_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (position_id) DO UPDATE SET ends_on = EXCLUDED.ends_on, end_reason = EXCLUDED.end_reason`,
      [
        row.position_id,
        row.committee_id,
        row.committee_kind,
        row.org_unit_id,
        row.region_path,
        row.person_id,
        row.role,
        row.starts_on,
        row.ends_on,
        row.end_reason,
      ],
    );
  }

  /** A substantiated complaint: one row per person it names. */
  async complaintSubstantiated(row: {
    complaint_id: string;
    person_ids: string[];
    category: string;
    election_id: string | null;
    org_unit_id: string;
    region_path: string;
    substantiated_at: Date;
  }): Promise<void> {
    if (row.person_ids.length === 0) return;
    await this.db.query(
      `INSERT INTO complaint_fact (complaint_id, person_id, category, election_id, org_unit_id, region_path, substantiated_at)
       SELECT $1, unnest($2::uuid[]), $3, $4, $5, $6, $7
       ON CONFLICT (complaint_id, person_id) DO NOTHING`,
      [row.complaint_id, row.person_ids, row.category, row.election_id, row.org_unit_id, row.region_path, row.substantiated_at],
    );
  }

  /** People declared close relatives of a person (either side of the declaration). */
  async relativesOf(personId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT CASE WHEN person_id = $1 THEN relative_person_id ELSE person_id END AS id FROM close_relative WHERE $1 IN (person_id, relative_person_id)`,
      [personId],
    );
    return rows.map((r) => r.id);
  }
}

export interface SeatFact {
  position_id: string;
  committee_id: string;
  committee_kind: string;
  org_unit_id: string;
  region_path: string;
  person_id: string;
  role: string;
  starts_on: string;
}
