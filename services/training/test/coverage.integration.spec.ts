import { randomUUID } from 'node:crypto';
import { PersonRegistered, PositionAssigned, topicOf, type EventEnvelope } from '@huanjie/events';
import { startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { CHECKLIST_TASK_CODES } from '../src/domain/checklist.rules';
import { committee, graphql, pathOf, personEvent, positionAssigned, positionEnded, ruleOfResponse, termStarted } from './fixture';

// 武侯区 with three villages, seeded through the events personnel would publish and the mutations
// the trainers and towns would make; the report's figures are counted by hand below.
//   A1 (town 001): new PARTY term 2026-01-15 — secA (secretary), m1, m2; the old secretary's seat ended.
//   A2 (town 001): new PARTY term 2026-01-15 — secB (secretary), m3.
//   B1 (town 002): a term of 2021 still running — secC (secretary).
// Reserves: r1 (A1), r2 (A2), r3 (B1: became a reserve by PersonUpdated), r4 (A1: no longer one).
const NOW = new Date('2026-03-10T02:00:00Z');
/** When the people were registered: before the updates of February. */
const REGISTERED = new Date('2026-01-05T00:00:00Z');
const SINCE = '2026-01-01';
const DISTRICT = '510107000000';
const [A1, A2, B1] = ['510107001002', '510107001003', '510107002003'];
const UNIT: Record<string, string> = { [A1]: randomUUID(), [A2]: randomUUID(), [B1]: randomUUID() };
const id = () => randomUUID();
const p = { secA: id(), m1: id(), m2: id(), secB: id(), m3: id(), secC: id(), oldSec: id(), r1: id(), r2: id(), r3: id(), r4: id() };

let sut: ServiceUnderTest;
const { gql, ok } = graphql(() => sut);
const TRAINER = { roles: ['TRAINER' as const], region: DISTRICT };

async function publish(events: EventEnvelope[]) {
  for (const e of events) await sut.bus.publish([e]);
  const last = events.at(-1)!;
  await waitFor(async () => (await sut.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [last.id])).length === 1, { timeoutMs: 30_000, message: `${last.name} handled` });
}

