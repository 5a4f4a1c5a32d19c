import type { EntityManager } from 'typeorm';
import { badInput, byIdLoader, childrenLoader, isDivisionCode, isIsoDate, pageVariant, readPage, regionPathFromCode, toConnection, type PageArgs } from '@huanjie/platform';
import {
  cancelEnrolment,
  concludeEnrolment,
  enrol,
  recordAttendance,
  type EnrolInput,
} from '../commands/enrolment.commands';
import { createCourse, recordHeadCount, scheduleSession, setCourseActive, type CreateCourseInput, type ScheduleSessionInput } from '../commands/course.commands';
import { CourseStore, type CourseRow, type SessionRow } from '../db/course.store';
import { EnrolmentStore, type EnrolmentRow } from '../db/enrolment.store';
import type { TrainingContext } from '../deps';
import type { CourseType } from '../domain/course.rules';
import type { Attendance } from '../domain/enrolment.rules';
import { groupedLoader, iso, personRef, singleLoader } from './loaders';

/** Courses, sessions and enrolments: every list or reference over N parents costs one statement. */
export function createCourseLoaders(db: EntityManager, scopePath: string) {
  const courses = new CourseStore(db, scopePath);
  const enrolments = new EnrolmentStore(db, scopePath);
  return {
    courseById: byIdLoader<CourseRow>((ids) => courses.coursesByIds(ids)),
    sessionById: byIdLoader<SessionRow>((ids) => courses.sessionsByIds(ids)),
    sessionsOfCourse: childrenLoader<string | null, SessionRow>(
      (ids, from) => courses.sessionsOfCourses(ids, from),
      (s) => s.course_id,
      (from) => from ?? '',
    ),
    sessionCounts: singleLoader((ids) => enrolments.countsOfSessions(ids), (r) => r.session_id),
    enrolmentById: byIdLoader<EnrolmentRow>((ids) => enrolments.byIds(ids)),
    enrolmentsOfPerson: groupedLoader((ids) => enrolments.ofPeople(ids), (e) => e.person_id),
    enrolmentsOfSession: childrenLoader<PageArgs, EnrolmentRow & { sort_key: string }>(
      (ids, args) => {
        const page = readPage(args, 200);
        return enrolments.ofSessions(ids, page.limit, page.after);
      },
      (e) => e.session_id!,
      pageVariant,
    ),
    waitlistPosition: singleLoader((ids) => enrolments.waitlistPositions(ids), (r) => r.id),
  };
}

