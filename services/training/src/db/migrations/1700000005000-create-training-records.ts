import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTrainingRecords1700000005000 implements MigrationInterface {
  name = 'CreateTrainingRecords1700000005000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE training_record (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL UNIQUE,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        opened_at timestamptz NOT NULL,
        hours_completed numeric(7,1) NOT NULL DEFAULT 0,
        courses_completed integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX training_record_region ON training_record (region_path text_pattern_ops)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE training_record`);
  }
}
