import type { EntityManager } from 'typeorm';
import { badInput, conflict, notFound, shanghaiDate, writeAudits } from '@huanjie/platform';
import { recordEvent, TrainingCompleted } from '@huanjie/events';
import { CourseStore, type SessionRow } from '../db/course.store';
import { EnrolmentStore, type EnrolmentRow } from '../db/enrolment.store';
import { OnboardingStore } from '../db/onboarding.store';
import { TrainingRecordStore } from '../db/training-record.store';
import type { TrainingContext } from '../deps';
import { certificateNumber, checkAttendance, checkCancellable, completionOf, placeIn, promotions, type Attendance } from '../domain/enrolment.rules';
import { actorOf, audit, ENROLLERS, regionInScope, requirePersonInScope, requireUuid, runCommand, TRAINERS } from './command-kit';

async function lockedSession(manager: EntityManager, ctx: TrainingContext, sessionId: string): Promise<SessionRow> {
  const [session] = await new CourseStore(manager, ctx.auth.regionPath).sessionsByIds([sessionId], true);
  if (!session) throw notFound('SESSION.NOT_FOUND', `SESSION.NOT_FOUND: no session ${sessionId} within your region scope`);
  return session;
}

async function lockedEnrolment(store: EnrolmentStore, enrolmentId: string): Promise<EnrolmentRow> {
  const [enrolment] = await store.byIds([enrolmentId], true);
  if (!enrolment) throw notFound('ENROLMENT.NOT_FOUND', `ENROLMENT.NOT_FOUND: no enrolment ${enrolmentId} within your region scope`);
  return enrolment;
}

export interface EnrolInput {
  sessionId: string;
  personId: string;
  /** The person's unit (owned by personnel): its id and its 行政区划代码, which must lie within your scope. */
  orgUnitId: string;
  orgUnitCode: string;
}

/**
 * 报名: a seat in the session while one is free, else the session's waiting list (候补). A person
 * already enrolled in the course without a session (onboarding's automatic enrolment) is placed
 * in this session; one already seated or waiting in a session of the course is a CONFLICT.
 */
