import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Optimistic locking of a case: `version` counts the changes made to it (every workflow step, a
 * merge into it, an extension, an escalation). A client sends the version it read
 * (`expectedVersion`); a change made meanwhile by someone else is refused with CONFLICT instead of
 * being silently overwritten (two officers reassigning one case at once).
 */
export class ComplaintVersion1700000004200 implements MigrationInterface {
  name = 'ComplaintVersion1700000004200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaint ADD COLUMN version integer NOT NULL DEFAULT 1`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaint DROP COLUMN version`);
  }
}
