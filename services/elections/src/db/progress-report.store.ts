import type { EntityManager } from 'typeorm';
import { scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { CommitteeKind, WorkflowTemplate } from '../domain/workflow-templates.data';

/** One row of the report: a child region, or (is_total) the asked region as a whole. */
export interface ProgressReportRow {
  /** The child region's 12-digit code; null on the total row. */
  region_code: string | null;
  is_total: boolean;
  units: number;
  done_units: number;
  in_progress_units: number;
  not_started_units: number;
  blocked_units: number;
  steps_total: number;
  steps_done: number;
  steps_today: number;
  units_done_today: number;
  /** Steps done ÷ steps total in basis points, rounded down; and the same at the end of yesterday. */
  bp: number;
  bp_yesterday: number;
  /** rank() by bp among the child regions (ties share a rank); null on the total row. */
  rank: number | null;
  rank_yesterday: number | null;
  /** False when the cycle is absent or neither within nor covering the caller's scope. */
  cycle_found: boolean;
}

export interface ProgressReportQuery {
  cycleId: string;
  regionPath: string;
  /** Digits of the code naming a child region; null when the region has no child level. */
  childCodeLength: number | null;
  committeeKind: CommitteeKind | null;
  /** Midnight that began today in Asia/Shanghai: completions from then on count as today's. */
  todayStartsAt: Date;
  templates: readonly WorkflowTemplate[];
}

/**
 * 换届进度报表 in ONE statement, whatever the size of the region: Chengdu's 3,039 units × 51
 * steps are counted by PostgreSQL, not fetched. The steps of each transition are counted (all,
 * and those done today), summed per unit (its Party committee plus its villagers'/residents'
 * committee, or the one committee asked for), the units classified and summed per child region
 * and for the whole region (GROUPING SETS), and the child regions ranked with rank().
 *
 * A unit is DONE when every step of its transitions is done; otherwise BLOCKED when one of them
 * is held; otherwise NOT_STARTED with no step done, IN_PROGRESS else — transitionProgress
 * (domain/workflow.rules.ts) over all of the unit's steps. "Since yesterday" needs no snapshot:
 * yesterday's figures are today's without the steps completed since midnight in Shanghai.
 */
export class ProgressReportStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async report(q: ProgressReportQuery): Promise<ProgressReportRow[]> {
    const params: unknown[] = [
      q.cycleId,
      q.regionPath,
      q.committeeKind,
      q.todayStartsAt,
      q.templates.map((t) => t.code),
      q.templates.map((t) => t.steps.length),
    ];
    const child = q.childCodeLength === null ? 'NULL::text' : `rpad(left(t.org_unit_code, ${Number(q.childCodeLength)}), 12, '0')`;
    const sets = q.childCodeLength === null ? '()' : '(child), ()';
    const scope = scopeCondition('t.region_path', this.scopePath, params);
    const cycleScope = visibleCycle('c.region_path', this.scopePath, params);
    return this.db.query(
      `WITH tr AS (
         SELECT t.id, t.org_unit_id, ${child} AS child, tpl.total, t.blocked_reason IS NOT NULL AS blocked
           FROM transition t
           JOIN unnest($5::text[], $6::int[]) AS tpl(code, total) ON tpl.code = t.template_code
          WHERE t.cycle_id = $1::uuid
            AND ${subtreeCondition('t.region_path', '$2::text')}
            AND ($3::text IS NULL OR t.committee_kind = $3::text)
            AND ${scope}
       ), st AS (
         SELECT s.transition_id, count(*) AS done, count(*) FILTER (WHERE s.completed_at >= $4::timestamptz) AS today
           FROM transition_step s JOIN tr ON tr.id = s.transition_id
          GROUP BY s.transition_id
       ), unit AS (
         SELECT tr.child, tr.org_unit_id, sum(tr.total) AS total,
                coalesce(sum(st.done), 0) AS done, coalesce(sum(st.today), 0) AS today, bool_or(tr.blocked) AS blocked
           FROM tr LEFT JOIN st ON st.transition_id = tr.id
          GROUP BY tr.child, tr.org_unit_id
       ), region AS (
         SELECT child, GROUPING(child) = 1 AS is_total,
                count(*) AS units,
                count(*) FILTER (WHERE done = total) AS done_units,
                count(*) FILTER (WHERE done < total AND blocked) AS blocked_units,
                count(*) FILTER (WHERE done = 0 AND NOT blocked) AS not_started_units,
                count(*) FILTER (WHERE done > 0 AND done < total AND NOT blocked) AS in_progress_units,
                -- bigint, not sum()'s numeric: the basis points below are integer division, rounded down.
                coalesce(sum(total), 0)::bigint AS steps_total, coalesce(sum(done), 0)::bigint AS steps_done,
                coalesce(sum(today), 0)::bigint AS steps_today,
                count(*) FILTER (WHERE done = total AND today > 0) AS units_done_today
           FROM unit
          GROUP BY GROUPING SETS (${sets})
       ), scored AS (
         SELECT region.*,
                CASE WHEN steps_total > 0 THEN steps_done * 10000 / steps_total ELSE 0 END AS bp,
                CASE WHEN steps_total > 0 THEN (steps_done - steps_today) * 10000 / steps_total ELSE 0 END AS bp_yesterday
           FROM region
       )
       SELECT child AS region_code, is_total,
              units::int, done_units::int, in_progress_units::int, not_started_units::int, blocked_units::int,
              steps_total::int, steps_done::int, steps_today::int, units_done_today::int, bp::int, bp_yesterday::int,
              CASE WHEN NOT is_total THEN (rank() OVER (PARTITION BY is_total ORDER BY bp DESC))::int END AS rank,
              CASE WHEN NOT is_total THEN (rank() OVER (PARTITION BY is_total ORDER BY bp_yesterday DESC))::int END AS rank_yesterday,
              EXISTS (SELECT 1 FROM election_cycle c WHERE c.id = $1::uuid AND ${cycleScope}) AS cycle_found
         FROM scored
        ORDER BY is_total DESC, bp DESC, child`,
      params,
    );
  }
}

/** A cycle is visible when it lies within the scope or covers it (as ElectionCycleStore has it). */
function visibleCycle(column: string, scopePath: string, params: unknown[]): string {
  if (scopePath === '') return 'TRUE';
  params.push(scopePath);
  const scope = `$${params.length}::text`;
  return `(${subtreeCondition(column, scope)} OR ${column} = '' OR ${scope} LIKE ${column} || '.%')`;
}
