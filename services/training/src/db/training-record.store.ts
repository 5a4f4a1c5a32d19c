import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, subtreeCondition } from '@huanjie/platform';

export interface TrainingRecordRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  region_path: string;
  opened_at: Date;
  hours_completed: number;
  courses_completed: number;
}

const COLUMNS = 'id, person_id, org_unit_id, region_path, opened_at, hours_completed::float8 AS hours_completed, courses_completed';

/** Training-file reads within the caller's region scope, and the write the consumer makes. */
export class TrainingRecordStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<TrainingRecordRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COLUMNS} FROM training_record WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`, params);
  }

  async byPersonIds(personIds: readonly string[]): Promise<TrainingRecordRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM training_record WHERE person_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  /**
   * Coverage of many units in one statement: records carry their unit's region path, so "under
   * unit X" is a prefix match on X's path (which the gateway supplies through @requires).
   */
  async coverageByRegionPaths(paths: readonly string[]): Promise<Map<string, { people: number; hours: number }>> {
    const params: unknown[] = [paths];
    const rows: { path: string; people: number; hours: number }[] = await this.db.query(
      `SELECT u.path, count(r.id)::int AS people, coalesce(sum(r.hours_completed), 0)::float8 AS hours
         FROM unnest($1::text[]) AS u(path)
         LEFT JOIN training_record r
           ON ${subtreeCondition('r.region_path', 'u.path')}
          AND ${scopeCondition('r.region_path', this.scopePath, params)}
        GROUP BY u.path`,
      params,
    );
    return new Map(rows.map((r) => [r.path, { people: r.people, hours: r.hours }]));
  }

  /** A completed course adds its hours and one course to the person's file (when the file exists). */
  async addCompletion(personId: string, hours: number): Promise<void> {
    await this.db.query(
      `UPDATE training_record SET hours_completed = hours_completed + $2, courses_completed = courses_completed + 1 WHERE person_id = $1`,
      [personId, hours],
    );
  }
}
