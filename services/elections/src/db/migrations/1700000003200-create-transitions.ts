import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 换届进度: one transition per unit, committee and cycle, following a workflow template (the
 * templates are data in domain/workflow-templates.data.ts; the row records the template's code),
 * and the steps done in it. Like every table here it holds only ids of personnel's entities, plus
 * the unit's code and region path, which the report groups and authorises by.
 */
export class CreateTransitions1700000003200 implements MigrationInterface {
  name = 'CreateTransitions1700000003200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transition (
        id uuid PRIMARY KEY,
        cycle_id uuid NOT NULL REFERENCES election_cycle (id),
        org_unit_id uuid NOT NULL,
        org_unit_code char(12) NOT NULL CHECK (org_unit_code ~ '^[0-9]{12}$'),
        region_path text NOT NULL,
        committee_kind text NOT NULL CHECK (committee_kind IN ('PARTY', 'VILLAGERS', 'RESIDENTS')),
        template_code text NOT NULL,
        blocked_reason text CHECK (char_length(blocked_reason) BETWEEN 1 AND 200),
        blocked_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, org_unit_id, committee_kind),
        CHECK ((blocked_reason IS NULL) = (blocked_since IS NULL))
      )`);
    // The report reads one cycle's transitions under a region: cycle first, then the path range
    // (text_pattern_ops, so subtreeCondition's ~>=~ / ~<~ range can use it).
    await q.query(`CREATE INDEX transition_cycle_region ON transition (cycle_id, region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX transition_region ON transition (region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX transition_unit ON transition (org_unit_id)`);
    await q.query(`CREATE INDEX transition_unit_code ON transition (org_unit_code)`);
    // A step is done once: the key refuses a second completion even when two arrive together.
    await q.query(`
      CREATE TABLE transition_step (
        transition_id uuid NOT NULL REFERENCES transition (id),
        step_code text NOT NULL,
        completed_by text NOT NULL CHECK (char_length(completed_by) BETWEEN 1 AND 60),
        completed_at timestamptz NOT NULL,
        note text CHECK (char_length(note) <= 500),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (transition_id, step_code)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE transition_step`);
    await q.query(`DROP TABLE transition`);
  }
}