export const courseResolvers = {
  Query: {
    course: (_: unknown, args: { id: string }, ctx: TrainingContext) => ctx.loaders.courseById.load(args.id),
    courses: async (
      _: unknown,
      args: PageArgs & { filter?: { type?: CourseType | null; regionCode?: string | null; activeOnly?: boolean | null } | null },
      ctx: TrainingContext,
    ) => {
      const page = readPage(args);
      const code = args.filter?.regionCode ?? null;
      if (code !== null && !isDivisionCode(code)) throw badInput('COURSE.REGION_CODE', `COURSE.REGION_CODE: regionCode must be a 12-digit division code, got ${JSON.stringify(code)}`);
      const rows = await new CourseStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).coursesPage(
        { type: args.filter?.type ?? null, regionPath: code === null ? null : regionPathFromCode(code), activeOnly: args.filter?.activeOnly ?? true },
        page.limit,
        page.after,
      );
      return toConnection(rows, page, (c) => `${c.region_path}|${c.name}|${c.id}`);
    },
    trainingSession: (_: unknown, args: { id: string }, ctx: TrainingContext) => ctx.loaders.sessionById.load(args.id),
    enrolment: (_: unknown, args: { id: string }, ctx: TrainingContext) => ctx.loaders.enrolmentById.load(args.id),
  },
  Mutation: {
    createCourse: (_: unknown, args: { input: CreateCourseInput }, ctx: TrainingContext) => createCourse(ctx, args.input),
    setCourseActive: (_: unknown, args: { input: { courseId: string; active: boolean } }, ctx: TrainingContext) => setCourseActive(ctx, args.input),
    scheduleSession: (_: unknown, args: { input: ScheduleSessionInput }, ctx: TrainingContext) => scheduleSession(ctx, args.input),
    recordHeadCount: (_: unknown, args: { input: { sessionId: string; participants: number } }, ctx: TrainingContext) => recordHeadCount(ctx, args.input),
    enrol: (_: unknown, args: { input: EnrolInput }, ctx: TrainingContext) => enrol(ctx, args.input),
    cancelEnrolment: (_: unknown, args: { input: { enrolmentId: string } }, ctx: TrainingContext) => cancelEnrolment(ctx, args.input),
    recordAttendance: (_: unknown, args: { input: { sessionId: string; entries: { enrolmentId: string; attendance: Attendance }[] } }, ctx: TrainingContext) =>
      recordAttendance(ctx, args.input),
    concludeEnrolment: (_: unknown, args: { input: { enrolmentId: string; score?: number | null } }, ctx: TrainingContext) => concludeEnrolment(ctx, args.input),
  },
  Course: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.courseById.load(ref.id),
    regionCode: (c: CourseRow) => c.region_code,
    regionPath: (c: CourseRow) => c.region_path,
    passScore: (c: CourseRow) => c.pass_score,
    createdAt: (c: CourseRow) => iso(c.created_at),
    sessions: (c: CourseRow, args: { fromDate?: string | null }, ctx: TrainingContext) => {
      const from = args.fromDate ?? null;
      if (from !== null && !isIsoDate(from)) throw badInput('SESSION.FROM_DATE', `SESSION.FROM_DATE: fromDate must be yyyy-mm-dd, got ${JSON.stringify(from)}`);
      return ctx.loaders.sessionsOfCourse.load({ parentId: c.id, variant: from });
    },
  },
  TrainingSession: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.sessionById.load(ref.id),
    course: (s: SessionRow, _: unknown, ctx: TrainingContext) => ctx.loaders.courseById.load(s.course_id),
    startsOn: (s: SessionRow) => s.starts_on,
    endsOn: (s: SessionRow) => s.ends_on,
    regionCode: (s: SessionRow) => s.region_code,
    regionPath: (s: SessionRow) => s.region_path,
    seated: async (s: SessionRow, _: unknown, ctx: TrainingContext) => (await ctx.loaders.sessionCounts.load(s.id))?.seated ?? 0,
    waiting: async (s: SessionRow, _: unknown, ctx: TrainingContext) => (await ctx.loaders.sessionCounts.load(s.id))?.waiting ?? 0,
    participants: async (s: SessionRow, _: unknown, ctx: TrainingContext) =>
      s.mode === 'HEAD_COUNT' ? (s.head_count ?? 0) : ((await ctx.loaders.sessionCounts.load(s.id))?.present ?? 0),
    enrolments: async (s: SessionRow, args: PageArgs, ctx: TrainingContext) => {
      const page = readPage(args, 200);
      const rows = await ctx.loaders.enrolmentsOfSession.load({ parentId: s.id, variant: args });
      return toConnection(rows, page, (e) => e.sort_key);
    },
  },
  Enrolment: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.enrolmentById.load(ref.id),
    course: (e: EnrolmentRow, _: unknown, ctx: TrainingContext) => ctx.loaders.courseById.load(e.course_id),
    session: (e: EnrolmentRow, _: unknown, ctx: TrainingContext) => (e.session_id ? ctx.loaders.sessionById.load(e.session_id) : null),
    person: (e: EnrolmentRow) => personRef(e.person_id),
    orgUnitId: (e: EnrolmentRow) => e.org_unit_id,
    regionPath: (e: EnrolmentRow) => e.region_path,
    waitlistPosition: async (e: EnrolmentRow, _: unknown, ctx: TrainingContext) =>
      e.status === 'WAITLISTED' ? ((await ctx.loaders.waitlistPosition.load(e.id))?.position ?? null) : null,
    certificateNo: (e: EnrolmentRow) => e.certificate_no,
    completedOn: (e: EnrolmentRow) => e.completed_on,
    enrolledAt: (e: EnrolmentRow) => iso(e.enrolled_at),
  },
  Person: {
    enrolments: (p: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.enrolmentsOfPerson.load(p.id),
  },
};
