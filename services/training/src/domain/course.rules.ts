import { badInput, isIsoDate } from '@huanjie/platform';

/**
 * 课程类别 (GLOSSARY: Training; sources 000, 001, 004): 换届工作人员业务培训 (Helingeer 1,100
 * person-times), 政策宣讲 (Chengdu: 37,500 sessions, 1,268,900 participants), 初任培训, 集中轮训,
 * 优秀书记研修 (Baoshan's 分层分类 system), 学历提升 (82 cadres at the Open University, Helingeer).
 */
export const COURSE_TYPES = ['ELECTION_WORKER', 'POLICY_BRIEFING', 'ONBOARDING', 'ROTATION', 'ADVANCED_SECRETARY', 'DEGREE_UPGRADE'] as const;
export type CourseType = (typeof COURSE_TYPES)[number];

/** 培训对象: secretaries, committee members, reserve cadres, 换届 workers. */
export const AUDIENCES = ['SECRETARIES', 'MEMBERS', 'RESERVES', 'ELECTION_WORKERS'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** How a session counts its people: a roll of enrolments, or a head count for large events (宣讲会, 坝坝会). */
export const SESSION_MODES = ['ROLL', 'HEAD_COUNT'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** A roll larger than this is a large event: count heads instead. */
export const MAX_ROLL_CAPACITY = 500;
/** The longest session: a 学历提升 programme runs for terms (two and a half years at the Open University). */
export const MAX_SESSION_DAYS = 366 * 3;

export interface CourseInput {
  name: string;
  type: CourseType;
  audiences: readonly Audience[];
  required: boolean;
  hours: number;
  passScore?: number | null;
}

/** A course's own facts; throws BAD_USER_INPUT naming the rule. */
export function checkCourse(input: CourseInput): void {
  const name = input.name.trim();
  if (name.length < 2 || Array.from(name).length > 100) throw badInput('COURSE.NAME', 'COURSE.NAME: name must be 2–100 characters');
  if (!(COURSE_TYPES as readonly string[]).includes(input.type)) {
    throw badInput('COURSE.TYPE', `COURSE.TYPE: type must be one of ${COURSE_TYPES.join(', ')}`);
  }
  if (input.audiences.length === 0 || input.audiences.some((a) => !(AUDIENCES as readonly string[]).includes(a))) {
    throw badInput('COURSE.AUDIENCE', `COURSE.AUDIENCE: audiences must be a non-empty set of ${AUDIENCES.join(', ')}`);
  }
  if (new Set(input.audiences).size !== input.audiences.length) throw badInput('COURSE.AUDIENCE', 'COURSE.AUDIENCE: an audience is listed twice');
  if (input.type === 'ONBOARDING' && !input.audiences.includes('MEMBERS')) {
    // 初任培训 is for the members of a new committee: new members are enrolled in it automatically.
    throw badInput('COURSE.ONBOARDING_AUDIENCE', 'COURSE.ONBOARDING_AUDIENCE: an onboarding course (初任培训) is for committee members: audiences must include MEMBERS');
  }
  if (!(input.hours > 0 && input.hours <= 2000 && Number.isInteger(input.hours * 10))) {
    throw badInput('COURSE.HOURS', `COURSE.HOURS: hours must be more than 0 and at most 2000, in tenths, got ${input.hours}`);
  }
  const pass = input.passScore ?? null;
  if (pass !== null && !(Number.isInteger(pass) && pass >= 1 && pass <= 100)) {
    throw badInput('COURSE.PASS_SCORE', `COURSE.PASS_SCORE: passScore must be a whole number 1–100, got ${pass}`);
  }
}

export interface SessionInput {
  startsOn: string;
  endsOn: string;
  place?: string | null;
  online: boolean;
  mode: SessionMode;
  capacity?: number | null;
  trainer: string;
}

/** A session's own facts: dates, where, how many, who teaches. */
export function checkSession(input: SessionInput): void {
  if (!isIsoDate(input.startsOn)) throw badInput('SESSION.STARTS_ON', `SESSION.STARTS_ON: startsOn must be yyyy-mm-dd, got ${JSON.stringify(input.startsOn)}`);
  if (!isIsoDate(input.endsOn)) throw badInput('SESSION.ENDS_ON', `SESSION.ENDS_ON: endsOn must be yyyy-mm-dd, got ${JSON.stringify(input.endsOn)}`);
  if (input.endsOn < input.startsOn) throw badInput('SESSION.DATES', `SESSION.DATES: endsOn ${input.endsOn} is before startsOn ${input.startsOn}`);
  if (daysBetween(input.startsOn, input.endsOn) > MAX_SESSION_DAYS) {
    throw badInput('SESSION.DATES', `SESSION.DATES: a session lasts at most ${MAX_SESSION_DAYS} days`);
  }
  const place = input.place?.trim() ?? '';
  if (!input.online && place === '') throw badInput('SESSION.PLACE', 'SESSION.PLACE: a session that is not online needs a place');
  if (Array.from(place).length > 200) throw badInput('SESSION.PLACE', 'SESSION.PLACE: place must be at most 200 characters');
  const trainer = input.trainer.trim();
  if (trainer.length < 1 || Array.from(trainer).length > 100) throw badInput('SESSION.TRAINER', 'SESSION.TRAINER: trainer must be 1–100 characters');
  if (!(SESSION_MODES as readonly string[]).includes(input.mode)) {
    throw badInput('SESSION.MODE', `SESSION.MODE: mode must be one of ${SESSION_MODES.join(', ')}`);
  }
  const capacity = input.capacity ?? null;
  if (input.mode === 'ROLL') {
    if (capacity === null || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_ROLL_CAPACITY) {
      throw badInput(
        'SESSION.CAPACITY',
        `SESSION.CAPACITY: a session with a roll needs a capacity of 1–${MAX_ROLL_CAPACITY}; larger events count heads (mode HEAD_COUNT)`,
      );
    }
  } else if (capacity !== null) {
    throw badInput('SESSION.CAPACITY', 'SESSION.CAPACITY: a head-count session has no roll and so no capacity');
  }
}

/** A head count of a large event: how many took part. */
export function checkHeadCount(participants: number): void {
  if (!Number.isInteger(participants) || participants < 0 || participants > 1_000_000) {
    throw badInput('SESSION.HEAD_COUNT', `SESSION.HEAD_COUNT: participants must be a whole number 0–1,000,000, got ${participants}`);
  }
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What onboarding needs to know of a course to choose one. */
export interface OnboardingCourseCandidate {
  id: string;
  regionPath: string;
  required: boolean;
  createdAt: Date;
}

/**
 * The onboarding course (初任培训) for a unit: among the active onboarding courses run by the unit's
 * region or a region above it, the most specific one (the longest region path: the town's before the
 * district's before the city's); between two of one region, a required one, then the newest.
 * Null when none covers the unit: the new member's onboarding then waits (PENDING_COURSE) until one is
 * created, which enrols them.
 */
export function chooseOnboardingCourse<T extends OnboardingCourseCandidate>(candidates: readonly T[], unitPath: string): T | null {
  const covering = candidates.filter((c) => c.regionPath === '' || unitPath === c.regionPath || unitPath.startsWith(`${c.regionPath}.`));
  const depth = (p: string) => (p === '' ? 0 : p.split('.').length);
  const sorted = [...covering].sort(
    (a, b) =>
      depth(b.regionPath) - depth(a.regionPath) ||
      Number(b.required) - Number(a.required) ||
      b.createdAt.getTime() - a.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  );
  return sorted[0] ?? null;
}
