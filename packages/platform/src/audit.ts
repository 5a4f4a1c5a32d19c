import { type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';

/** One row per mutation: who, what, when, before/after — written in the mutation's transaction. */
export interface AuditRecord {
  actor: string;
  /** The caller's roles when the mutation ran (AuthContext.roles); none for system work (a consumer, a job). */
  roles?: readonly string[];
  action: string;
  entityType: string;
  entityId: string;
  regionPath: string;
  requestId: string | null;
  /** A view with personal data already masked: never the raw ID number or phone. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export async function writeAudit(manager: EntityManager, record: AuditRecord): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`writeAudit(${record.action}) must run inside the mutation's transaction`);
  }
  await manager.query(
    `INSERT INTO audit_log (actor, actor_roles, action, entity_type, entity_id, region_path, request_id, before, after)
     VALUES ($1, $9::text[], $2, $3, $4, $5, $6, $7, $8)`,
    [
      record.actor,
      record.action,
      record.entityType,
      record.entityId,
      record.regionPath,
      record.requestId,
      record.before === null ? null : JSON.stringify(record.before),
      record.after === null ? null : JSON.stringify(record.after),
      [...(record.roles ?? [])],
    ],
  );
}

/**
 * Many audit records in one statement, for bulk writes (e.g. a CSV import): the same rows as
 * writeAudit would write one by one, in the caller's transaction.
 */
export async function writeAudits(manager: EntityManager, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`writeAudits(${records[0]!.action}) must run inside the mutation's transaction`);
  }
  // One JSON parameter rather than 8 per row: no limit on the batch from the 65,535 bind parameters.
  await manager.query(
    `INSERT INTO audit_log (actor, actor_roles, action, entity_type, entity_id, region_path, request_id, before, after)
     SELECT actor, COALESCE(roles, '{}'), action, entity_type, entity_id, region_path, request_id, before, after
       FROM jsonb_to_recordset($1::jsonb)
         AS r(actor text, roles text[], action text, entity_type text, entity_id text, region_path text, request_id text, before jsonb, after jsonb)`,
    [
      JSON.stringify(
        records.map((r) => ({
          actor: r.actor,
          roles: [...(r.roles ?? [])],
          action: r.action,
          entity_type: r.entityType,
          entity_id: r.entityId,
          region_path: r.regionPath,
          request_id: r.requestId,
          before: r.before,
          after: r.after,
        })),
      ),
    ],
  );
}

export class CreateAuditLog1700000000000 implements MigrationInterface {
  name = 'CreateAuditLog1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        region_path text NOT NULL,
        request_id text,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}

/**
 * Audit records are evidence: the actor's roles on every record, an index for the AUDITOR's query
 * (region subtree and period), and triggers that make PostgreSQL refuse UPDATE, DELETE and TRUNCATE
 * of audit_log whoever asks — no API changes them, and neither can a stray statement.
 */
export class AuditLogRolesAndImmutability1700000000003 implements MigrationInterface {
  name = 'AuditLogRolesAndImmutability1700000000003';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN actor_roles text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX audit_log_region_at ON audit_log (region_path text_pattern_ops, at, id)`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at, id)`);
    await q.query(`
      CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(
      `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable()`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_no_truncate ON audit_log`);
    await q.query(`DROP TRIGGER audit_log_no_update_delete ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_immutable()`);
    await q.query(`DROP INDEX audit_log_at`);
    await q.query(`DROP INDEX audit_log_region_at`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN actor_roles`);
  }
}
