import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { RequestCategory, ResolutionLevel } from '../domain/requests.rules';

export interface ResidentRequestRow {
  id: string;
  org_unit_id: string;
  region_path: string;
  cycle_id: string | null;
  category: RequestCategory;
  summary: string;
  raised_on: string;
  resolved_level: ResolutionLevel | null;
  resolved_on: string | null;
  created_at: Date;
  created_by: string;
}

const FIELDS = ['id', 'org_unit_id', 'region_path', 'cycle_id', 'category', 'summary', 'raised_on', 'resolved_level', 'resolved_on', 'created_at', 'created_by'] as const;
const COLUMNS = FIELDS.map((f) => (f === 'raised_on' || f === 'resolved_on' ? `to_char(${f}, 'YYYY-MM-DD') AS ${f}` : f)).join(', ');

export interface RequestCounts {
  total: number;
  resolved: number;
  village: number;
  town: number;
  district: number;
}

/** 我为群众办实事 within the caller's region scope. */
export class RequestStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async lock(id: string): Promise<ResidentRequestRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: ResidentRequestRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM resident_request WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  async insert(row: ResidentRequestRow): Promise<void> {
    await this.db.query(`INSERT INTO resident_request (${FIELDS.join(', ')}) VALUES (${FIELDS.map((_, i) => `$${i + 1}`).join(', ')})`, FIELDS.map((f) => row[f]));
  }

  async resolve(id: string, level: ResolutionLevel, on: string): Promise<ResidentRequestRow> {
    const [rows]: [ResidentRequestRow[], number] = await this.db.query(`UPDATE resident_request SET resolved_level = $2, resolved_on = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [id, level, on]);
    return rows[0]!;
  }

  /** 诉求办理统计: counts of a region's requests raised in [from, to] (and of a cycle, if given), in one statement. */
  async counts(regionPath: string, from: string | null, to: string | null, cycleId: string | null): Promise<RequestCounts> {
    const params: unknown[] = [regionPath, from, to, cycleId];
    const [row] = await this.db.query(
      `SELECT count(*)::int AS total, count(resolved_level)::int AS resolved,
              count(*) FILTER (WHERE resolved_level = 'VILLAGE')::int AS village,
              count(*) FILTER (WHERE resolved_level = 'TOWN')::int AS town,
              count(*) FILTER (WHERE resolved_level = 'DISTRICT')::int AS district
         FROM resident_request
        WHERE ${subtreeCondition('region_path', '$1::text')} AND ($2::date IS NULL OR raised_on >= $2::date) AND ($3::date IS NULL OR raised_on <= $3::date)
          AND ($4::uuid IS NULL OR cycle_id = $4::uuid) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
    return row as RequestCounts;
  }
}
