import { EntitySchema, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';

/** One row per mutation: who, what, when, before/after — written in the mutation's transaction. */
export interface AuditRecord {
  id?: string;
  at?: Date;
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

export const AuditRecordEntity = new EntitySchema<AuditRecord>({
  name: 'AuditRecord',
  tableName: 'audit_log',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    at: { type: 'timestamptz', createDate: true },
    actor: { type: 'text' },
    action: { type: 'text' },
    entityType: { name: 'entity_type', type: 'text' },
    entityId: { name: 'entity_id', type: 'text' },
    regionPath: { name: 'region_path', type: 'text' },
    requestId: { name: 'request_id', type: 'text', nullable: true },
    before: { type: 'jsonb', nullable: true },
    after: { type: 'jsonb', nullable: true },
  },
});

export async function writeAudit(manager: EntityManager, record: AuditRecord): Promise<void> {
  await manager.getRepository(AuditRecordEntity).insert(record as never);
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
