import type { EntityManager } from 'typeorm';

/**
 * Training's local projections of what the coverage report needs and training does not own
 * (see the 1700000005100 migration): who sits in which seat (seat_fact, from PositionAssigned /
 * PositionEnded) and who is a reserve cadre (training_record.reserve, from PersonRegistered /
 * PersonUpdated). Written only by the consumers; each write is idempotent on its key.
 */
export class FactsStore {
  constructor(private readonly db: EntityManager) {}

  /** A person's file with the reserve flag; an older fact never overwrites a newer one. */
  async upsertPerson(row: { id: string; person_id: string; org_unit_id: string; region_path: string; reserve: boolean; at: Date }): Promise<void> {
    await this.db.query(
      `INSERT INTO training_record (id, person_id, org_unit_id, region_path, opened_at, reserve, facts_at) VALUES ($1, $2, $3, $4, $5, $6, $5)
       ON CONFLICT (person_id) DO UPDATE
         SET org_unit_id = EXCLUDED.org_unit_id, region_path = EXCLUDED.region_path, reserve = EXCLUDED.reserve, facts_at = EXCLUDED.facts_at
         WHERE training_record.facts_at IS NULL OR training_record.facts_at <= EXCLUDED.facts_at`,
      [row.id, row.person_id, row.org_unit_id, row.region_path, row.at, row.reserve],
    );
  }

  /** A seat taken; one already known (say, already ended) stays as it is. */
  async seatAssigned(row: SeatFact): Promise<void> {
    await this.db.query(
      `INSERT INTO seat_fact (position_id, person_id, term_id, committee_id, org_unit_id, region_path, role, starts_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (position_id) DO NOTHING`,
      [row.position_id, row.person_id, row.term_id, row.committee_id, row.org_unit_id, row.region_path, row.role, row.starts_on],
    );
  }

  /** A seat left, whether or not its assignment was seen. */
  async seatEnded(row: SeatFact & { ends_on: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO seat_fact (position_id, person_id, term_id, committee_id, org_unit_id, region_path, role, starts_on, ends_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (position_id) DO UPDATE SET ends_on = EXCLUDED.ends_on`,
      [row.position_id, row.person_id, row.term_id, row.committee_id, row.org_unit_id, row.region_path, row.role, row.starts_on, row.ends_on],
    );
  }
}

export interface SeatFact {
  position_id: string;
  person_id: string;
  term_id: string;
  committee_id: string;
  org_unit_id: string;
  region_path: string;
  role: string;
  starts_on: string;
}
