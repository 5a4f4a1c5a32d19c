import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createLogger, openDatabase } from '@huanjie/platform';
import { testDatabaseUrl } from '../src';

// Replicas of a service (or its migration Job and a pod) start together on a pending migration:
// the advisory lock in openDatabase lets one apply it while the others wait, then find it done.
class CreateCounter1900000000000 implements MigrationInterface {
  name = 'CreateCounter1900000000000';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE applied (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`SELECT pg_sleep(0.3)`); // long enough for the others to arrive while it runs
    await q.query(`INSERT INTO applied DEFAULT VALUES`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE applied`);
  }
}

it('applies a pending migration once when several processes open the database at the same time', async () => {
  const url = await testDatabaseUrl('migration_lock');
  const logger = createLogger({ name: 'migration-lock-test', level: 'silent' });
  const open = () => openDatabase({ url, entities: [], migrations: [CreateCounter1900000000000], logger });
  const sources = await Promise.all([open(), open(), open()]);
  try {
    const [{ n }] = await sources[0]!.query(`SELECT count(*)::int AS n FROM applied`);
    expect(n).toBe(1);
    const [{ m }] = await sources[0]!.query(`SELECT count(*)::int AS m FROM schema_migrations WHERE name = 'CreateCounter1900000000000'`);
    expect(m).toBe(1);
  } finally {
    await Promise.all(sources.map((s) => s.destroy()));
  }
});
