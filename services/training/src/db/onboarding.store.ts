import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import { CHECKLIST_TASK_CODES } from '../domain/checklist.rules';

export interface OnboardingRow {
  id: string;
  person_id: string;
  position_id: string;
  term_id: string;
  committee_id: string;
  org_unit_id: string;
  region_path: string;
  role: string;
  starts_on: string;
  enrolment_id: string | null;
  created_at: Date;
}

export interface ChecklistRow {
  id: string;
  committee_id: string;
  term_id: string;
  committee_kind: string;
  org_unit_id: string;
  region_path: string;
  term_starts_on: string;
  created_at: Date;
  completed_on: string | null;
}

export interface TaskRow {
  checklist_id: string;
  task: string;
  evidence_note: string | null;
  completed_on: string | null;
  recorded_by: string | null;
  recorded_at: Date | null;
}

const ONBOARDING = `id, person_id, position_id, term_id, committee_id, org_unit_id, region_path, role, starts_on::text AS starts_on, enrolment_id, created_at`;
const CHECKLIST = `id, committee_id, term_id, committee_kind, org_unit_id, region_path, term_starts_on::text AS term_starts_on, created_at, completed_on::text AS completed_on`;
const TASK = `checklist_id, task, evidence_note, completed_on::text AS completed_on, recorded_by, recorded_at`;

