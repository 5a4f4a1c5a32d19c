import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import type { Attendance, EnrolmentStatus } from '../domain/enrolment.rules';

export interface EnrolmentRow {
  id: string;
  seq: number;
  course_id: string;
  session_id: string | null;
  person_id: string;
  org_unit_id: string;
  region_path: string;
  status: EnrolmentStatus;
  origin: 'MANUAL' | 'ONBOARDING';
  waitlisted_at: Date | null;
  attendance: Attendance | null;
  score: number | null;
  certificate_no: string | null;
  completed_on: string | null;
  enrolled_by: string;
  enrolled_at: Date;
  updated_at: Date;
}

export const ENROLMENT = `id, seq::int AS seq, course_id, session_id, person_id, org_unit_id, region_path, status, origin, waitlisted_at, attendance,
  score::float8 AS score, certificate_no, completed_on::text AS completed_on, enrolled_by, enrolled_at, updated_at`;

/** Enrolments, read within the caller's scope by the person's unit (region_path). */
export class EnrolmentStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[], forUpdate = false): Promise<EnrolmentRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${ENROLMENT} FROM enrolment WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY seq${forUpdate ? ' FOR UPDATE' : ''}`,
      params,
    );
  }

  /** A person's enrolments, newest first, for many people in one statement. */
  async ofPeople(personIds: readonly string[]): Promise<EnrolmentRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${ENROLMENT} FROM enrolment WHERE person_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY enrolled_at DESC, seq DESC`,
      params,
    );
  }

  /**
   * A page of the enrolments of many sessions in one statement: seated first (in enrolment order),
   * then the waiting list in its order, then the concluded and cancelled. The sort key is
   * `<rank>|<seq>`, zero-padded, so the cursor is that key.
   */
  async ofSessions(sessionIds: readonly string[], limit: number, after: string | null): Promise<(EnrolmentRow & { sort_key: string })[]> {
    const params: unknown[] = [onlyUuids(sessionIds), after, limit + 1];
    return this.db.query(
      `SELECT * FROM (
         SELECT e.*, row_number() OVER (PARTITION BY e.session_id ORDER BY e.sort_key) AS n
           FROM (SELECT ${ENROLMENT},
                        (CASE status WHEN 'ENROLLED' THEN '1' WHEN 'COMPLETED' THEN '1' WHEN 'NOT_COMPLETED' THEN '1' WHEN 'WAITLISTED' THEN '2' ELSE '3' END)
                          || '|' || lpad(seq::text, 19, '0') AS sort_key
                   FROM enrolment
                  WHERE session_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}) e
          WHERE $2::text IS NULL OR e.sort_key > $2
       ) page WHERE n <= $3 ORDER BY session_id, sort_key`,
      params,
    );
  }

  /** Seated, waiting and present counts of many sessions, one statement. */
  async countsOfSessions(sessionIds: readonly string[]): Promise<{ session_id: string; seated: number; waiting: number; present: number }[]> {
    return this.db.query(
      `SELECT session_id,
              count(*) FILTER (WHERE status IN ('ENROLLED', 'COMPLETED', 'NOT_COMPLETED'))::int AS seated,
              count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waiting,
              count(*) FILTER (WHERE attendance = 'PRESENT')::int AS present
         FROM enrolment WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
      [onlyUuids(sessionIds)],
    );
  }

  /** Places on their session's waiting list (1 = next) of many enrolments, one statement. */
  async waitlistPositions(enrolmentIds: readonly string[]): Promise<{ id: string; position: number }[]> {
    return this.db.query(
      `SELECT id, position FROM (
         SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY waitlisted_at, seq)::int AS position
           FROM enrolment
          WHERE status = 'WAITLISTED' AND session_id IN (SELECT session_id FROM enrolment WHERE id = ANY($1::uuid[]))
       ) w WHERE id = ANY($1::uuid[])`,
      [onlyUuids(enrolmentIds)],
    );
  }

  /** Open enrolment of a person in a course (at most one: the enrolment_open index). */
  async openOf(personId: string, courseId: string): Promise<EnrolmentRow | null> {
    const rows: EnrolmentRow[] = await this.db.query(
      `SELECT ${ENROLMENT} FROM enrolment WHERE person_id = $1 AND course_id = $2 AND status IN ('AWAITING_SESSION', 'ENROLLED', 'WAITLISTED') FOR UPDATE`,
      [personId, courseId],
    );
    return rows[0] ?? null;
  }

  /** Seated and waiting counts of a session (call with the session row locked). */
  async countsOf(sessionId: string): Promise<{ seated: number; waiting: number }> {
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE status IN ('ENROLLED', 'COMPLETED', 'NOT_COMPLETED'))::int AS seated,
              count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waiting
         FROM enrolment WHERE session_id = $1`,
      [sessionId],
    );
    return row;
  }

  async insert(row: Pick<EnrolmentRow, 'id' | 'course_id' | 'session_id' | 'person_id' | 'org_unit_id' | 'region_path' | 'status' | 'origin' | 'waitlisted_at' | 'enrolled_by' | 'enrolled_at'>): Promise<EnrolmentRow> {
    const [saved] = await this.db.query(
      `INSERT INTO enrolment (id, course_id, session_id, person_id, org_unit_id, region_path, status, origin, waitlisted_at, enrolled_by, enrolled_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING ${ENROLMENT}`,
      [row.id, row.course_id, row.session_id, row.person_id, row.org_unit_id, row.region_path, row.status, row.origin, row.waitlisted_at, row.enrolled_by, row.enrolled_at],
    );
    return saved;
  }

  /** Puts an enrolment in a session (seated or waiting). */
  async place(id: string, sessionId: string, status: 'ENROLLED' | 'WAITLISTED', at: Date): Promise<EnrolmentRow> {
    const [rows] = await this.db.query(
      `UPDATE enrolment SET session_id = $2, status = $3, waitlisted_at = CASE WHEN $3 = 'WAITLISTED' THEN $4::timestamptz END, updated_at = $4 WHERE id = $1 RETURNING ${ENROLMENT}`,
      [id, sessionId, status, at],
    );
    return rows[0];
  }

  async cancel(id: string, at: Date): Promise<EnrolmentRow> {
    const [rows] = await this.db.query(`UPDATE enrolment SET status = 'CANCELLED', updated_at = $2 WHERE id = $1 RETURNING ${ENROLMENT}`, [id, at]);
    return rows[0];
  }

  /** The first `n` of a session's waiting list move to seats, in the order they joined it. */
  async promote(sessionId: string, n: number, at: Date): Promise<EnrolmentRow[]> {
    if (n <= 0) return [];
    const [rows] = await this.db.query(
      `UPDATE enrolment SET status = 'ENROLLED', waitlisted_at = NULL, updated_at = $3
        WHERE id IN (SELECT id FROM enrolment WHERE session_id = $1 AND status = 'WAITLISTED' ORDER BY waitlisted_at, seq LIMIT $2 FOR UPDATE)
        RETURNING ${ENROLMENT}`,
      [sessionId, n, at],
    );
    return rows;
  }

  /** Roll call for many enrolments in one statement. */
  async setAttendance(ids: readonly string[], attendance: readonly string[], at: Date): Promise<void> {
    await this.db.query(
      `UPDATE enrolment e SET attendance = a.attendance, updated_at = $3
         FROM unnest($1::uuid[], $2::text[]) AS a(id, attendance) WHERE e.id = a.id`,
      [ids, attendance, at],
    );
  }

  async conclude(id: string, status: 'COMPLETED' | 'NOT_COMPLETED', score: number | null, certificateNo: string | null, completedOn: string, at: Date): Promise<EnrolmentRow> {
    const [rows] = await this.db.query(
      `UPDATE enrolment SET status = $2, score = $3, certificate_no = $4, completed_on = $5, updated_at = $6 WHERE id = $1 RETURNING ${ENROLMENT}`,
      [id, status, score, certificateNo, status === 'COMPLETED' ? completedOn : null, at],
    );
    return rows[0];
  }
}
