import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReviews1700000002000 implements MigrationInterface {
  name = 'CreateReviews1700000002000';
  async up(q: QueryRunner): Promise<void> {
    // One review per candidate: a nomination delivered again (or re-published under a new event
    // id) must not open a second review. A review is concluded exactly when it is no longer OPEN.
    await q.query(`
      CREATE TABLE review (
        id uuid PRIMARY KEY,
        candidate_id uuid NOT NULL UNIQUE,
        election_id uuid NOT NULL,
        person_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'CLEARED', 'DISQUALIFIED')),
        opened_at timestamptz NOT NULL,
        concluded_at timestamptz,
        negative_list_codes text[] NOT NULL DEFAULT '{}',
        CHECK ((status = 'OPEN') = (concluded_at IS NULL))
      )`);
    await q.query(`CREATE INDEX review_person ON review (person_id, opened_at DESC)`);
    // text_pattern_ops lets the region-scope range condition (~>=~ / ~<~, see subtreeCondition) use the index.
    await q.query(`CREATE INDEX review_region ON review (region_path text_pattern_ops)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review`);
  }
}
