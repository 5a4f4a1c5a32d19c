import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 联审 as a workflow: the policy a review runs under, its level (三级联审) and round (a reopened
 * review starts a new round), its conclusion and citations; the departments' opinions (one current
 * per department, level and round; a later one supersedes, the earlier stays on record); and the
 * review's history. The policies themselves are data in code (domain/negative-lists.data.ts).
 */
export class CreatePolicyAndOpinions1700000002100 implements MigrationInterface {
  name = 'CreatePolicyAndOpinions1700000002100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE review DROP CONSTRAINT IF EXISTS review_status_check`);
    await q.query(`ALTER TABLE review DROP CONSTRAINT IF EXISTS review_check`);
    await q.query(`
      ALTER TABLE review
        ADD COLUMN policy_id text NOT NULL DEFAULT '000000000000@2020',
        ADD COLUMN level text NOT NULL DEFAULT 'TOWN_FIRST_REVIEW'
          CHECK (level IN ('TOWN_FIRST_REVIEW', 'COUNTY_JOINT_REVIEW', 'CITY_RE_REVIEW')),
        ADD COLUMN level_entered_at timestamptz,
        ADD COLUMN round int NOT NULL DEFAULT 1 CHECK (round >= 1),
        ADD COLUMN opened_by text NOT NULL DEFAULT 'NOMINATION' CHECK (opened_by IN ('NOMINATION', 'HAND')),
        ADD COLUMN conclusion jsonb`);
    await q.query(`UPDATE review SET level_entered_at = opened_at`);
    await q.query(`ALTER TABLE review ALTER COLUMN level_entered_at SET NOT NULL`);
    await q.query(`ALTER TABLE review ALTER COLUMN policy_id DROP DEFAULT`);
    await q.query(`ALTER TABLE review ADD CONSTRAINT review_status CHECK (status IN ('OPEN', 'REOPENED', 'CLEARED', 'DISQUALIFIED'))`);
    await q.query(`ALTER TABLE review ADD CONSTRAINT review_concluded CHECK ((status IN ('OPEN', 'REOPENED')) = (concluded_at IS NULL))`);
    await q.query(`CREATE INDEX review_election ON review (election_id)`);
    await q.query(`CREATE INDEX review_opened ON review (opened_at)`);
    await q.query(`
      CREATE TABLE department_opinion (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL, -- recording order (two opinions may share a timestamp)
        review_id uuid NOT NULL REFERENCES review (id),
        round int NOT NULL,
        level text NOT NULL,
        department text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('CLEAR', 'CONCERN', 'BAR')),
        item_codes text[] NOT NULL DEFAULT '{}',
        note text NOT NULL DEFAULT '',
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        -- Deferred: the earlier opinion points at the later one in the same transaction, before it is inserted.
        superseded_by uuid REFERENCES department_opinion (id) DEFERRABLE INITIALLY DEFERRED,
        region_path text NOT NULL,
        CHECK (decision <> 'BAR' OR cardinality(item_codes) > 0)
      )`);
    // One current opinion per department, level and round: a second one in a race fails here.
    await q.query(`CREATE UNIQUE INDEX department_opinion_current ON department_opinion (review_id, round, level, department) WHERE superseded_by IS NULL`);
    await q.query(`CREATE INDEX department_opinion_review ON department_opinion (review_id, seq)`);
    await q.query(`
      CREATE TABLE review_history (
        id bigserial PRIMARY KEY,
        review_id uuid NOT NULL REFERENCES review (id),
        at timestamptz NOT NULL,
        actor text NOT NULL,
        kind text NOT NULL,
        level text,
        round int NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX review_history_review ON review_history (review_id, id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_history`);
    await q.query(`DROP TABLE department_opinion`);
    await q.query(`ALTER TABLE review DROP CONSTRAINT review_status, DROP CONSTRAINT review_concluded`);
    await q.query(`DROP INDEX review_election`);
    await q.query(`DROP INDEX review_opened`);
    await q.query(`ALTER TABLE review DROP COLUMN policy_id, DROP COLUMN level, DROP COLUMN level_entered_at, DROP COLUMN round, DROP COLUMN opened_by, DROP COLUMN conclusion`);
    await q.query(`ALTER TABLE review ADD CONSTRAINT review_status_check CHECK (status IN ('OPEN', 'CLEARED', 'DISQUALIFIED'))`);
    await q.query(`ALTER TABLE review ADD CONSTRAINT review_check CHECK ((status = 'OPEN') = (concluded_at IS NULL))`);
  }
}
