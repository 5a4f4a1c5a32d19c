import type { EntityManager } from 'typeorm';
import { scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { CourseType } from '../domain/course.rules';

export interface UnitCoverageRow {
  org_unit_id: string;
  region_path: string;
  secretaries: number;
  secretaries_trained: number;
  reserves: number;
  reserves_trained: number;
  new_members: number;
  new_members_onboarded: number;
  checklists: number;
  checklists_completed: number;
}

export interface ParticipantsRow {
  type: CourseType;
  sessions: number;
  participants: number;
}

/**
 * The coverage report's two statements. Figures per unit come from training's own tables and its
 * two projections (seat_fact: the secretaries; training_record.reserve: the reserves):
 * - a secretary or reserve is trained when they completed, on or after `since`, a course whose
 *   audiences include SECRETARIES or RESERVES;
 * - a new member is onboarded when the onboarding of a seat that began on or after `since` has a
 *   COMPLETED enrolment;
 * - a committee's checklist counts when its term began on or after `since`.
 */
export class CoverageReportStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byUnit(regionPath: string, since: string): Promise<UnitCoverageRow[]> {
    const params: unknown[] = [regionPath, since];
    const within = (col: string) => `($1::text = '' OR ${subtreeCondition(col, '$1::text')}) AND ${scopeCondition(col, this.scopePath, params)}`;
    const trained = (personCol: string, audience: string) =>
      `EXISTS (SELECT 1 FROM enrolment e JOIN course c ON c.id = e.course_id
                WHERE e.person_id = ${personCol} AND e.status = 'COMPLETED' AND e.completed_on >= $2::date AND '${audience}' = ANY(c.audiences))`;
    return this.db.query(
      `WITH item AS (
         SELECT s.org_unit_id, s.region_path, 'S' AS kind, ${trained('s.person_id', 'SECRETARIES')} AS done
           FROM (SELECT DISTINCT person_id, org_unit_id, region_path FROM seat_fact
                  WHERE role = 'SECRETARY' AND ends_on IS NULL AND ${within('region_path')}) s
         UNION ALL
         SELECT r.org_unit_id, r.region_path, 'R', ${trained('r.person_id', 'RESERVES')}
           FROM training_record r WHERE r.reserve AND ${within('r.region_path')}
         UNION ALL
         SELECT o.org_unit_id, o.region_path, 'O', coalesce(en.status = 'COMPLETED', false)
           FROM onboarding o LEFT JOIN enrolment en ON en.id = o.enrolment_id
          WHERE o.starts_on >= $2::date AND ${within('o.region_path')}
         UNION ALL
         SELECT k.org_unit_id, k.region_path, 'C', k.completed_on IS NOT NULL
           FROM onboarding_checklist k WHERE k.term_starts_on >= $2::date AND ${within('k.region_path')}
       )
       SELECT org_unit_id, min(region_path) AS region_path,
              count(*) FILTER (WHERE kind = 'S')::int AS secretaries,
              count(*) FILTER (WHERE kind = 'S' AND done)::int AS secretaries_trained,
              count(*) FILTER (WHERE kind = 'R')::int AS reserves,
              count(*) FILTER (WHERE kind = 'R' AND done)::int AS reserves_trained,
              count(*) FILTER (WHERE kind = 'O')::int AS new_members,
              count(*) FILTER (WHERE kind = 'O' AND done)::int AS new_members_onboarded,
              count(*) FILTER (WHERE kind = 'C')::int AS checklists,
              count(*) FILTER (WHERE kind = 'C' AND done)::int AS checklists_completed
         FROM item GROUP BY org_unit_id ORDER BY 2, 1`,
      params,
    );
  }

  /**
   * 参训人次 by course type: sessions held in the region since `since`; a roll counts those marked
   * PRESENT, a large event its head count.
   */
  async participants(regionPath: string, since: string): Promise<ParticipantsRow[]> {
    const params: unknown[] = [regionPath, since];
    return this.db.query(
      `SELECT c.type, count(*)::int AS sessions,
              coalesce(sum(CASE WHEN s.mode = 'HEAD_COUNT' THEN coalesce(s.head_count, 0) ELSE p.present END), 0)::int AS participants
         FROM training_session s
         JOIN course c ON c.id = s.course_id
         LEFT JOIN LATERAL (SELECT count(*)::int AS present FROM enrolment e WHERE e.session_id = s.id AND e.attendance = 'PRESENT') p ON true
        WHERE s.starts_on >= $2::date
          AND ($1::text = '' OR ${subtreeCondition('s.region_path', '$1::text')})
          AND ${scopeCondition('s.region_path', this.scopePath, params)}
        GROUP BY c.type ORDER BY c.type`,
      params,
    );
  }
}