async function course(type: string, audiences: string[], name: string) {
  return (await ok<{ createCourse: { id: string } }>(`mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`, {
    input: { name, type, audiences, required: true, regionCode: DISTRICT, hours: 8 },
  }, TRAINER)).createCourse.id;
}
async function session(courseId: string, startsOn: string, mode: 'ROLL' | 'HEAD_COUNT', regionCode = DISTRICT) {
  return (await ok<{ scheduleSession: { id: string } }>(`mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`, {
    input: { courseId, startsOn, endsOn: '2026-03-10', place: '武侯区委党校', online: false, mode, ...(mode === 'ROLL' ? { capacity: 20 } : {}), trainer: '区委党校', regionCode },
  }, TRAINER)).scheduleSession.id;
}
/** Enrols, marks attendance and concludes: who was PRESENT completes. */
async function train(sessionId: string, who: [person: string, village: string, attendance: 'PRESENT' | 'ABSENT'][]) {
  const ids: string[] = [];
  for (const [personId, village] of who) {
    ids.push((await ok<{ enrol: { id: string } }>(`mutation($input: EnrolInput!) { enrol(input: $input) { id } }`, { input: { sessionId, personId, orgUnitId: UNIT[village], orgUnitCode: village } }, TRAINER)).enrol.id);
  }
  await ok(`mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }`, { input: { sessionId, entries: ids.map((enrolmentId, i) => ({ enrolmentId, attendance: who[i]![2] })) } }, TRAINER);
  for (const enrolmentId of ids) await ok(`mutation($id: ID!) { concludeEnrolment(input: { enrolmentId: $id }) { status } }`, { id: enrolmentId }, TRAINER);
}

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'training_coverage', migrations, partitions: 1, create: (deps) => createServer({ ...deps, now: () => NOW }) });
  await sut.bus.ensureTopics([topicOf(PersonRegistered), topicOf(PositionAssigned)]);
  const onboardingCourse = await course('ONBOARDING', ['MEMBERS', 'SECRETARIES'], '武侯区两委成员初任培训班');
  const rotation = await course('ROTATION', ['SECRETARIES', 'RESERVES'], '武侯区书记和后备干部集中轮训班');
  const briefing = await course('POLICY_BRIEFING', ['MEMBERS'], '换届政策宣讲');

  await publish([
    personEvent(p.r1, UNIT[A1]!, A1, true),
    personEvent(p.r2, UNIT[A2]!, A2, true),
    personEvent(p.r3, UNIT[B1]!, B1, false, false, REGISTERED),
    personEvent(p.r3, UNIT[B1]!, B1, true, true, new Date('2026-02-01T00:00:00Z')),
    personEvent(p.r4, UNIT[A1]!, A1, true, false, REGISTERED),
    personEvent(p.r4, UNIT[A1]!, A1, false, true, new Date('2026-02-01T00:00:00Z')),
    personEvent(p.secA, UNIT[A1]!, A1, false),
  ]);
  const [a1, a2, b1] = [committee(UNIT[A1]!, A1), committee(UNIT[A2]!, A2), committee(UNIT[B1]!, B1)];
  const [oldA1, newA1, newA2, oldB1] = [id(), id(), id(), id()];
  const oldSeat = id();
  await publish([
    termStarted(a1, oldA1, '2021-01-15', 1),
    positionAssigned(a1, oldA1, p.oldSec, 'SECRETARY', '2021-01-15', oldSeat),
    positionEnded(a1, oldA1, p.oldSec, 'SECRETARY', '2021-01-15', '2026-01-14', oldSeat),
    termStarted(a1, newA1, '2026-01-15', 3),
    positionAssigned(a1, newA1, p.secA, 'SECRETARY', '2026-01-15'),
    positionAssigned(a1, newA1, p.m1, 'DEPUTY_SECRETARY', '2026-01-15'),
    positionAssigned(a1, newA1, p.m2, 'PARTY_MEMBER_SEAT', '2026-01-15'),
    termStarted(a2, newA2, '2026-01-15', 2),
    positionAssigned(a2, newA2, p.secB, 'SECRETARY', '2026-01-15'),
    positionAssigned(a2, newA2, p.m3, 'PARTY_MEMBER_SEAT', '2026-01-15'),
    termStarted(b1, oldB1, '2021-01-15', 1),
    positionAssigned(b1, oldB1, p.secC, 'SECRETARY', '2021-01-15'),
  ]);

  // Onboarding: secA and m1 complete; rotation: secC, r1, r3 complete, r2 absent.
  await train(await session(onboardingCourse, '2026-03-09', 'ROLL'), [[p.secA, A1, 'PRESENT'], [p.m1, A1, 'PRESENT']]);
  await train(await session(rotation, '2026-03-09', 'ROLL'), [[p.secC, B1, 'PRESENT'], [p.r1, A1, 'PRESENT'], [p.r3, B1, 'PRESENT'], [p.r2, A2, 'ABSENT']]);
  // Briefings: 300 heads this cycle in town 001; one of December 2025 is before the window.
  const thisCycle = await session(briefing, '2026-02-20', 'HEAD_COUNT', '510107001000');
  const lastYear = await session(briefing, '2025-12-20', 'HEAD_COUNT', '510107001000');
  for (const [sessionId, participants] of [[thisCycle, 300], [lastYear, 500]] as const) {
    await ok(`mutation($id: ID!, $n: Int!) { recordHeadCount(input: { sessionId: $id, participants: $n }) { id } }`, { id: sessionId, n: participants }, TRAINER);
  }
  // A1's committee does all ten tasks; A2's none.
  const [{ id: checklistId }] = await sut.dataSource.query(`SELECT id FROM onboarding_checklist WHERE term_id = $1`, [newA1]);
  for (const task of CHECKLIST_TASK_CODES) {
    await ok(`mutation($input: CompleteChecklistTaskInput!) { completeChecklistTask(input: $input) { id } }`, { input: { checklistId, task, evidenceNote: '已完成,记录存档', completedOn: '2026-02-15' } });
  }
}, 180_000);
afterAll(async () => sut?.stop());

