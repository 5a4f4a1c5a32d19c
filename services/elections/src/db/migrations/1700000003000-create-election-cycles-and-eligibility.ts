import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateElectionCyclesAndEligibility1700000003000 implements MigrationInterface {
  name = 'CreateElectionCyclesAndEligibility1700000003000';
  async up(q: QueryRunner): Promise<void> {
    // The rules of election-cycle.rules.ts again as constraints: the last line of defence when
    // rows arrive by another road (a script, a future import).
    await q.query(`
      CREATE TABLE election_cycle (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
        region_code char(12) NOT NULL,
        region_path text NOT NULL,
        term_years smallint NOT NULL CHECK (term_years BETWEEN 3 AND 5),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (starts_on < ends_on)
      )`);
    // text_pattern_ops lets the region-scope range condition (~>=~ / ~<~, see subtreeCondition) use the index.
    await q.query(`CREATE INDEX election_cycle_region ON election_cycle (region_path text_pattern_ops)`);
    // What 联审 decided about each candidate (vetting's ReviewConcluded); the latest decision counts.
    await q.query(`
      CREATE TABLE candidate_eligibility (
        candidate_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        region_path text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('CLEARED', 'DISQUALIFIED')),
        negative_list_codes text[] NOT NULL DEFAULT '{}',
        decided_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX candidate_eligibility_region ON candidate_eligibility (region_path text_pattern_ops)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE candidate_eligibility`);
    await q.query(`DROP TABLE election_cycle`);
  }
}
