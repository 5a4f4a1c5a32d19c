import { type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';

/** One row per mutation: who, what, when, before/after — written in the mutation's transaction. */
export interface AuditRecord {
  actor: string;
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
    `INSERT INTO audit_log (actor, action, entity_type, entity_id, region_path, request_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      record.actor,
      record.action,
      record.entityType,
      record.entityId,
      record.regionPath,
      record.requestId,
      record.before === null ? null : JSON.stringify(record.before),
      record.after === null ? null : JSON.stringify(record.after),
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
    `INSERT INTO audit_log (actor, action, entity_type, entity_id, region_path, request_id, before, after)
     SELECT actor, action, entity_type, entity_id, region_path, request_id, before, after
       FROM jsonb_to_recordset($1::jsonb)
         AS r(actor text, action text, entity_type text, entity_id text, region_path text, request_id text, before jsonb, after jsonb)`,
    [
      JSON.stringify(
        records.map((r) => ({
          actor: r.actor,
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
