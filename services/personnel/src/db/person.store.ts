import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, type Page } from '@huanjie/platform';
import { PERSON_COLUMNS, type PersonRow, type PersonSecrets, type PersonSecretsRow } from './rows';

/** A person's sort key in lists: name, then id for ties. */
export const personCursorKey = (p: Pick<PersonRow, 'name' | 'id'>) => JSON.stringify([p.name, p.id]);

/** Person reads and writes, always within the caller's region scope. */
export class PersonStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[], options: { forUpdate?: boolean } = {}): Promise<PersonRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${PERSON_COLUMNS} FROM person WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
       ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      params,
    );
  }

  /** People of many org units in one statement, at most page.limit + 1 per unit. */
  async byOrgUnits(orgUnitIds: readonly string[], page: Page): Promise<PersonRow[]> {
    const params: unknown[] = [onlyUuids(orgUnitIds), page.limit + 1];
    let after = 'TRUE';
    if (page.after !== null) {
      const [name, id] = JSON.parse(page.after) as [string, string];
      after = `(name, id) > ($${params.push(name)}, $${params.push(id)}::uuid)`;
    }
    return this.db.query(
      `SELECT ${PERSON_COLUMNS} FROM (
         SELECT *, row_number() OVER (PARTITION BY org_unit_id ORDER BY name, id) AS rn
           FROM person
          WHERE org_unit_id = ANY($1::uuid[]) AND ${after} AND ${scopeCondition('region_path', this.scopePath, params)}
       ) t WHERE rn <= $2 ORDER BY org_unit_id, name, id`,
      params,
    );
  }

  async existsByIdNumberIndex(index: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM person WHERE id_number_index = $1`, [index]);
    return rows.length > 0;
  }

  /**
   * The unit of each person already registered under any of the blind indexes, ignoring scope as
   * existsByIdNumberIndex does: a national ID number is registered once, wherever that is.
   */
  async orgUnitsByIdNumberIndexes(indexes: readonly string[]): Promise<Map<string, string>> {
    const rows: { id_number_index: string; org_unit_id: string }[] = await this.db.query(
      `SELECT id_number_index, org_unit_id FROM person WHERE id_number_index = ANY($1::bpchar[])`,
      [indexes],
    );
    return new Map(rows.map((r) => [r.id_number_index, r.org_unit_id]));
  }

  /** One person in scope with the encrypted ID number and phone; callers decide who may see them. */
  async withSecrets(id: string, options: { forUpdate?: boolean } = {}): Promise<PersonSecretsRow | undefined> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: PersonSecretsRow[] = await this.db.query(
      `SELECT ${PERSON_COLUMNS}, id_number_cipher, phone_cipher FROM person
        WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
       ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      params,
    );
    return rows[0];
  }

  async insert(row: PersonRow & PersonSecrets): Promise<void> {
    await this.db.query(
      `INSERT INTO person (id, org_unit_id, region_path, name, gender, birth_date, ethnicity, education, political_status,
                           party_joined_on, professional_backgrounds, source_tags, reserve, reserve_since, reserve_org_unit_id,
                           id_number_cipher, id_number_index, id_number_masked, phone_cipher, phone_masked, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)`,
      [
        row.id, row.org_unit_id, row.region_path, row.name, row.gender, row.birth_date, row.ethnicity, row.education, row.political_status,
        row.party_joined_on, row.professional_backgrounds, row.source_tags, row.reserve, row.reserve_since, row.reserve_org_unit_id,
        row.id_number_cipher, row.id_number_index, row.id_number_masked, row.phone_cipher, row.phone_masked, row.created_at,
      ],
    );
  }

  /**
   * Many people in one statement (a bulk import). A person whose ID number was registered by
   * someone else since the caller checked is left out rather than failing the batch; the ids
   * returned are the rows really inserted, so the caller audits and publishes exactly those.
   */
  async insertMany(rows: readonly (PersonRow & PersonSecrets)[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO person (id, org_unit_id, region_path, name, gender, birth_date, ethnicity, education, political_status,
                           party_joined_on, professional_backgrounds, source_tags, reserve, reserve_since, reserve_org_unit_id,
                           id_number_cipher, id_number_index, id_number_masked, phone_cipher, phone_masked, created_at, updated_at)
       SELECT id, org_unit_id, region_path, name, gender, birth_date, ethnicity, education, political_status,
              party_joined_on, professional_backgrounds, source_tags, reserve, reserve_since, reserve_org_unit_id,
              id_number_cipher, id_number_index, id_number_masked, phone_cipher, phone_masked, created_at, created_at
         FROM jsonb_to_recordset($1::jsonb) AS r(
              id uuid, org_unit_id uuid, region_path text, name text, gender text, birth_date date, ethnicity text, education text,
              political_status text, party_joined_on date, professional_backgrounds text[], source_tags text[], reserve boolean,
              reserve_since date, reserve_org_unit_id uuid, id_number_cipher text, id_number_index text, id_number_masked text,
              phone_cipher text, phone_masked text, created_at timestamptz)
       ON CONFLICT (id_number_index) DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** Writes the changeable fields; the ID number columns are never touched. */
  async update(id: string, row: Omit<PersonRow, 'id' | 'org_unit_id' | 'region_path' | 'gender' | 'birth_date' | 'id_number_masked' | 'created_at'> & { phone_cipher: string | null }): Promise<void> {
    await this.db.query(
      `UPDATE person SET name = $2, ethnicity = $3, education = $4, political_status = $5, party_joined_on = $6,
              professional_backgrounds = $7, source_tags = $8, reserve = $9, reserve_since = $10, reserve_org_unit_id = $11,
              phone_cipher = $12, phone_masked = $13, updated_at = $14
        WHERE id = $1`,
      [
        id, row.name, row.ethnicity, row.education, row.political_status, row.party_joined_on, row.professional_backgrounds,
        row.source_tags, row.reserve, row.reserve_since, row.reserve_org_unit_id, row.phone_cipher, row.phone_masked, row.updated_at,
      ],
    );
  }
}
