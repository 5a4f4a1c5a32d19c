import { badInput, conflict } from '@huanjie/platform';

/**
 * 报名状态 — an enrolment's life:
 *   AWAITING_SESSION (enrolled in the course, no session yet: onboarding's automatic enrolments)
 *   → ENROLLED (a seat in a session) or WAITLISTED (the session is full; promoted in order when a seat frees)
 *   → COMPLETED (结业: attended, passed where scored; a certificate) or NOT_COMPLETED (未结业: absent, excused, or failed)
 *   CANCELLED from any open state.
 */
export const ENROLMENT_STATUSES = ['AWAITING_SESSION', 'ENROLLED', 'WAITLISTED', 'COMPLETED', 'NOT_COMPLETED', 'CANCELLED'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export const OPEN_STATUSES: readonly EnrolmentStatus[] = ['AWAITING_SESSION', 'ENROLLED', 'WAITLISTED'];

export const ATTENDANCE = ['PRESENT', 'ABSENT', 'EXCUSED'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

/** A seat when one is free, else the waiting list (候补). */
export function placeIn(capacity: number, seated: number): 'ENROLLED' | 'WAITLISTED' {
  return seated < capacity ? 'ENROLLED' : 'WAITLISTED';
}

/** How many of the waiting list move up when seats free: as many as there are free seats. */
export function promotions(capacity: number, seated: number, waiting: number): number {
  return Math.max(0, Math.min(capacity - seated, waiting));
}

export function checkCancellable(status: EnrolmentStatus): void {
  if (!OPEN_STATUSES.includes(status)) {
    throw conflict('ENROLMENT.NOT_OPEN', `ENROLMENT.NOT_OPEN: an enrolment that is ${status} cannot be cancelled; only ${OPEN_STATUSES.join(', ')} can`);
  }
}

/** A roll call may be taken for seated people only (the waiting list did not attend). */
export function checkAttendance(status: EnrolmentStatus, attendance: string): asserts attendance is Attendance {
  if (!(ATTENDANCE as readonly string[]).includes(attendance)) {
    throw badInput('ATTENDANCE.VALUE', `ATTENDANCE.VALUE: attendance must be one of ${ATTENDANCE.join(', ')}`);
  }
  if (status !== 'ENROLLED') {
    throw conflict('ATTENDANCE.NOT_SEATED', `ATTENDANCE.NOT_SEATED: attendance is taken for ENROLLED people only; this enrolment is ${status}`);
  }
}

export interface CompletionInput {
  status: EnrolmentStatus;
  attendance: Attendance | null;
  /** The course's pass mark; null when the course is not scored. */
  passScore: number | null;
  score: number | null;
  /** The last day of the session, and today: completion is recorded once the session has begun. */
  sessionStartsOn: string;
  today: string;
}

/**
 * 结业: who attended completes, and passes where the course is scored (score ≥ pass mark); who was
 * absent or excused, or failed, does not (NOT_COMPLETED, no certificate).
 */
export function completionOf(input: CompletionInput): { status: 'COMPLETED' | 'NOT_COMPLETED'; score: number | null } {
  if (input.status !== 'ENROLLED') {
    throw conflict('COMPLETION.NOT_SEATED', `COMPLETION.NOT_SEATED: only an ENROLLED enrolment can be concluded; this one is ${input.status}`);
  }
  if (input.today < input.sessionStartsOn) {
    throw conflict('COMPLETION.NOT_STARTED', `COMPLETION.NOT_STARTED: the session starts on ${input.sessionStartsOn}; nothing to conclude before then`);
  }
  if (input.attendance === null) {
    throw conflict('COMPLETION.NO_ATTENDANCE', 'COMPLETION.NO_ATTENDANCE: record attendance (PRESENT, ABSENT or EXCUSED) before concluding');
  }
  if (input.passScore === null) {
    if (input.score !== null) throw badInput('COMPLETION.SCORE', 'COMPLETION.SCORE: this course is not scored; give no score');
    return { status: input.attendance === 'PRESENT' ? 'COMPLETED' : 'NOT_COMPLETED', score: null };
  }
  if (input.attendance !== 'PRESENT') {
    if (input.score !== null) throw badInput('COMPLETION.SCORE', 'COMPLETION.SCORE: no score for someone who did not attend');
    return { status: 'NOT_COMPLETED', score: null };
  }
  if (input.score === null) throw badInput('COMPLETION.SCORE', `COMPLETION.SCORE: this course is scored (pass mark ${input.passScore}); give the score`);
  if (!(input.score >= 0 && input.score <= 100 && Number.isInteger(input.score * 10))) {
    throw badInput('COMPLETION.SCORE', `COMPLETION.SCORE: score must be 0–100 in tenths, got ${input.score}`);
  }
  return { status: input.score >= input.passScore ? 'COMPLETED' : 'NOT_COMPLETED', score: input.score };
}

/**
 * 结业证书编号: `PX` + the 6-digit county-level code of the region that runs the course + the year
 * + a serial, e.g. PX-510107-2026-000123. The serial is the enrolment's sequence number, unique in
 * the service, so numbers never collide and need no counter of their own.
 */
export function certificateNumber(courseRegionCode: string, completedOn: string, serial: number): string {
  return `PX-${courseRegionCode.slice(0, 6)}-${completedOn.slice(0, 4)}-${String(serial).padStart(6, '0')}`;
}
