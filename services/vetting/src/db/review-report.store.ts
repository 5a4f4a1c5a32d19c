import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import { requirementTable } from '../domain/negative-lists.data';
import type { ReviewRow } from './review.store';

/** Which reviews a report or list covers: a region subtree, a period of opening (Shanghai days), some elections. */
export interface ReviewSelection {
  regionPath: string;
  /** yyyy-mm-dd inclusive, Asia/Shanghai. */
  openedFrom?: string | null;
  openedTo?: string | null;
  electionIds?: readonly string[] | null;
}

export interface ReportTotals {
  reviewed: number;
  open: number;
  reopened: number;
  cleared: number;
  disqualified: number;
  by_item: { code: string; count: number }[];
}

export interface DepartmentFiguresRow {
  department: string;
  opinions: number;
  clear: number;
  concern: number;
  bar: number;
  disqualifications_cited: number;
  pending: number;
  overdue: number;
}

/** The reviews selected, as a SQL condition on `review r`, pushing its parameters. */
function selectionCondition(s: ReviewSelection, params: unknown[]): string {
  const parts = [scopeCondition('r.region_path', s.regionPath, params)];
  // Days are Asia/Shanghai days: a review opened at 23:30 on the 31st in Beijing belongs to the 31st.
  if (s.openedFrom) {
    params.push(s.openedFrom);
    parts.push(`r.opened_at >= ($${params.length}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  }
  if (s.openedTo) {
    params.push(s.openedTo);
    parts.push(`r.opened_at < (($${params.length}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  }
  if (s.electionIds) {
    params.push(onlyUuids(s.electionIds));
    parts.push(`r.election_id = ANY($${params.length}::uuid[])`);
  }
  return parts.join(' AND ');
}

/** The policies' (policy, level, department, deadline) table as a SQL relation `q`, from one JSON parameter. */
function requirements(params: unknown[]): string {
  params.push(JSON.stringify(requirementTable()));
  return `jsonb_to_recordset($${params.length}::jsonb) AS q(policy_id text, level text, department text, deadline_days int)`;
}

/** The reviews' region scope is applied by the caller: `selection.regionPath` is already within it. */
export class ReviewReportStore {
  constructor(private readonly db: EntityManager) {}

  /** Counts by status and disqualifications by item, in one statement. */
  async totals(selection: ReviewSelection): Promise<ReportTotals> {
    const params: unknown[] = [];
    const where = selectionCondition(selection, params);
    const [row] = await this.db.query(
      `WITH r AS (SELECT r.status, r.negative_list_codes FROM review r WHERE ${where})
       SELECT (SELECT count(*) FROM r)::int AS reviewed,
              (SELECT count(*) FROM r WHERE status IN ('OPEN', 'REOPENED'))::int AS open,
              (SELECT count(*) FROM r WHERE status = 'REOPENED')::int AS reopened,
              (SELECT count(*) FROM r WHERE status = 'CLEARED')::int AS cleared,
              (SELECT count(*) FROM r WHERE status = 'DISQUALIFIED')::int AS disqualified,
              (SELECT coalesce(jsonb_agg(jsonb_build_object('code', code, 'count', n) ORDER BY n DESC, code), '[]'::jsonb)
                 FROM (SELECT code, count(*)::int AS n FROM r, unnest(r.negative_list_codes) AS code WHERE r.status = 'DISQUALIFIED' GROUP BY code) x) AS by_item`,
      params,
    );
    return row as ReportTotals;
  }

  /**
   * Per department, in one statement: the current opinions (of each review's current round) by
   * decision, the disqualifications citing its opinion, and the open reviews whose current level
   * waits for it — overdue when `today` is past the level's deadline.
   */
  async departments(selection: ReviewSelection, today: string): Promise<DepartmentFiguresRow[]> {
    const params: unknown[] = [];
    const where = selectionCondition(selection, params);
    const req = requirements(params);
    params.push(today);
    const todayParam = `$${params.length}::date`;
    return this.db.query(
      `WITH r AS (SELECT r.id, r.status, r.policy_id, r.level, r.round, r.level_entered_at, r.conclusion FROM review r WHERE ${where}),
            cur AS (SELECT o.id, o.review_id, o.level, o.department, o.decision FROM department_opinion o JOIN r ON r.id = o.review_id AND o.round = r.round
                     WHERE o.superseded_by IS NULL),
            given AS (SELECT department, count(*)::int AS opinions, count(*) FILTER (WHERE decision = 'CLEAR')::int AS clear,
                             count(*) FILTER (WHERE decision = 'CONCERN')::int AS concern, count(*) FILTER (WHERE decision = 'BAR')::int AS bar
                        FROM cur GROUP BY department),
            cited AS (SELECT o.department, count(DISTINCT r.id)::int AS disqualifications_cited
                        FROM r JOIN department_opinion o ON o.review_id = r.id
                       WHERE r.status = 'DISQUALIFIED' AND (r.conclusion -> 'opinionIds') ? o.id::text GROUP BY o.department),
            waiting AS (SELECT q.department, count(*)::int AS pending,
                               count(*) FILTER (WHERE ${todayParam} > (r.level_entered_at AT TIME ZONE 'Asia/Shanghai')::date + q.deadline_days)::int AS overdue
                          FROM r JOIN ${req} ON q.policy_id = r.policy_id AND q.level = r.level
                         WHERE r.status IN ('OPEN', 'REOPENED')
                           AND NOT EXISTS (SELECT 1 FROM cur c WHERE c.review_id = r.id AND c.level = r.level AND c.department = q.department)
                         GROUP BY q.department)
       SELECT d.department, coalesce(g.opinions, 0) AS opinions, coalesce(g.clear, 0) AS clear, coalesce(g.concern, 0) AS concern, coalesce(g.bar, 0) AS bar,
              coalesce(c.disqualifications_cited, 0) AS disqualifications_cited, coalesce(w.pending, 0) AS pending, coalesce(w.overdue, 0) AS overdue
         FROM (SELECT department FROM given UNION SELECT department FROM cited UNION SELECT department FROM waiting) d
         LEFT JOIN given g USING (department) LEFT JOIN cited c USING (department) LEFT JOIN waiting w USING (department)
        ORDER BY d.department`,
      params,
    );
  }

  /**
   * A page of reviews, oldest first (opened_at, id), `limit` + 1 rows. With `awaitingDepartment`:
   * only open reviews whose current level requires that department and has no current opinion
   * from it (with `overdueOnly`, past the deadline on `today`).
   */
  async page(
    selection: ReviewSelection & { status?: string | null; awaitingDepartment?: string | null; overdueOnly?: boolean; today: string },
    limit: number,
    after: { openedAt: string; id: string } | null,
  ): Promise<ReviewRow[]> {
    const params: unknown[] = [];
    const parts = [selectionCondition(selection, params)];
    if (selection.status) {
      params.push(selection.status);
      parts.push(`r.status = $${params.length}`);
    }
    if (selection.awaitingDepartment) {
      params.push(selection.awaitingDepartment);
      const dept = `$${params.length}`;
      const req = requirements(params);
      params.push(selection.today);
      const overdue = selection.overdueOnly ? `AND $${params.length}::date > (r.level_entered_at AT TIME ZONE 'Asia/Shanghai')::date + q.deadline_days` : '';
      parts.push(
        `r.status IN ('OPEN', 'REOPENED')
         AND EXISTS (SELECT 1 FROM ${req} WHERE q.policy_id = r.policy_id AND q.level = r.level AND q.department = ${dept} ${overdue})
         AND NOT EXISTS (SELECT 1 FROM department_opinion o WHERE o.review_id = r.id AND o.round = r.round AND o.level = r.level
                            AND o.department = ${dept} AND o.superseded_by IS NULL)`,
      );
    }
    if (after) {
      params.push(after.openedAt, after.id);
      parts.push(`(r.opened_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    return this.db.query(
      `SELECT r.id, r.candidate_id, r.election_id, r.person_id, r.org_unit_id, r.region_path, r.status, r.opened_at, r.concluded_at,
              r.negative_list_codes, r.policy_id, r.level, r.level_entered_at, r.round, r.opened_by, r.conclusion
         FROM review r WHERE ${parts.join(' AND ')} ORDER BY r.opened_at, r.id LIMIT $${params.length}`,
      params,
    );
  }
}
