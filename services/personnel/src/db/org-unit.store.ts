import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, type Page } from '@huanjie/platform';
import { ORG_UNIT_COLUMNS, type OrgUnitRow } from './rows';

/** Org-unit reads and writes, always within the caller's region scope. */
export class OrgUnitStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  /** One statement for any number of ids; ids outside the scope are simply absent. */
  async byIds(ids: readonly string[]): Promise<OrgUnitRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  async byCode(code: string): Promise<OrgUnitRow | undefined> {
    const params: unknown[] = [code];
    const rows: OrgUnitRow[] = await this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE code = $1 AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
    return rows[0];
  }

  /** Units with any of the codes, in one statement; codes outside the scope are absent. */
  async byCodes(codes: readonly string[]): Promise<OrgUnitRow[]> {
    const params: unknown[] = [codes];
    return this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE code = ANY($1::bpchar[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  /**
   * Units with any of the codes ignoring scope, in one statement: only for what createOrgUnit
   * does unscoped too — placing new units under their parents and refusing a code already taken.
   */
  async byCodesUnscoped(codes: readonly string[]): Promise<OrgUnitRow[]> {
    return this.db.query(`SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE code = ANY($1::bpchar[])`, [codes]);
  }

  /** Looks a unit up by region path ignoring scope: only for placing a new unit under its parent. */
  async byPathUnscoped(regionPath: string): Promise<OrgUnitRow | undefined> {
    const rows: OrgUnitRow[] = await this.db.query(`SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE region_path = $1`, [regionPath]);
    return rows[0];
  }

  /** The shallowest units visible in the scope. */
  async roots(): Promise<OrgUnitRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM org_unit
        WHERE ${scopeCondition('region_path', this.scopePath, params)}
          AND depth = (SELECT min(depth) FROM org_unit WHERE ${scopeCondition('region_path', this.scopePath, params)})
        ORDER BY code LIMIT 100`,
      params,
    );
  }

  /**
   * Children of many parents in one statement: a window numbers each parent's children by code,
   * and each parent gets at most page.limit + 1 rows (the extra one tells hasNextPage).
   */
  async childrenOf(parentIds: readonly string[], page: Page): Promise<OrgUnitRow[]> {
    const params: unknown[] = [onlyUuids(parentIds), page.limit + 1];
    const after = page.after === null ? 'TRUE' : `code > $${params.push(page.after)}`;
    return this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM (
         SELECT *, row_number() OVER (PARTITION BY parent_id ORDER BY code) AS rn
           FROM org_unit
          WHERE parent_id = ANY($1::uuid[]) AND ${after} AND ${scopeCondition('region_path', this.scopePath, params)}
       ) t WHERE rn <= $2 ORDER BY parent_id, code`,
      params,
    );
  }

  /** Units at any of the given region paths, in one statement; paths outside the scope are absent. */
  async byPaths(paths: readonly string[]): Promise<OrgUnitRow[]> {
    const params: unknown[] = [paths];
    return this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM org_unit WHERE region_path = ANY($1::text[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY depth`,
      params,
    );
  }

  /**
   * Units whose name contains `fragment`, ordered by code, at most page.limit + 1. The pg_trgm GIN
   * index on name serves the ILIKE when the fragment holds a trigram (3+ characters); shorter ones
   * are filtered along the code index, which the LIMIT keeps short for common fragments.
   */
  async searchByName(fragment: string, page: Page): Promise<OrgUnitRow[]> {
    const params: unknown[] = [`%${escapeLike(fragment)}%`, page.limit + 1];
    const after = page.after === null ? 'TRUE' : `code > $${params.push(page.after)}`;
    return this.db.query(
      `SELECT ${ORG_UNIT_COLUMNS} FROM org_unit
        WHERE name ILIKE $1 AND ${after} AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY code LIMIT $2`,
      params,
    );
  }

  async insert(row: OrgUnitRow): Promise<void> {
    await this.db.query(
      `INSERT INTO org_unit (id, code, name, kind, parent_id, region_path, depth) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.id, row.code, row.name, row.kind, row.parent_id, row.region_path, row.depth],
    );
  }

  /** Many units in one statement (a bulk import); parents first within the list, as the foreign key is checked per statement. */
  async insertMany(rows: readonly OrgUnitRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO org_unit (id, code, name, kind, parent_id, region_path, depth)
       SELECT id, code, name, kind, parent_id, region_path, depth
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, code text, name text, kind text, parent_id uuid, region_path text, depth smallint)`,
      [JSON.stringify(rows)],
    );
  }
}

/** A LIKE pattern matching `text` literally: backslash (LIKE's default escape), % and _ are escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
