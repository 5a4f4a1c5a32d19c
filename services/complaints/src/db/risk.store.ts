import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, subtreeCondition } from '@huanjie/platform';
import { OPEN_RISK_STATUSES, type RiskLevel, type RiskStatus, type RiskType } from '../domain/risk.rules';

export interface RiskItemRow {
  id: string;
  org_unit_id: string;
  region_path: string;
  type: RiskType;
  level: RiskLevel;
  title: string;
  owner_person_id: string;
  mitigation_plan: string;
  status: RiskStatus;
  /** yyyy-mm-dd (read as text). */
  review_on: string;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  resolved_at: Date | null;
}

const FIELDS = ['id', 'org_unit_id', 'region_path', 'type', 'level', 'title', 'owner_person_id', 'mitigation_plan', 'status', 'review_on', 'created_at', 'created_by', 'updated_at', 'resolved_at'] as const;
const COLUMNS = FIELDS.map((f) => (f === 'review_on' ? `to_char(review_on, 'YYYY-MM-DD') AS review_on` : f)).join(', ');
/** Orders levels so that max() finds the highest. */
const RANK = `CASE level WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END`;

/** 风险防控台账 within the caller's region scope. */
export class RiskStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<RiskItemRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COLUMNS} FROM risk_item WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`, params);
  }

  async lock(id: string): Promise<RiskItemRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: RiskItemRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM risk_item WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  async insert(row: RiskItemRow): Promise<void> {
    await this.db.query(`INSERT INTO risk_item (${FIELDS.join(', ')}) VALUES (${FIELDS.map((_, i) => `$${i + 1}`).join(', ')})`, FIELDS.map((f) => row[f]));
  }

  async update(id: string, patch: Partial<RiskItemRow>): Promise<RiskItemRow> {
    const keys = (Object.keys(patch) as (keyof RiskItemRow)[]).filter((k) => k !== 'id');
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [RiskItemRow[], number] = await this.db.query(
      `UPDATE risk_item SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...keys.map((k) => patch[k])],
    );
    return rows[0]!;
  }

  /** The items of many units (open ones only unless told), highest level first, in one statement. */
  async ofUnits(orgUnitIds: readonly string[], openOnly: boolean): Promise<RiskItemRow[]> {
    const params: unknown[] = [onlyUuids(orgUnitIds)];
    let status = '';
    if (openOnly) {
      params.push(OPEN_RISK_STATUSES);
      status = `AND status = ANY($${params.length}::text[])`;
    }
    return this.db.query(
      `SELECT ${COLUMNS} FROM risk_item WHERE org_unit_id = ANY($1::uuid[]) ${status} AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY org_unit_id, ${RANK} DESC, review_on, id`,
      params,
    );
  }

  /** The highest open level of many units, in one statement; units without open items are absent. */
  async highestOpen(orgUnitIds: readonly string[]): Promise<Map<string, RiskLevel>> {
    const params: unknown[] = [onlyUuids(orgUnitIds), OPEN_RISK_STATUSES];
    const rows: { org_unit_id: string; rank: number }[] = await this.db.query(
      `SELECT org_unit_id, max(${RANK})::int AS rank FROM risk_item
        WHERE org_unit_id = ANY($1::uuid[]) AND status = ANY($2::text[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        GROUP BY org_unit_id`,
      params,
    );
    const levels: RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH'];
    return new Map(rows.map((r) => [r.org_unit_id, levels[r.rank - 1]!]));
  }

  /**
   * 风险研判: the units of a region with open risk items, highest open level first (then more
   * HIGH items, more items), one page in one statement.
   */
  async unitsByRisk(
    regionPath: string,
    today: string,
    limit: number,
    offset: number,
  ): Promise<{ org_unit_id: string; region_path: string; highest: number; open_items: number; high_items: number; reviews_overdue: number }[]> {
    const params: unknown[] = [regionPath, OPEN_RISK_STATUSES, today];
    params.push(limit + 1, offset);
    return this.db.query(
      `SELECT org_unit_id, min(region_path) AS region_path, max(${RANK})::int AS highest, count(*)::int AS open_items,
              count(*) FILTER (WHERE level = 'HIGH')::int AS high_items, count(*) FILTER (WHERE review_on < $3::date)::int AS reviews_overdue
         FROM risk_item
        WHERE ${subtreeCondition('region_path', '$1::text')} AND status = ANY($2::text[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        GROUP BY org_unit_id
        ORDER BY highest DESC, high_items DESC, open_items DESC, org_unit_id
        LIMIT $4 OFFSET $5`,
      params,
    );
  }
}