/** New members' onboarding and the committees' 十个一 checklists, within the caller's scope. */
export class OnboardingStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  /** Inserts the onboarding of a seat's holder; null when the person already has one for this term (a redelivery, or the same person twice). */
  async insertOnboarding(row: OnboardingRow): Promise<OnboardingRow | null> {
    const rows: OnboardingRow[] = await this.db.query(
      `INSERT INTO onboarding (id, person_id, position_id, term_id, committee_id, org_unit_id, region_path, role, starts_on, enrolment_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (person_id, term_id) DO NOTHING RETURNING ${ONBOARDING}`,
      [row.id, row.person_id, row.position_id, row.term_id, row.committee_id, row.org_unit_id, row.region_path, row.role, row.starts_on, row.enrolment_id, row.created_at],
    );
    return rows[0] ?? null;
  }

  /** Onboardings still waiting for a course under a region (those a new onboarding course takes), locked. */
  async pendingUnder(regionPath: string): Promise<OnboardingRow[]> {
    return this.db.query(
      `SELECT ${ONBOARDING} FROM onboarding
        WHERE enrolment_id IS NULL AND ($1::text = '' OR region_path = $1 OR (region_path ~>=~ ($1 || '.') AND region_path ~<~ ($1 || '/')))
        ORDER BY seq FOR UPDATE`,
      [regionPath],
    );
  }

  /**
   * Enrols the holders of these onboardings in the course, in three statements however many: one
   * enrolment (AWAITING_SESSION) per person, unless the person already has an open one in the
   * course, or completed it since their seat began (一肩挑: the secretary who is also director is
   * onboarded once); then each onboarding is linked to its person's enrolment. Returns the
   * enrolments created.
   */
  async enrolOnboardings(
    onboardings: readonly OnboardingRow[],
    courseId: string,
    newId: () => string,
    by: string,
    at: Date,
  ): Promise<{ id: string; person_id: string; region_path: string }[]> {
    if (onboardings.length === 0) return [];
    const first = new Map<string, OnboardingRow>();
    for (const o of onboardings) if (!first.has(o.person_id)) first.set(o.person_id, o);
    const people = [...first.values()];
    const created: { id: string; person_id: string; region_path: string }[] = await this.db.query(
      `INSERT INTO enrolment (id, course_id, person_id, org_unit_id, region_path, status, origin, enrolled_by, enrolled_at, updated_at)
       SELECT n.id, $6, n.person_id, n.org_unit_id, n.region_path, 'AWAITING_SESSION', 'ONBOARDING', $7, $8, $8
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::date[]) AS n(id, person_id, org_unit_id, region_path, starts_on)
        WHERE NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = n.person_id AND e.course_id = $6 AND e.status = 'COMPLETED' AND e.completed_on >= n.starts_on)
       ON CONFLICT (person_id, course_id) WHERE status IN ('AWAITING_SESSION', 'ENROLLED', 'WAITLISTED') DO NOTHING
       RETURNING id, person_id, region_path`,
      [people.map(() => newId()), people.map((o) => o.person_id), people.map((o) => o.org_unit_id), people.map((o) => o.region_path), people.map((o) => o.starts_on), courseId, by, at],
    );
    await this.db.query(
      `UPDATE onboarding o SET enrolment_id = (
          SELECT e.id FROM enrolment e
           WHERE e.person_id = o.person_id AND e.course_id = $2
             AND (e.status IN ('AWAITING_SESSION', 'ENROLLED', 'WAITLISTED') OR (e.status = 'COMPLETED' AND e.completed_on >= o.starts_on))
           ORDER BY e.seq DESC LIMIT 1)
        WHERE o.id = ANY($1::uuid[])`,
      [onboardings.map((o) => o.id), courseId],
    );
    return created;
  }

  /**
   * A person enrolled by hand in an onboarding course: their onboardings that wait for a course, or
   * whose enrolment in this course was cancelled or not completed, follow the new enrolment.
   */
  async relinkToEnrolment(personId: string, courseId: string, enrolmentId: string): Promise<void> {
    await this.db.query(
      `UPDATE onboarding o SET enrolment_id = $3
        WHERE o.person_id = $1
          AND (o.enrolment_id IS NULL
               OR EXISTS (SELECT 1 FROM enrolment e WHERE e.id = o.enrolment_id AND e.course_id = $2 AND e.status IN ('CANCELLED', 'NOT_COMPLETED')))`,
      [personId, courseId, enrolmentId],
    );
  }

  /** Whether an enrolment onboards someone (TrainingCompleted says so). */
  async onboards(enrolmentId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM onboarding WHERE enrolment_id = $1 LIMIT 1`, [enrolmentId]);
    return rows.length > 0;
  }

  async onboardingsByIds(ids: readonly string[]): Promise<OnboardingRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${ONBOARDING} FROM onboarding WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`, params);
  }

  /** Onboardings of many people, newest term first. */
  async onboardingsOfPeople(personIds: readonly string[]): Promise<OnboardingRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${ONBOARDING} FROM onboarding WHERE person_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY starts_on DESC, seq DESC`,
      params,
    );
  }

  /** Onboardings of many terms (the members of each new committee). */
  async onboardingsOfTerms(termIds: readonly string[]): Promise<OnboardingRow[]> {
    const params: unknown[] = [onlyUuids(termIds)];
    return this.db.query(
      `SELECT ${ONBOARDING} FROM onboarding WHERE term_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY seq`,
      params,
    );
  }

  /** A term's checklist with its ten tasks, once per term however often TermStarted arrives. */
  async insertChecklist(row: Omit<ChecklistRow, 'completed_on'>): Promise<ChecklistRow | null> {
    const rows: ChecklistRow[] = await this.db.query(
      `INSERT INTO onboarding_checklist (id, committee_id, term_id, committee_kind, org_unit_id, region_path, term_starts_on, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (term_id) DO NOTHING RETURNING ${CHECKLIST}`,
      [row.id, row.committee_id, row.term_id, row.committee_kind, row.org_unit_id, row.region_path, row.term_starts_on, row.created_at],
    );
    if (rows.length === 0) return null;
    await this.db.query(`INSERT INTO checklist_task (checklist_id, task) SELECT $1, unnest($2::text[])`, [row.id, CHECKLIST_TASK_CODES]);
    return rows[0]!;
  }

  async checklistsByIds(ids: readonly string[], forUpdate = false): Promise<ChecklistRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${CHECKLIST} FROM onboarding_checklist WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}${forUpdate ? ' FOR UPDATE' : ''}`,
      params,
    );
  }

  /** The checklists of many terms. */
  async checklistsOfTerms(termIds: readonly string[]): Promise<ChecklistRow[]> {
    const params: unknown[] = [onlyUuids(termIds)];
    return this.db.query(`SELECT ${CHECKLIST} FROM onboarding_checklist WHERE term_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`, params);
  }

  /** The latest term's checklist of many committees. */
  async latestChecklistsOfCommittees(committeeIds: readonly string[]): Promise<ChecklistRow[]> {
    const params: unknown[] = [onlyUuids(committeeIds)];
    return this.db.query(
      `SELECT DISTINCT ON (committee_id) ${CHECKLIST} FROM onboarding_checklist
        WHERE committee_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY committee_id, term_starts_on DESC, created_at DESC`,
      params,
    );
  }

  /** The tasks of many checklists, in the checklist's order. */
  async tasksOf(checklistIds: readonly string[]): Promise<TaskRow[]> {
    return this.db.query(
      `SELECT ${TASK} FROM checklist_task WHERE checklist_id = ANY($1::uuid[]) ORDER BY checklist_id, array_position($2::text[], task)`,
      [onlyUuids(checklistIds), CHECKLIST_TASK_CODES],
    );
  }

  async setTask(checklistId: string, task: string, note: string, completedOn: string, by: string, at: Date): Promise<TaskRow> {
    const [rows] = await this.db.query(
      `UPDATE checklist_task SET evidence_note = $3, completed_on = $4, recorded_by = $5, recorded_at = $6 WHERE checklist_id = $1 AND task = $2 RETURNING ${TASK}`,
      [checklistId, task, note, completedOn, by, at],
    );
    return rows[0];
  }

  async completeChecklist(id: string, on: string): Promise<void> {
    await this.db.query(`UPDATE onboarding_checklist SET completed_on = $2 WHERE id = $1`, [id, on]);
  }
}
