import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrgUnitsAndPeople1700000001000 implements MigrationInterface {
  name = 'CreateOrgUnitsAndPeople1700000001000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_unit (
        id uuid PRIMARY KEY,
        code char(12) NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL,
        parent_id uuid REFERENCES org_unit (id),
        region_path text NOT NULL UNIQUE,
        depth smallint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // text_pattern_ops lets the region-scope range condition (~>=~ / ~<~, see subtreeCondition) use the index.
    await q.query(`CREATE INDEX org_unit_region ON org_unit (region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX org_unit_parent ON org_unit (parent_id, code)`);
    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        region_path text NOT NULL,
        name text NOT NULL,
        gender text NOT NULL,
        birth_date date NOT NULL,
        education text NOT NULL,
        political_status text NOT NULL,
        reserve boolean NOT NULL DEFAULT false,
        id_number_cipher text NOT NULL,
        id_number_index char(64) NOT NULL UNIQUE,
        id_number_masked text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX person_region ON person (region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX person_org_unit ON person (org_unit_id, name, id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person`);
    await q.query(`DROP TABLE org_unit`);
  }
}