const REPORT = `query($code: String!, $since: String) { trainingCoverageReport(regionCode: $code, since: $since) {
  regionCode since today
  secretariesTrained { ...share } reservesTrained { ...share } newMembersOnboarded { ...share } checklistsCompleted { ...share }
  participantsByCourseType { type sessions participants }
  unitsBehindCount
  unitsBehind { orgUnitId regionPath missing secretariesTrained { ...share } reservesTrained { ...share } newMembersOnboarded { ...share } checklistsCompleted { ...share } }
} }
fragment share on CoverageShare { total done percent targetPercent }`;
const share = (done: number, total: number, percent: number | null) => ({ total, done, percent, targetPercent: 100 });

describe('the training coverage report', () => {
  it('answers the district with the figures counted by hand, in two statements', async () => {
    sut.counter.reset();
    const { trainingCoverageReport: r } = await ok<{ trainingCoverageReport: Record<string, unknown> }>(REPORT, { code: DISTRICT, since: SINCE }, { roles: ['AUDITOR'], region: DISTRICT });
    expect(sut.counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q))).toHaveLength(2);
    expect(r).toEqual({
      regionCode: DISTRICT,
      since: SINCE,
      today: '2026-03-10',
      // secA (onboarding course is for SECRETARIES too), secC (rotation) of secA, secB, secC; the old secretary's seat ended.
      secretariesTrained: share(2, 3, 66.7),
      // r1, r3 of r1, r2, r3 (r4 is no longer a reserve; r2 was absent).
      reservesTrained: share(2, 3, 66.7),
      // secA, m1 of the five seated since January (secC's seat of 2021 is of the last cycle).
      newMembersOnboarded: share(2, 5, 40),
      // A1's of A1's and A2's (B1's term began in 2021).
      checklistsCompleted: share(1, 2, 50),
      participantsByCourseType: [
        { type: 'ONBOARDING', sessions: 1, participants: 2 },
        { type: 'POLICY_BRIEFING', sessions: 1, participants: 300 },
        { type: 'ROTATION', sessions: 1, participants: 3 },
      ],
      unitsBehindCount: 2,
      unitsBehind: [
        // A2 owes everything: its secretary, its reserve, two new members, its checklist.
        { orgUnitId: UNIT[A2], regionPath: pathOf(A2), missing: 5, secretariesTrained: share(0, 1, 0), reservesTrained: share(0, 1, 0), newMembersOnboarded: share(0, 2, 0), checklistsCompleted: share(0, 1, 0) },
        // A1 owes m2's onboarding.
        { orgUnitId: UNIT[A1], regionPath: pathOf(A1), missing: 1, secretariesTrained: share(1, 1, 100), reservesTrained: share(1, 1, 100), newMembersOnboarded: share(2, 3, 66.7), checklistsCompleted: share(1, 1, 100) },
      ],
    });
  });

  it('answers a town alone, and counts the whole term by default', async () => {
    const { trainingCoverageReport: town } = await ok<{ trainingCoverageReport: Record<string, unknown> }>(REPORT, { code: '510107002000' });
    expect(town).toMatchObject({ since: '2021-03-11', secretariesTrained: share(1, 1, 100), reservesTrained: share(1, 1, 100), newMembersOnboarded: share(0, 0, null), unitsBehindCount: 0 });
    // Over the five-year default window, B1's term of 2021-01-15 is still before it: nothing to onboard.
    const { trainingCoverageReport: district } = await ok<{ trainingCoverageReport: { participantsByCourseType: { type: string; participants: number }[] } }>(REPORT, { code: DISTRICT });
    expect(district.participantsByCourseType.find((t) => t.type === 'POLICY_BRIEFING')).toEqual({ type: 'POLICY_BRIEFING', sessions: 2, participants: 800 });
  });

  it('refuses a region outside the caller\'s scope and a window in the future', async () => {
    expect(ruleOfResponse(await gql(REPORT, { code: DISTRICT }, { roles: ['TOWN_OFFICER'], region: '510107001000' }))).toBe('FORBIDDEN:AUTH.REGION_SCOPE');
    expect(ruleOfResponse(await gql(REPORT, { code: DISTRICT, since: '2026-04-01' }))).toBe('BAD_USER_INPUT:COVERAGE.SINCE');
  });
});
