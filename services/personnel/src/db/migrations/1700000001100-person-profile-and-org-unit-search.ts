import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The person's profile for 换届 (民族, 入党时间, backgrounds, source tags, reserve pool, phone),
 * education split into 硕士/博士, the shorter ID-number mask, and name search on org units.
 */
export class PersonProfileAndOrgUnitSearch1700000001100 implements MigrationInterface {
  name = 'PersonProfileAndOrgUnitSearch1700000001100';
  async up(q: QueryRunner): Promise<void> {
    // Nullable where rows registered before this migration have no value; the domain requires
    // them for new registrations (ethnicity) or exactly when they apply (party date, reserve pool).
    await q.query(`
      ALTER TABLE person
        ADD COLUMN ethnicity text,
        ADD COLUMN party_joined_on date,
        ADD COLUMN professional_backgrounds text[] NOT NULL DEFAULT '{}',
        ADD COLUMN source_tags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN reserve_since date,
        ADD COLUMN reserve_org_unit_id uuid REFERENCES org_unit (id),
        ADD COLUMN phone_cipher text,
        ADD COLUMN phone_masked text,
        ADD CONSTRAINT person_phone_masked_with_cipher CHECK ((phone_cipher IS NULL) = (phone_masked IS NULL))`);
    await q.query(`CREATE INDEX person_reserve_org_unit ON person (reserve_org_unit_id) WHERE reserve_org_unit_id IS NOT NULL`);
    // 研究生 becomes 硕士 or 博士; which one an old record meant is unknown, so it takes the lower.
    await q.query(`UPDATE person SET education = 'MASTER' WHERE education = 'POSTGRADUATE'`);
    // 510107********123X → 5101**********123X: the stored mask already holds the first four and last four.
    await q.query(
      `UPDATE person SET id_number_masked = left(id_number_masked, 4) || repeat('*', length(id_number_masked) - 8) || right(id_number_masked, 4)`,
    );
    // Substring search on names wants a trigram index. pg_trgm ships with PostgreSQL's contrib
    // (the embedded binaries and the official images have it) and is a trusted extension, so a
    // database owner may create it; where a server lacks it, search still works, unindexed.
    const [available] = await q.query(`SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'pg_trgm'`);
    if (available) {
      await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
      await q.query(`CREATE INDEX org_unit_name_trgm ON org_unit USING gin (name gin_trgm_ops)`);
    }
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS org_unit_name_trgm`);
    // The mask cannot be widened again: the county digits are not stored in plain form.
    await q.query(`UPDATE person SET education = 'POSTGRADUATE' WHERE education IN ('MASTER', 'DOCTORATE')`);
    await q.query(`DROP INDEX person_reserve_org_unit`);
    await q.query(`
      ALTER TABLE person
        DROP CONSTRAINT person_phone_masked_with_cipher,
        DROP COLUMN ethnicity, DROP COLUMN party_joined_on, DROP COLUMN professional_backgrounds, DROP COLUMN source_tags,
        DROP COLUMN reserve_since, DROP COLUMN reserve_org_unit_id, DROP COLUMN phone_cipher, DROP COLUMN phone_masked`);
  }
}
