import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import type { PlannedTransition } from '../domain/transition.rules';
import type { CommitteeKind } from '../domain/workflow-templates.data';

export interface TransitionRow {
  id: string;
  cycle_id: string;
  org_unit_id: string;
  org_unit_code: string;
  region_path: string;
  committee_kind: CommitteeKind;
  template_code: string;
  blocked_reason: string | null;
  blocked_since: Date | null;
  created_at: Date;
}

export interface TransitionStepRow {
  transition_id: string;
  step_code: string;
  completed_by: string;
  completed_at: Date;
  note: string | null;
  recorded_by: string;
  recorded_at: Date;
}

const COLUMNS = (t: string) =>
  `${t}.id, ${t}.cycle_id, ${t}.org_unit_id, ${t}.org_unit_code, ${t}.region_path, ${t}.committee_kind, ${t}.template_code, ` +
  `${t}.blocked_reason, ${t}.blocked_since, ${t}.created_at`;

/** Newest cycle first, then the Party committee before the villagers'/residents' committee. */
const ORDER = (t: string) => `${t}.cycle_id, ${t}.created_at DESC, CASE ${t}.committee_kind WHEN 'PARTY' THEN 0 ELSE 1 END`;

/**
 * Transitions (换届进度 of one unit's committee) and their completed steps, always within the
 * caller's region scope: rows outside it are absent, whatever the resolver asks for.
 */
export class TransitionStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<TransitionRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${COLUMNS('t')} FROM transition t WHERE t.id = ANY($1::uuid[]) AND ${scopeCondition('t.region_path', this.scopePath, params)}`,
      params,
    );
  }

  /** The transitions of many units (by id), optionally of one cycle, in one statement. */
  async byOrgUnitIds(unitIds: readonly string[], cycleId: string | null): Promise<TransitionRow[]> {
    const params: unknown[] = [onlyUuids(unitIds)];
    const cycle = cycleId === null ? 'TRUE' : `t.cycle_id = $${params.push(onlyUuids([cycleId])[0] ?? null)}::uuid`;
    return this.db.query(
      `SELECT ${COLUMNS('t')} FROM transition t
        WHERE t.org_unit_id = ANY($1::uuid[]) AND ${cycle} AND ${scopeCondition('t.region_path', this.scopePath, params)}
        ORDER BY ${ORDER('t')}`,
      params,
    );
  }

  /** The same by 行政区划代码, for an OrgUnit known only by its code (a report row's region). */
  async byOrgUnitCodes(codes: readonly string[], cycleId: string | null): Promise<TransitionRow[]> {
    const params: unknown[] = [codes.filter((c) => /^\d{12}$/.test(c))];
    const cycle = cycleId === null ? 'TRUE' : `t.cycle_id = $${params.push(onlyUuids([cycleId])[0] ?? null)}::uuid`;
    return this.db.query(
      `SELECT ${COLUMNS('t')} FROM transition t
        WHERE t.org_unit_code = ANY($1::bpchar[]) AND ${cycle} AND ${scopeCondition('t.region_path', this.scopePath, params)}
        ORDER BY ${ORDER('t')}`,
      params,
    );
  }

  /** Completed steps of many transitions in one statement, in the order they were done. */
  async stepsOf(transitionIds: readonly string[]): Promise<TransitionStepRow[]> {
    const params: unknown[] = [onlyUuids(transitionIds)];
    return this.db.query(
      `SELECT s.transition_id, s.step_code, s.completed_by, s.completed_at, s.note, s.recorded_by, s.recorded_at
         FROM transition_step s JOIN transition t ON t.id = s.transition_id
        WHERE s.transition_id = ANY($1::uuid[]) AND ${scopeCondition('t.region_path', this.scopePath, params)}
        ORDER BY s.transition_id, s.completed_at, s.step_code`,
      params,
    );
  }

  /**
   * The transition and the codes of its done steps, the row locked FOR UPDATE until the
   * transaction ends: two completions of the same transition are checked one after the other.
   * Two statements on purpose: the steps are read after the lock is granted, so they include what
   * a completion that held the lock before has committed (a subquery in the locking statement
   * would still see the snapshot taken before the wait). Undefined when absent or outside the scope.
   */
  async lockWithSteps(id: string): Promise<{ row: TransitionRow; done: string[] } | undefined> {
    if (onlyUuids([id]).length === 0) return undefined;
    const params: unknown[] = [id];
    const [row]: TransitionRow[] = await this.db.query(
      `SELECT ${COLUMNS('t')} FROM transition t
        WHERE t.id = $1::uuid AND ${scopeCondition('t.region_path', this.scopePath, params)}
          FOR UPDATE`,
      params,
    );
    if (!row) return undefined;
    const steps: { step_code: string }[] = await this.db.query(`SELECT step_code FROM transition_step WHERE transition_id = $1 ORDER BY step_code`, [id]);
    return { row, done: steps.map((s) => s.step_code) };
  }

  /**
   * Opens many transitions in one statement (INSERT … SELECT FROM unnest). One already open for
   * the same cycle, unit and committee is left as it is; the rows actually inserted come back.
   */
  async insertMany(cycleId: string, ids: readonly string[], planned: readonly PlannedTransition[]): Promise<TransitionRow[]> {
    return this.db.query(
      `INSERT INTO transition AS t (id, cycle_id, org_unit_id, org_unit_code, region_path, committee_kind, template_code)
       SELECT u.id, $1::uuid, u.org_unit_id, u.org_unit_code, u.region_path, u.committee_kind, u.template_code
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS u(id, org_unit_id, org_unit_code, region_path, committee_kind, template_code)
       ON CONFLICT (cycle_id, org_unit_id, committee_kind) DO NOTHING
       RETURNING ${COLUMNS('t')}`,
      [
        cycleId,
        ids,
        planned.map((p) => p.orgUnitId),
        planned.map((p) => p.orgUnitCode),
        planned.map((p) => p.regionPath),
        planned.map((p) => p.committeeKind),
        planned.map((p) => p.templateCode),
      ],
    );
  }

  async insertStep(step: Omit<TransitionStepRow, 'recorded_at'>): Promise<TransitionStepRow> {
    const [row]: TransitionStepRow[] = await this.db.query(
      `INSERT INTO transition_step (transition_id, step_code, completed_by, completed_at, note, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING transition_id, step_code, completed_by, completed_at, note, recorded_by, recorded_at`,
      [step.transition_id, step.step_code, step.completed_by, step.completed_at, step.note, step.recorded_by],
    );
    return row!;
  }

  /** Sets or lifts the hold; blocked_since is kept when only the reason changes. */
  async setBlocked(id: string, reason: string | null, now: Date): Promise<TransitionRow> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[row]]: [TransitionRow[], number] = await this.db.query(
      `UPDATE transition AS t
          SET blocked_reason = $2::text,
              blocked_since = CASE WHEN $2::text IS NULL THEN NULL ELSE coalesce(t.blocked_since, $3::timestamptz) END
        WHERE t.id = $1::uuid
       RETURNING ${COLUMNS('t')}`,
      [id, reason, now],
    );
    return row!;
  }
}
