import { ruleOf } from '@huanjie/testkit';
import { checkCourse, checkSession, chooseOnboardingCourse } from '../src/domain/course.rules';
import { certificateNumber, completionOf, placeIn, promotions } from '../src/domain/enrolment.rules';
import { CHECKLIST_TASK_CODES, checkTaskCompletion, completionDate } from '../src/domain/checklist.rules';
import { checkMeeting, checkNoOverlap } from '../src/domain/mentoring.rules';
import { defaultSince, percent, unitsBehind } from '../src/domain/coverage.rules';

const at = (iso: string) => new Date(iso);

describe('choosing the onboarding course', () => {
  const city = { id: 'c', regionPath: '51.5101', required: true, createdAt: at('2026-01-01T00:00:00Z') };
  const district = { id: 'd', regionPath: '51.5101.510107', required: false, createdAt: at('2026-01-02T00:00:00Z') };
  const town = { id: 't', regionPath: '51.5101.510107.510107001', required: true, createdAt: at('2026-01-03T00:00:00Z') };
  const otherTown = { id: 'o', regionPath: '51.5101.510107.510107002', required: true, createdAt: at('2026-01-03T00:00:00Z') };
  const village = '51.5101.510107.510107001.510107001002';

  it('takes the most specific region that covers the unit', () => {
    expect(chooseOnboardingCourse([city, district, town, otherTown], village)?.id).toBe('t');
    expect(chooseOnboardingCourse([city, district, otherTown], village)?.id).toBe('d');
    expect(chooseOnboardingCourse([city], village)?.id).toBe('c');
  });
  it('prefers, within one region, a required course, then the newest', () => {
    const optionalNewer = { ...district, id: 'd2', createdAt: at('2026-02-01T00:00:00Z') };
    const required = { ...district, id: 'd3', required: true };
    expect(chooseOnboardingCourse([district, optionalNewer], village)?.id).toBe('d2');
    expect(chooseOnboardingCourse([optionalNewer, required], village)?.id).toBe('d3');
  });
  it('has none when no course covers the unit (the onboarding waits: PENDING_COURSE)', () => {
    expect(chooseOnboardingCourse([otherTown], village)).toBeNull();
  });
});

describe('courses and sessions', () => {
  const course = { name: '初任培训班', type: 'ONBOARDING' as const, audiences: ['MEMBERS' as const], required: true, hours: 16 };
  it('requires an onboarding course to be for members', () => {
    expect(ruleOf(() => checkCourse({ ...course, audiences: ['RESERVES'] }))).toBe('BAD_USER_INPUT:COURSE.ONBOARDING_AUDIENCE');
    expect(() => checkCourse(course)).not.toThrow();
    expect(ruleOf(() => checkCourse({ ...course, passScore: 0 }))).toBe('BAD_USER_INPUT:COURSE.PASS_SCORE');
  });
  const session = { startsOn: '2026-03-09', endsOn: '2026-03-11', place: '区委党校', online: false, mode: 'ROLL' as const, capacity: 40, trainer: '区委党校' };
  it('gives a roll a capacity and a head count none', () => {
    expect(() => checkSession(session)).not.toThrow();
    expect(ruleOf(() => checkSession({ ...session, capacity: null }))).toBe('BAD_USER_INPUT:SESSION.CAPACITY');
    expect(ruleOf(() => checkSession({ ...session, capacity: 5000 }))).toBe('BAD_USER_INPUT:SESSION.CAPACITY');
    expect(() => checkSession({ ...session, mode: 'HEAD_COUNT', capacity: null })).not.toThrow();
    expect(ruleOf(() => checkSession({ ...session, mode: 'HEAD_COUNT' }))).toBe('BAD_USER_INPUT:SESSION.CAPACITY');
  });
  it('needs a place unless online, and dates in order', () => {
    expect(ruleOf(() => checkSession({ ...session, place: ' ' }))).toBe('BAD_USER_INPUT:SESSION.PLACE');
    expect(() => checkSession({ ...session, place: null, online: true })).not.toThrow();
    expect(ruleOf(() => checkSession({ ...session, endsOn: '2026-03-08' }))).toBe('BAD_USER_INPUT:SESSION.DATES');
  });
});

describe('enrolment', () => {
  it('seats while a seat is free, then waits; frees as many as there are seats', () => {
    expect(placeIn(2, 1)).toBe('ENROLLED');
    expect(placeIn(2, 2)).toBe('WAITLISTED');
    expect(promotions(2, 1, 3)).toBe(1);
    expect(promotions(2, 2, 3)).toBe(0);
    expect(promotions(5, 1, 2)).toBe(2);
  });
  const base = { status: 'ENROLLED' as const, attendance: 'PRESENT' as const, passScore: 60, score: 75, sessionStartsOn: '2026-03-09', today: '2026-03-10' };
  it('completes who attended and passed; not who failed, was absent or excused', () => {
    expect(completionOf(base)).toEqual({ status: 'COMPLETED', score: 75 });
    expect(completionOf({ ...base, score: 59.5 })).toEqual({ status: 'NOT_COMPLETED', score: 59.5 });
    expect(completionOf({ ...base, attendance: 'ABSENT', score: null })).toEqual({ status: 'NOT_COMPLETED', score: null });
    expect(completionOf({ ...base, attendance: 'EXCUSED', passScore: null, score: null })).toEqual({ status: 'NOT_COMPLETED', score: null });
    expect(completionOf({ ...base, passScore: null, score: null })).toEqual({ status: 'COMPLETED', score: null });
  });
  it('refuses to conclude without attendance, before the session, or without the score a scored course needs', () => {
    expect(ruleOf(() => completionOf({ ...base, attendance: null }))).toBe('CONFLICT:COMPLETION.NO_ATTENDANCE');
    expect(ruleOf(() => completionOf({ ...base, today: '2026-03-08' }))).toBe('CONFLICT:COMPLETION.NOT_STARTED');
    expect(ruleOf(() => completionOf({ ...base, score: null }))).toBe('BAD_USER_INPUT:COMPLETION.SCORE');
    expect(ruleOf(() => completionOf({ ...base, passScore: null }))).toBe('BAD_USER_INPUT:COMPLETION.SCORE');
    expect(ruleOf(() => completionOf({ ...base, status: 'WAITLISTED' }))).toBe('CONFLICT:COMPLETION.NOT_SEATED');
  });
  it('numbers certificates by county, year and serial', () => {
    expect(certificateNumber('510107000000', '2026-03-10', 123)).toBe('PX-510107-2026-000123');
  });
});

