import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateComplaints1700000004000 implements MigrationInterface {
  name = 'CreateComplaints1700000004000';
  async up(q: QueryRunner): Promise<void> {
    // The org unit and the person complained about are other services' entities: ids only, plus
    // the unit's region path that region-scoped reads need. No complainant identity yet.
    await q.query(`
      CREATE TABLE complaint (
        id uuid PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('HOTLINE', 'LETTER', 'VISIT', 'ONLINE', 'EMAIL')),
        category text NOT NULL
          CHECK (category IN ('VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'ELIGIBILITY', 'PROCEDURE', 'OTHER')),
        status text NOT NULL CHECK (status IN ('RECEIVED', 'INVESTIGATING', 'SUBSTANTIATED', 'UNSUBSTANTIATED', 'CLOSED')),
        received_at timestamptz NOT NULL,
        summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 2000),
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        subject_person_id uuid
      )`);
    // text_pattern_ops lets the region-scope range condition (~>=~ / ~<~, see subtreeCondition) use the index.
    await q.query(`CREATE INDEX complaint_region ON complaint (region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX complaint_org_unit ON complaint (org_unit_id, status)`);
    await q.query(`CREATE INDEX complaint_subject ON complaint (subject_person_id, received_at DESC) WHERE subject_person_id IS NOT NULL`);
    // 候选人信访核查: what was pending against a candidate when they were nominated (Dujiangyan
    // looked into every candidate with petitions against them).
    await q.query(`
      CREATE TABLE candidate_screening (
        candidate_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        region_path text NOT NULL,
        open_cases_at_nomination integer NOT NULL CHECK (open_cases_at_nomination >= 0),
        screened_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX candidate_screening_region ON candidate_screening (region_path text_pattern_ops)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE candidate_screening`);
    await q.query(`DROP TABLE complaint`);
  }
}
