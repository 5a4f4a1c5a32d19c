import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Elections (选举), their candidates (候选人), the tally sheets entered twice per ballot box, and
 * the hash chain of accepted sheets and certifications. Statuses are checked against the state
 * machines' lists; the transitions themselves are enforced in the domain layer.
 */
export class CreateElectionsAndCandidates1700000003100 implements MigrationInterface {
  name = 'CreateElectionsAndCandidates1700000003100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE election (
        id uuid PRIMARY KEY,
        cycle_id uuid NOT NULL REFERENCES election_cycle (id),
        org_unit_id uuid NOT NULL,
        org_unit_code char(12) NOT NULL,
        region_path text NOT NULL,
        committee_kind text NOT NULL CHECK (committee_kind IN ('PARTY', 'VILLAGERS', 'RESIDENTS')),
        party_org_form text CHECK (party_org_form IN ('BRANCH', 'GENERAL_BRANCH', 'COMMITTEE')),
        round_kind text NOT NULL DEFAULT 'REGULAR' CHECK (round_kind IN ('REGULAR', 'RUN_OFF', 'WOMEN_SEAT', 'REPEAT')),
        parent_election_id uuid REFERENCES election (id),
        seats jsonb NOT NULL,
        seat_total smallint NOT NULL CHECK (seat_total BETWEEN 1 AND 15),
        election_day date NOT NULL,
        method text NOT NULL,
        law_version text NOT NULL,
        status text NOT NULL CHECK (status IN ('PLANNED', 'NOMINATING', 'VETTING', 'VOTER_REGISTRATION', 'SCHEDULED', 'POLLING', 'TALLIED', 'CERTIFIED', 'FAILED', 'VOIDED')),
        entitled_members integer CHECK (entitled_members > 0),
        attended_members integer CHECK (attended_members >= 0),
        registered_voters integer CHECK (registered_voters >= 0),
        result jsonb,
        certified_at timestamptz,
        voided_at timestamptz,
        void_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((committee_kind = 'PARTY') = (party_org_form IS NOT NULL)),
        CHECK ((round_kind = 'REGULAR') = (parent_election_id IS NULL))
      )`);
    // One regular election per unit, committee and cycle; run-offs, the women's seat and repeats
    // after a void are rounds beneath it.
    await q.query(`CREATE UNIQUE INDEX election_one_regular ON election (cycle_id, org_unit_id, committee_kind) WHERE round_kind = 'REGULAR'`);
    await q.query(`CREATE INDEX election_region ON election (region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX election_unit ON election (org_unit_id, committee_kind)`);
    await q.query(`CREATE INDEX election_cycle_idx ON election (cycle_id)`);
    await q.query(`CREATE INDEX election_parent ON election (parent_election_id) WHERE parent_election_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE candidate (
        id uuid PRIMARY KEY,
        election_id uuid NOT NULL REFERENCES election (id),
        person_id uuid NOT NULL,
        region_path text NOT NULL,
        role text NOT NULL,
        gender text NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        nominated_by text NOT NULL,
        recommendations integer NOT NULL CHECK (recommendations >= 0),
        status text NOT NULL CHECK (status IN ('NOMINATED', 'UNDER_REVIEW', 'ELIGIBLE', 'INELIGIBLE', 'ON_BALLOT', 'ELECTED', 'NOT_ELECTED', 'WITHDRAWN', 'VOIDED')),
        negative_list_codes text[] NOT NULL DEFAULT '{}',
        votes integer,
        status_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (election_id, person_id)
      )`);
    await q.query(`CREATE INDEX candidate_person ON candidate (person_id)`);
    await q.query(`CREATE INDEX candidate_region ON candidate (region_path text_pattern_ops)`);

    // One row per ballot box; each clerk's entry is kept (tally_entry), the sheet is accepted
    // only when two entries by different clerks match.
    await q.query(`
      CREATE TABLE tally_sheet (
        id uuid PRIMARY KEY,
        election_id uuid NOT NULL REFERENCES election (id),
        box_code text NOT NULL CHECK (char_length(box_code) BETWEEN 1 AND 40),
        status text NOT NULL CHECK (status IN ('AWAITING_SECOND_ENTRY', 'MISMATCH', 'ACCEPTED')),
        mismatch_fields text[] NOT NULL DEFAULT '{}',
        accepted_content jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (election_id, box_code)
      )`);
    await q.query(`
      CREATE TABLE tally_entry (
        id uuid PRIMARY KEY,
        sheet_id uuid NOT NULL REFERENCES tally_sheet (id),
        clerk text NOT NULL,
        content jsonb NOT NULL,
        paired_with uuid REFERENCES tally_entry (id),
        entered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tally_entry_sheet ON tally_entry (sheet_id, entered_at)`);

    // Append-only: each record carries the hash of the one before it in the same election.
    await q.query(`
      CREATE TABLE election_chain (
        election_id uuid NOT NULL REFERENCES election (id),
        seq integer NOT NULL CHECK (seq >= 0),
        kind text NOT NULL CHECK (kind IN ('TALLY_SHEET', 'CERTIFICATION', 'VOID')),
        content jsonb NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (election_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE election_chain`);
    await q.query(`DROP TABLE tally_entry`);
    await q.query(`DROP TABLE tally_sheet`);
    await q.query(`DROP TABLE candidate`);
    await q.query(`DROP TABLE election`);
  }
}
