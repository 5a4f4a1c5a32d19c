import { badInput, conflict, notFound, requireInScope } from '@huanjie/platform';
import { CourseStore, type CourseRow, type SessionRow } from '../db/course.store';
import type { TrainingContext } from '../deps';
import { checkCourse, checkHeadCount, checkSession, type CourseInput, type SessionInput } from '../domain/course.rules';
import { actorOf, audit, regionInScope, requireUuid, runCommand, TRAINERS } from './command-kit';
import { enrolPendingIn } from './onboarding.commands';

export interface CreateCourseInput extends CourseInput {
  /** 行政区划代码 of the region that runs the course ('000000000000': nationwide). */
  regionCode: string;
}

/**
 * A course. An onboarding course (初任培训) at once takes the new members under its region whose
 * onboarding waited for one (PENDING_COURSE), in the same transaction.
 */
export async function createCourse(ctx: TrainingContext, input: CreateCourseInput): Promise<CourseRow> {
  checkCourse(input);
  const regionPath = regionInScope(ctx.auth, input.regionCode, 'the region that runs the course');
  return runCommand(ctx, TRAINERS, 'createCourse', async (manager) => {
    const pass = input.passScore ?? null;
    const course = await new CourseStore(manager, ctx.auth.regionPath).insertCourse({
      id: ctx.deps.newId(),
      name: input.name.trim(),
      type: input.type,
      audiences: [...input.audiences],
      required: input.required,
      region_code: input.regionCode,
      region_path: regionPath,
      hours: input.hours,
      scored: pass !== null,
      pass_score: pass,
      created_by: ctx.auth.userId,
      created_at: ctx.deps.now(),
    });
    await audit(manager, actorOf(ctx), 'createCourse', { type: 'Course', id: course.id, regionPath }, null, course);
    if (course.type === 'ONBOARDING') await enrolPendingIn(manager, ctx.deps, actorOf(ctx), course);
    return course;
  });
}

/** Withdraws a course from new sessions and from onboarding's choice (or offers it again). */
export async function setCourseActive(ctx: TrainingContext, input: { courseId: string; active: boolean }): Promise<CourseRow> {
  requireUuid('COURSE.ID', 'courseId', input.courseId);
  return runCommand(ctx, TRAINERS, 'setCourseActive', async (manager) => {
    const store = new CourseStore(manager, ctx.auth.regionPath);
    const [before] = await store.coursesByIds([input.courseId]);
    if (!before) throw notFound('COURSE.NOT_FOUND', `COURSE.NOT_FOUND: no course ${input.courseId} within your region scope`);
    requireInScope(ctx.auth, before.region_path, 'the region that runs the course');
    const after = await store.setCourseActive(before.id, input.active);
    await audit(manager, actorOf(ctx), 'setCourseActive', { type: 'Course', id: after.id, regionPath: after.region_path }, before, after);
    if (after.type === 'ONBOARDING' && after.active && !before.active) await enrolPendingIn(manager, ctx.deps, actorOf(ctx), after);
    return after;
  });
}

export interface ScheduleSessionInput extends SessionInput {
  courseId: string;
  /** 行政区划代码 of the region where the session is held: the course's region or one below it. */
  regionCode: string;
}

/** 培训班次: a date, a place (or online), a roll with a capacity or a head count, a trainer. */
export async function scheduleSession(ctx: TrainingContext, input: ScheduleSessionInput): Promise<SessionRow> {
  requireUuid('SESSION.COURSE', 'courseId', input.courseId);
  checkSession(input);
  const regionPath = regionInScope(ctx.auth, input.regionCode, 'the region where the session is held');
  return runCommand(ctx, TRAINERS, 'scheduleSession', async (manager) => {
    const store = new CourseStore(manager, ctx.auth.regionPath);
    const [course] = await store.coursesByIds([input.courseId]);
    if (!course) throw notFound('COURSE.NOT_FOUND', `COURSE.NOT_FOUND: no course ${input.courseId} within your region scope`);
    if (!course.active) throw conflict('COURSE.INACTIVE', `COURSE.INACTIVE: the course ${course.name} is withdrawn; offer it again before scheduling`);
    if (!(course.region_path === '' || regionPath === course.region_path || regionPath.startsWith(`${course.region_path}.`))) {
      throw badInput('SESSION.REGION', `SESSION.REGION: a session of a course run by ${course.region_code} is held in that region or one below it`);
    }
    const session = await store.insertSession({
      id: ctx.deps.newId(),
      course_id: course.id,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      place: input.place?.trim() || null,
      online: input.online,
      mode: input.mode,
      capacity: input.mode === 'ROLL' ? input.capacity! : null,
      trainer: input.trainer.trim(),
      region_code: input.regionCode,
      region_path: regionPath,
      created_by: ctx.auth.userId,
      created_at: ctx.deps.now(),
    });
    await audit(manager, actorOf(ctx), 'scheduleSession', { type: 'TrainingSession', id: session.id, regionPath }, null, session);
    return session;
  });
}

/** 参训人数 of a large event without a roll (宣讲会, 坝坝会): the head count, replaced when corrected. */
export async function recordHeadCount(ctx: TrainingContext, input: { sessionId: string; participants: number }): Promise<SessionRow> {
  requireUuid('SESSION.ID', 'sessionId', input.sessionId);
  checkHeadCount(input.participants);
  return runCommand(ctx, TRAINERS, 'recordHeadCount', async (manager) => {
    const store = new CourseStore(manager, ctx.auth.regionPath);
    const [before] = await store.sessionsByIds([input.sessionId], true);
    if (!before) throw notFound('SESSION.NOT_FOUND', `SESSION.NOT_FOUND: no session ${input.sessionId} within your region scope`);
    requireInScope(ctx.auth, before.region_path, 'the region where the session is held');
    if (before.mode !== 'HEAD_COUNT') throw conflict('SESSION.HAS_ROLL', 'SESSION.HAS_ROLL: this session keeps a roll; its participants are those marked PRESENT');
    const after = await store.setHeadCount(before.id, input.participants);
    await audit(manager, actorOf(ctx), 'recordHeadCount', { type: 'TrainingSession', id: after.id, regionPath: after.region_path }, before, after);
    return after;
  });
}
