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
