import type { EntityManager } from 'typeorm';
import { writeAudits } from '@huanjie/platform';
import { CourseStore, type CourseRow } from '../db/course.store';
import { FactsStore } from '../db/facts.store';
import { OnboardingStore, type OnboardingRow } from '../db/onboarding.store';
import { chooseOnboardingCourse } from '../domain/course.rules';
import { audit, type Actor } from './command-kit';

export interface SystemDeps {
  newId: () => string;
  now: () => Date;
}

/** What a new seat tells training (PositionAssigned's facts). */
export interface SeatTaken {
  positionId: string;
  termId: string;
  committeeId: string;
  orgUnitId: string;
  regionPath: string;
  personId: string;
  role: string;
  startsOn: string;
}

/**
 * A member of a new term (or a vacancy filled): the seat goes into the projection, and the person
 * gets their onboarding — enrolled in the region's onboarding course (the most specific one), or
 * PENDING_COURSE when none covers the unit yet (creating one enrols them: enrolPendingIn). One
 * onboarding per person and term, however often the event comes.
 */
export async function onboardSeat(manager: EntityManager, deps: SystemDeps, actor: Actor, seat: SeatTaken): Promise<void> {
  await new FactsStore(manager).seatAssigned({
    position_id: seat.positionId,
    person_id: seat.personId,
    term_id: seat.termId,
    committee_id: seat.committeeId,
    org_unit_id: seat.orgUnitId,
    region_path: seat.regionPath,
    role: seat.role,
    starts_on: seat.startsOn,
  });
  const store = new OnboardingStore(manager, '');
  const onboarding = await store.insertOnboarding({
    id: deps.newId(),
    person_id: seat.personId,
    position_id: seat.positionId,
    term_id: seat.termId,
    committee_id: seat.committeeId,
    org_unit_id: seat.orgUnitId,
    region_path: seat.regionPath,
    role: seat.role,
    starts_on: seat.startsOn,
    enrolment_id: null,
    created_at: deps.now(),
  });
  if (!onboarding) return; // already onboarded for this term
  await audit(manager, actor, 'startOnboarding', { type: 'Onboarding', id: onboarding.id, regionPath: onboarding.region_path }, null, onboarding);
  await lockCourseMatching(manager);
  // The system reads every course: the unit's region may lie outside any user's scope.
  const course = chooseOnboardingCourse(
    (await new CourseStore(manager, '').onboardingCoursesCovering(seat.regionPath)).map((c) => ({ ...c, regionPath: c.region_path, createdAt: c.created_at })),
    seat.regionPath,
  );
  if (course) await enrol(manager, deps, actor, [onboarding], course);
}

/**
 * Serialises the two roads that meet here — an onboarding looking for its course, a new course
 * looking for the onboardings waiting for one — after each has written its own row and before it
 * reads the other's. Without it, two overlapping transactions could each miss the other's
 * uncommitted row and leave the onboarding waiting for a course that exists. Held to commit.
 */
async function lockCourseMatching(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('training.onboarding-course-matching'))`);
}

/** A new onboarding course takes the onboardings under its region that were waiting for one. */
export async function enrolPendingIn(manager: EntityManager, deps: SystemDeps, actor: Actor, course: CourseRow): Promise<number> {
  await lockCourseMatching(manager);
  const pending = await new OnboardingStore(manager, '').pendingUnder(course.region_path);
  await enrol(manager, deps, actor, pending, course);
  return pending.length;
}

async function enrol(manager: EntityManager, deps: SystemDeps, actor: Actor, onboardings: readonly OnboardingRow[], course: CourseRow): Promise<void> {
  const created = await new OnboardingStore(manager, '').enrolOnboardings(onboardings, course.id, deps.newId, actor.userId, deps.now());
  await writeAudits(
    manager,
    created.map((e) => ({
      actor: actor.userId,
      roles: actor.roles,
      action: 'enrolForOnboarding',
      entityType: 'Enrolment',
      entityId: e.id,
      regionPath: e.region_path,
      requestId: actor.requestId,
      before: null,
      after: { id: e.id, courseId: course.id, personId: e.person_id, status: 'AWAITING_SESSION', origin: 'ONBOARDING' },
    })),
  );
}

/** What a new term tells training (TermStarted's facts). */
export interface TermBegun {
  termId: string;
  committeeId: string;
  committeeKind: string;
  orgUnitId: string;
  regionPath: string;
  startsOn: string;
}

/** A new committee's 十个一 checklist: ten open tasks, once per term. */
export async function openChecklist(manager: EntityManager, deps: SystemDeps, actor: Actor, term: TermBegun): Promise<void> {
  const checklist = await new OnboardingStore(manager, '').insertChecklist({
    id: deps.newId(),
    committee_id: term.committeeId,
    term_id: term.termId,
    committee_kind: term.committeeKind,
    org_unit_id: term.orgUnitId,
    region_path: term.regionPath,
    term_starts_on: term.startsOn,
    created_at: deps.now(),
  });
  if (checklist) await audit(manager, actor, 'openOnboardingChecklist', { type: 'OnboardingChecklist', id: checklist.id, regionPath: checklist.region_path }, null, checklist);
}

/** A seat left: the projection records it (the report counts sitting secretaries only). */
export async function seatLeft(manager: EntityManager, seat: SeatTaken & { endsOn: string }): Promise<void> {
  await new FactsStore(manager).seatEnded({
    position_id: seat.positionId,
    person_id: seat.personId,
    term_id: seat.termId,
    committee_id: seat.committeeId,
    org_unit_id: seat.orgUnitId,
    region_path: seat.regionPath,
    role: seat.role,
    starts_on: seat.startsOn,
    ends_on: seat.endsOn,
  });
}
