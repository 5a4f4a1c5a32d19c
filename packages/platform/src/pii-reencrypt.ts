import type { DataSource } from 'typeorm';
import type { PiiCipher } from './pii';

/** A table whose columns hold PiiCipher values, keyed by a uuid or other sortable text-castable id. */
export interface PiiTable {
  table: string;
  /** The primary key column; rows are walked in its order. */
  key: string;
  /** Columns holding ciphertext (NULL allowed). */
  columns: readonly string[];
}

export interface ReencryptOptions {
  /** Rows per transaction. Default: 500. */
  batchSize?: number;
  /** Progress lines (the command writes them to stderr). */
  progress?: (line: string) => void;
}

export interface ReencryptResult {
  table: string;
  /** Rows looked at (with at least one value not under the current key). */
  examined: number;
  /** Rows rewritten. */
  rewritten: number;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Rewrites every value of the table's PII columns that is not under the cipher's current key
 * (older key ids and the v1 format) with the current key, in batches of one transaction each.
 * Idempotent: values already under the current key are not touched, so a second run rewrites
 * nothing and an interrupted run can simply be started again. A row changed between the read and
 * the write (its ciphertext no longer what was read) is left for the next run.
 */
export async function reencryptTable(
  dataSource: DataSource,
  cipher: PiiCipher,
  target: PiiTable,
  options: ReencryptOptions = {},
): Promise<ReencryptResult> {
  for (const name of [target.table, target.key, ...target.columns]) {
    if (!IDENT.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  }
  const batchSize = options.batchSize ?? 500;
  const current = `v2:${cipher.currentKeyId}:%`;
  const stale = target.columns.map((c) => `(${c} IS NOT NULL AND ${c} NOT LIKE $1)`).join(' OR ');
  const [{ n: total }] = (await dataSource.query(`SELECT count(*)::int AS n FROM ${target.table} WHERE ${stale}`, [current])) as [
    { n: number },
  ];
  options.progress?.(`${target.table}: ${total} rows not under key ${cipher.currentKeyId}`);
  const result: ReencryptResult = { table: target.table, examined: 0, rewritten: 0 };
  let after: string | null = null;
  for (;;) {
    const rows = (await dataSource.query(
      `SELECT ${target.key}::text AS key, ${target.columns.join(', ')} FROM ${target.table}
        WHERE (${stale}) ${after === null ? '' : `AND ${target.key}::text > $3`}
        ORDER BY ${target.key}::text LIMIT $2`,
      after === null ? [current, batchSize] : [current, batchSize, after],
    )) as Record<string, string | null>[];
    if (rows.length === 0) break;
    await dataSource.transaction(async (manager) => {
      for (const row of rows) {
        const sets: string[] = [];
        const checks: string[] = [];
        const params: unknown[] = [row.key];
        for (const c of target.columns) {
          const old = row[c];
          if (old === null || old === undefined) continue;
          if (old.startsWith(`v2:${cipher.currentKeyId}:`)) continue;
          params.push(cipher.encrypt(cipher.decrypt(old)));
          sets.push(`${c} = $${params.length}`);
          params.push(old);
          checks.push(`${c} = $${params.length}`);
        }
        if (sets.length === 0) continue;
        const updated = (await manager.query(
          `UPDATE ${target.table} SET ${sets.join(', ')} WHERE ${target.key}::text = $1 AND ${checks.join(' AND ')}`,
          params,
        )) as [unknown, number];
        if (updated[1] > 0) result.rewritten += 1;
      }
    });
    result.examined += rows.length;
    after = rows.at(-1)!.key as string;
    options.progress?.(`${target.table}: ${result.examined}/${total} examined, ${result.rewritten} rewritten`);
  }
  options.progress?.(`${target.table}: done, ${result.rewritten} rows rewritten under key ${cipher.currentKeyId}`);
  return result;
}

/** The PII columns of each service that encrypts personal data (`npm run pii:reencrypt -- --service …`). */
export const PII_TABLES: Record<string, readonly PiiTable[]> = {
  personnel: [{ table: 'person', key: 'id', columns: ['id_number_cipher', 'phone_cipher'] }],
  complaints: [{ table: 'complaint', key: 'id', columns: ['complainant_enc'] }],
};
