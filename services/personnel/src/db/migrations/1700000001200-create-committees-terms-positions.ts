import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 两委: committees, their terms (届) and seats. The domain rules (committee.rules.ts, term.rules.ts,
 * position.rules.ts) are checked before every write; the constraints here repeat the ones a
 * concurrent write or a script could break, as the last line of defence.
 */
export class CreateCommitteesTermsPositions1700000001200 implements MigrationInterface {
  name = 'CreateCommitteesTermsPositions1700000001200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE committee (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        region_path text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PARTY', 'VILLAGERS', 'RESIDENTS')),
        party_org_form text CHECK (party_org_form IN ('BRANCH', 'GENERAL_BRANCH', 'COMMITTEE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_unit_id, kind),
        CHECK ((kind = 'PARTY') = (party_org_form IS NOT NULL))
      )`);
    // text_pattern_ops lets the region-scope range condition (~>=~ / ~<~, see subtreeCondition) use the index.
    await q.query(`CREATE INDEX committee_region ON committee (region_path text_pattern_ops)`);

    // Prefixed: POSITION is an SQL keyword, and in a join the prefix says whose term or seat it is.
    await q.query(`
      CREATE TABLE committee_term (
        id uuid PRIMARY KEY,
        committee_id uuid NOT NULL REFERENCES committee (id),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        region_path text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED')),
        previous_term_id uuid REFERENCES committee_term (id),
        election_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- A new term ends after it starts; one replaced early may have lasted a single day.
        CHECK (starts_on <= ends_on)
      )`);
    // One current term per committee. Overlap of dates is checked under a lock on the committee row.
    await q.query(`CREATE UNIQUE INDEX committee_term_one_active ON committee_term (committee_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX committee_term_committee ON committee_term (committee_id, starts_on DESC)`);
    await q.query(`CREATE INDEX committee_term_region ON committee_term (region_path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE committee_position (
        id uuid PRIMARY KEY,
        term_id uuid NOT NULL REFERENCES committee_term (id),
        committee_id uuid NOT NULL REFERENCES committee (id),
        committee_kind text NOT NULL,
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        region_path text NOT NULL,
        person_id uuid NOT NULL REFERENCES person (id),
        role text NOT NULL,
        starts_on date NOT NULL,
        ends_on date,
        end_reason text CHECK (end_reason IN ('TERM_ENDED', 'TRANSFERRED', 'RESIGNED', 'REMOVED', 'RESULT_VOIDED')),
        election_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (
          (committee_kind = 'PARTY' AND role IN ('SECRETARY', 'DEPUTY_SECRETARY', 'PARTY_MEMBER_SEAT')) OR
          (committee_kind IN ('VILLAGERS', 'RESIDENTS') AND role IN ('DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER', 'WOMEN_MEMBER'))
        ),
        CHECK ((ends_on IS NULL) = (end_reason IS NULL)),
        CHECK (ends_on IS NULL OR ends_on >= starts_on)
      )`);
    // One secretary / one director held at a time per term; one seat per person per committee.
    await q.query(
      `CREATE UNIQUE INDEX committee_position_one_head ON committee_position (term_id, role)
        WHERE end_reason IS NULL AND role IN ('SECRETARY', 'DIRECTOR')`,
    );
    await q.query(`CREATE UNIQUE INDEX committee_position_one_per_person ON committee_position (committee_id, person_id) WHERE end_reason IS NULL`);
    await q.query(`CREATE INDEX committee_position_term ON committee_position (term_id)`);
    await q.query(`CREATE INDEX committee_position_person ON committee_position (person_id)`);
    // 一肩挑: the held secretary and director seats of a unit.
    await q.query(`CREATE INDEX committee_position_unit_head ON committee_position (org_unit_id, role, person_id) WHERE end_reason IS NULL`);
    await q.query(`CREATE INDEX committee_position_election ON committee_position (election_id) WHERE election_id IS NOT NULL`);
    await q.query(`CREATE INDEX committee_position_region ON committee_position (region_path text_pattern_ops)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE committee_position`);
    await q.query(`DROP TABLE committee_term`);
    await q.query(`DROP TABLE committee`);
  }
}