export async function enrol(ctx: TrainingContext, input: EnrolInput): Promise<EnrolmentRow> {
  requireUuid('ENROLMENT.SESSION', 'sessionId', input.sessionId);
  requireUuid('ENROLMENT.PERSON', 'personId', input.personId);
  requireUuid('ENROLMENT.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  const regionPath = regionInScope(ctx.auth, input.orgUnitCode, "the person's unit");
  return runCommand(ctx, ENROLLERS, 'enrol', async (manager) => {
    await requirePersonInScope(manager, ctx.auth, input.personId, 'the person (by their unit on file)');
    // The session row is locked: concurrent enrolments queue, so the capacity holds.
    const session = await lockedSession(manager, ctx, input.sessionId);
    if (session.mode !== 'ROLL') throw conflict('SESSION.NO_ROLL', 'SESSION.NO_ROLL: a head-count session has no roll; record its head count instead');
    const today = shanghaiDate(ctx.deps.now());
    if (today > session.ends_on) throw conflict('SESSION.OVER', `SESSION.OVER: the session ended on ${session.ends_on}`);
    const store = new EnrolmentStore(manager, ctx.auth.regionPath);
    const counts = await store.countsOf(session.id);
    const status = placeIn(session.capacity!, counts.seated);
    const now = ctx.deps.now();
    const open = await store.openOf(input.personId, session.course_id);
    let after: EnrolmentRow;
    let before: EnrolmentRow | null = null;
    if (open) {
      if (open.status !== 'AWAITING_SESSION') {
        throw conflict('ENROLMENT.ALREADY_OPEN', `ENROLMENT.ALREADY_OPEN: this person is already ${open.status} in a session of this course; cancel that first`);
      }
      before = open;
      after = await store.place(open.id, session.id, status, now);
    } else {
      after = await store.insert({
        id: ctx.deps.newId(),
        course_id: session.course_id,
        session_id: session.id,
        person_id: input.personId,
        org_unit_id: input.orgUnitId,
        region_path: regionPath,
        status,
        origin: 'MANUAL',
        waitlisted_at: status === 'WAITLISTED' ? now : null,
        enrolled_by: ctx.auth.userId,
        enrolled_at: now,
      });
      const [course] = await new CourseStore(manager, '').coursesByIds([session.course_id]);
      if (course?.type === 'ONBOARDING') await new OnboardingStore(manager, '').relinkToEnrolment(after.person_id, course.id, after.id);
    }
    await audit(manager, actorOf(ctx), 'enrol', { type: 'Enrolment', id: after.id, regionPath: after.region_path }, before, after);
    return after;
  });
}

/** 取消报名: the seat frees and the first of the waiting list takes it. */
export async function cancelEnrolment(ctx: TrainingContext, input: { enrolmentId: string }): Promise<EnrolmentRow> {
  requireUuid('ENROLMENT.ID', 'enrolmentId', input.enrolmentId);
  return runCommand(ctx, ENROLLERS, 'cancelEnrolment', async (manager) => {
    const store = new EnrolmentStore(manager, ctx.auth.regionPath);
    const [seen] = await store.byIds([input.enrolmentId]);
    if (!seen) throw notFound('ENROLMENT.NOT_FOUND', `ENROLMENT.NOT_FOUND: no enrolment ${input.enrolmentId} within your region scope`);
    // Session first, then the enrolment: the order enrol takes its locks in.
    const session = seen.session_id ? await lockedSession(manager, ctx, seen.session_id) : null;
    const before = await lockedEnrolment(store, input.enrolmentId);
    checkCancellable(before.status);
    const now = ctx.deps.now();
    const after = await store.cancel(before.id, now);
    const actor = actorOf(ctx);
    await audit(manager, actor, 'cancelEnrolment', { type: 'Enrolment', id: after.id, regionPath: after.region_path }, before, after);
    if (session && session.mode === 'ROLL' && before.status === 'ENROLLED') {
      const counts = await store.countsOf(session.id);
      const promoted = await store.promote(session.id, promotions(session.capacity!, counts.seated, counts.waiting), now);
      await writeAudits(
        manager,
        promoted.map((p) => ({
          actor: actor.userId,
          roles: actor.roles,
          action: 'promoteFromWaitingList',
          entityType: 'Enrolment',
          entityId: p.id,
          regionPath: p.region_path,
          requestId: actor.requestId,
          before: { status: 'WAITLISTED' },
          after: { ...p },
        })),
      );
    }
    return after;
  });
}

/** 考勤: the roll call of a session: PRESENT, ABSENT or EXCUSED for seated people, corrected by calling again. */
export async function recordAttendance(
  ctx: TrainingContext,
  input: { sessionId: string; entries: readonly { enrolmentId: string; attendance: Attendance }[] },
): Promise<EnrolmentRow[]> {
  requireUuid('ATTENDANCE.SESSION', 'sessionId', input.sessionId);
  for (const e of input.entries) requireUuid('ATTENDANCE.ENROLMENT', 'enrolmentId', e.enrolmentId);
  if (input.entries.length === 0 || input.entries.length > 500) throw badInput('ATTENDANCE.ENTRIES', 'ATTENDANCE.ENTRIES: give 1–500 entries');
  if (new Set(input.entries.map((e) => e.enrolmentId)).size !== input.entries.length) {
    throw badInput('ATTENDANCE.DUPLICATE', 'ATTENDANCE.DUPLICATE: an enrolment is listed twice');
  }
  return runCommand(ctx, TRAINERS, 'recordAttendance', async (manager) => {
    const session = await lockedSession(manager, ctx, input.sessionId);
    const today = shanghaiDate(ctx.deps.now());
    if (today < session.starts_on) throw conflict('ATTENDANCE.NOT_STARTED', `ATTENDANCE.NOT_STARTED: the session starts on ${session.starts_on}`);
    const store = new EnrolmentStore(manager, ctx.auth.regionPath);
    const rows = new Map((await store.byIds(input.entries.map((e) => e.enrolmentId), true)).map((r) => [r.id, r]));
    for (const entry of input.entries) {
      const row = rows.get(entry.enrolmentId);
      if (!row || row.session_id !== session.id) {
        throw notFound('ENROLMENT.NOT_FOUND', `ENROLMENT.NOT_FOUND: no enrolment ${entry.enrolmentId} in this session within your region scope`);
      }
      checkAttendance(row.status, entry.attendance);
    }
    const now = ctx.deps.now();
    await store.setAttendance(input.entries.map((e) => e.enrolmentId), input.entries.map((e) => e.attendance), now);
    const after = await store.byIds(input.entries.map((e) => e.enrolmentId));
    await writeAudits(
      manager,
      after.map((a) => ({
        actor: ctx.auth.userId,
        roles: ctx.auth.roles,
        action: 'recordAttendance',
        entityType: 'Enrolment',
        entityId: a.id,
        regionPath: a.region_path,
        requestId: ctx.requestId,
        before: { attendance: rows.get(a.id)!.attendance },
        after: { attendance: a.attendance },
      })),
    );
    return after;
  });
}

/**
 * 结业: concludes a seated enrolment once its attendance is known: COMPLETED (attended, and passed
 * where the course is scored) with a certificate number, its hours added to the person's training
 * file and TrainingCompleted published; or NOT_COMPLETED.
 */
export async function concludeEnrolment(ctx: TrainingContext, input: { enrolmentId: string; score?: number | null }): Promise<EnrolmentRow> {
  requireUuid('ENROLMENT.ID', 'enrolmentId', input.enrolmentId);
  return runCommand(ctx, TRAINERS, 'concludeEnrolment', async (manager) => {
    const store = new EnrolmentStore(manager, ctx.auth.regionPath);
    const before = await lockedEnrolment(store, input.enrolmentId);
    if (!before.session_id) throw conflict('COMPLETION.NOT_SEATED', 'COMPLETION.NOT_SEATED: this enrolment has no session yet');
    // The session and course are read for the system: the enrolment was found within scope.
    const courses = new CourseStore(manager, '');
    const [session] = await courses.sessionsByIds([before.session_id]);
    const [course] = await courses.coursesByIds([before.course_id]);
    const today = shanghaiDate(ctx.deps.now());
    const outcome = completionOf({
      status: before.status,
      attendance: before.attendance,
      passScore: course!.pass_score,
      score: input.score ?? null,
      sessionStartsOn: session!.starts_on,
      today,
    });
    const certificate = outcome.status === 'COMPLETED' ? certificateNumber(course!.region_code, today, before.seq) : null;
    const after = await store.conclude(before.id, outcome.status, outcome.score, certificate, today, ctx.deps.now());
    await audit(manager, actorOf(ctx), 'concludeEnrolment', { type: 'Enrolment', id: after.id, regionPath: after.region_path }, before, after);
    if (outcome.status === 'COMPLETED') {
      await new TrainingRecordStore(manager, '').addCompletion(after.person_id, course!.hours);
      await recordEvent(manager, TrainingCompleted, {
        subject: after.id,
        time: ctx.deps.now(),
        data: {
          enrolmentId: after.id,
          courseId: course!.id,
          courseType: course!.type,
          sessionId: session!.id,
          personId: after.person_id,
          orgUnitId: after.org_unit_id,
          regionPath: after.region_path,
          completedOn: today,
          onboarding: await new OnboardingStore(manager, '').onboards(after.id),
        },
      });
    }
    return after;
  });
}