describe('the 十个一 checklist', () => {
  const task = { task: 'HANDOVER', evidenceNote: '交接清单已签字,存村委档案', completedOn: '2026-02-01' };
  it('has ten tasks, in the order of the source', () => {
    expect(CHECKLIST_TASK_CODES).toHaveLength(10);
    expect(CHECKLIST_TASK_CODES[0]).toBe('STUDY_SESSION');
    expect(CHECKLIST_TASK_CODES[9]).toBe('RESULTS_REVIEW');
  });
  it('takes a task with evidence, dated within the term and not in the future', () => {
    expect(() => checkTaskCompletion(task, '2026-01-15', '2026-03-10', null)).not.toThrow();
    expect(ruleOf(() => checkTaskCompletion({ ...task, completedOn: '2026-01-14' }, '2026-01-15', '2026-03-10', null))).toBe('BAD_USER_INPUT:CHECKLIST.DATE');
    expect(ruleOf(() => checkTaskCompletion({ ...task, completedOn: '2026-03-11' }, '2026-01-15', '2026-03-10', null))).toBe('BAD_USER_INPUT:CHECKLIST.DATE');
    expect(ruleOf(() => checkTaskCompletion({ ...task, evidenceNote: ' ' }, '2026-01-15', '2026-03-10', null))).toBe('BAD_USER_INPUT:CHECKLIST.EVIDENCE');
    expect(ruleOf(() => checkTaskCompletion({ ...task, task: 'PARTY' }, '2026-01-15', '2026-03-10', null))).toBe('BAD_USER_INPUT:CHECKLIST.TASK');
    expect(ruleOf(() => checkTaskCompletion(task, '2026-01-15', '2026-03-10', '2026-03-01'))).toBe('CONFLICT:CHECKLIST.CLOSED');
  });
  it('is done on the day of its latest task once all ten are done', () => {
    const nine = CHECKLIST_TASK_CODES.slice(0, 9).map((t, i) => ({ task: t, completedOn: `2026-02-${String(10 + i).padStart(2, '0')}` }));
    expect(completionDate([...nine, { task: 'RESULTS_REVIEW', completedOn: null }])).toBeNull();
    expect(completionDate([...nine, { task: 'RESULTS_REVIEW', completedOn: '2026-02-05' }])).toBe('2026-02-18');
  });
});

describe('老带新', () => {
  const pair = { mentorPersonId: 'm', menteePersonId: 'n', startsOn: '2026-02-01', endsOn: null };
  it('gives a new secretary one mentor at a time', () => {
    expect(ruleOf(() => checkNoOverlap(pair, [{ startsOn: '2026-01-01', endsOn: null }]))).toBe('CONFLICT:MENTORSHIP.MENTEE_PAIRED');
    expect(ruleOf(() => checkNoOverlap(pair, [{ startsOn: '2026-01-01', endsOn: '2026-02-01' }]))).toBe('CONFLICT:MENTORSHIP.MENTEE_PAIRED');
    expect(() => checkNoOverlap(pair, [{ startsOn: '2026-01-01', endsOn: '2026-01-31' }])).not.toThrow();
  });
  it('logs meetings within the pairing only', () => {
    expect(ruleOf(() => checkMeeting({ heldOn: '2026-01-31', topic: '换届流程' }, pair, '2026-03-10'))).toBe('BAD_USER_INPUT:MEETING.OUTSIDE_PAIRING');
    expect(ruleOf(() => checkMeeting({ heldOn: '2026-03-11', topic: '换届流程' }, pair, '2026-03-10'))).toBe('BAD_USER_INPUT:MEETING.HELD_ON');
    expect(() => checkMeeting({ heldOn: '2026-03-01', topic: '换届流程' }, pair, '2026-03-10')).not.toThrow();
  });
});

describe('coverage', () => {
  it('counts this cycle as the five years up to today', () => {
    expect(defaultSince('2026-03-10')).toBe('2021-03-11');
    expect(defaultSince('2024-02-29')).toBe('2019-03-02');
  });
  it('gives percents with one decimal, null over nothing', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBeNull();
  });
  it('lists units behind, most missing first', () => {
    const zero = { secretaries: 0, secretariesTrained: 0, reserves: 0, reservesTrained: 0, newMembers: 0, newMembersOnboarded: 0, checklists: 0, checklistsCompleted: 0 };
    const units = [
      { ...zero, regionPath: 'a', secretaries: 1, secretariesTrained: 1 },
      { ...zero, regionPath: 'b', newMembers: 3, newMembersOnboarded: 1 },
      { ...zero, regionPath: 'c', reserves: 2, checklists: 1 },
    ];
    expect(unitsBehind(units).map((u) => u.regionPath)).toEqual(['c', 'b']);
  });
});
