import type { EntityManager } from 'typeorm';
import { onlyUuids } from '@huanjie/platform';
import type { Audience, CourseType, SessionMode } from '../domain/course.rules';
import { visibleRunnerCondition } from './region-visibility';

export interface CourseRow {
  id: string;
  name: string;
  type: CourseType;
  audiences: Audience[];
  required: boolean;
  region_code: string;
  region_path: string;
  hours: number;
  scored: boolean;
  pass_score: number | null;
  active: boolean;
  created_by: string;
  created_at: Date;
}

export interface SessionRow {
  id: string;
  course_id: string;
  starts_on: string;
  ends_on: string;
  place: string | null;
  online: boolean;
  mode: SessionMode;
  capacity: number | null;
  head_count: number | null;
  trainer: string;
  region_code: string;
  region_path: string;
  created_by: string;
  created_at: Date;
}

const COURSE = `id, name, type, audiences, required, region_code, region_path, hours::float8 AS hours, scored, pass_score, active, created_by, created_at`;
const SESSION = `id, course_id, starts_on::text AS starts_on, ends_on::text AS ends_on, place, online, mode, capacity, head_count, trainer, region_code, region_path, created_by, created_at`;

/** Courses and sessions, read as the caller sees them (their region, below and above: see visibleRunnerCondition). */
export class CourseStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async coursesByIds(ids: readonly string[]): Promise<CourseRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COURSE} FROM course WHERE id = ANY($1::uuid[]) AND ${visibleRunnerCondition('region_path', this.scopePath, params)}`, params);
  }

  /** A page of courses, by region path then name then id; filtered by type and by the region that runs them (and those above it). */
  async coursesPage(filter: { type: CourseType | null; regionPath: string | null; activeOnly: boolean }, limit: number, after: string | null): Promise<CourseRow[]> {
    const params: unknown[] = [filter.type, filter.regionPath, filter.activeOnly, after, limit + 1];
    return this.db.query(
      `SELECT ${COURSE} FROM course
        WHERE ($1::text IS NULL OR type = $1)
          AND ($2::text IS NULL OR region_path = '' OR region_path = $2 OR ($2 ~>=~ (region_path || '.') AND $2 ~<~ (region_path || '/')))
          AND (NOT $3::boolean OR active)
          AND ($4::text IS NULL OR (region_path || '|' || name || '|' || id) > $4)
          AND ${visibleRunnerCondition('region_path', this.scopePath, params)}
        ORDER BY region_path || '|' || name || '|' || id LIMIT $5`,
      params,
    );
  }

  /** Active onboarding courses run by the unit's region or one above it (the domain chooses). */
  async onboardingCoursesCovering(unitPath: string): Promise<CourseRow[]> {
    return this.db.query(
      `SELECT ${COURSE} FROM course
        WHERE type = 'ONBOARDING' AND active
          AND (region_path = '' OR region_path = $1 OR ($1 ~>=~ (region_path || '.') AND $1 ~<~ (region_path || '/')))`,
      [unitPath],
    );
  }

  async insertCourse(row: Omit<CourseRow, 'active'>): Promise<CourseRow> {
    const [saved] = await this.db.query(
      `INSERT INTO course (id, name, type, audiences, required, region_code, region_path, hours, scored, pass_score, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COURSE}`,
      [row.id, row.name, row.type, row.audiences, row.required, row.region_code, row.region_path, row.hours, row.scored, row.pass_score, row.created_by, row.created_at],
    );
    return saved;
  }

  async setCourseActive(id: string, active: boolean): Promise<CourseRow> {
    const [rows] = await this.db.query(`UPDATE course SET active = $2 WHERE id = $1 RETURNING ${COURSE}`, [id, active]);
    return rows[0];
  }

  async sessionsByIds(ids: readonly string[], forUpdate = false): Promise<SessionRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${SESSION} FROM training_session WHERE id = ANY($1::uuid[]) AND ${visibleRunnerCondition('region_path', this.scopePath, params)}${forUpdate ? ' FOR UPDATE' : ''}`,
      params,
    );
  }

  /** Sessions of many courses, by start date, one statement; `from` keeps only those starting on or after it. */
  async sessionsOfCourses(courseIds: readonly string[], from: string | null): Promise<SessionRow[]> {
    const params: unknown[] = [onlyUuids(courseIds), from];
    return this.db.query(
      `SELECT ${SESSION} FROM training_session
        WHERE course_id = ANY($1::uuid[]) AND ($2::date IS NULL OR starts_on >= $2::date)
          AND ${visibleRunnerCondition('region_path', this.scopePath, params)}
        ORDER BY starts_on, id`,
      params,
    );
  }

  async insertSession(row: Omit<SessionRow, 'head_count'>): Promise<SessionRow> {
    const [saved] = await this.db.query(
      `INSERT INTO training_session (id, course_id, starts_on, ends_on, place, online, mode, capacity, trainer, region_code, region_path, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${SESSION}`,
      [row.id, row.course_id, row.starts_on, row.ends_on, row.place, row.online, row.mode, row.capacity, row.trainer, row.region_code, row.region_path, row.created_by, row.created_at],
    );
    return saved;
  }

  async setHeadCount(id: string, headCount: number): Promise<SessionRow> {
    const [rows] = await this.db.query(`UPDATE training_session SET head_count = $2 WHERE id = $1 RETURNING ${SESSION}`, [id, headCount]);
    return rows[0];
  }
}
