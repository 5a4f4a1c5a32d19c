import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, type Page } from '@huanjie/platform';
import { PERSON_COLUMNS, type PersonRow } from './rows';

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

  async insert(row: PersonRow & { id_number_cipher: string; id_number_index: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO person (id, org_unit_id, region_path, name, gender, birth_date, education, political_status, reserve,
                           id_number_cipher, id_number_index, id_number_masked, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
      [
        row.id, row.org_unit_id, row.region_path, row.name, row.gender, row.birth_date, row.education,
        row.political_status, row.reserve, row.id_number_cipher, row.id_number_index, row.id_number_masked, row.created_at,
      ],
    );
  }

  async update(id: string, changes: Pick<PersonRow, 'name' | 'education' | 'political_status' | 'reserve' | 'updated_at'>): Promise<void> {
    await this.db.query(
      `UPDATE person SET name = $2, education = $3, political_status = $4, reserve = $5, updated_at = $6 WHERE id = $1`,
      [id, changes.name, changes.education, changes.political_status, changes.reserve, changes.updated_at],
    );
  }
}
