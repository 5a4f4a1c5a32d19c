import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PersonRegistered, PositionAssigned, topicOf, type EventEnvelope } from '@huanjie/events';
import { startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { committee, graphql, pathOf, personEvent, positionAssigned, ruleOfResponse, termStarted } from './fixture';

// 武侯区 runs a scored rotation course (集中轮训) with a session of two seats, and a policy briefing
// too large for a roll. Today is 10 March 2026; the session runs 9–11 March.
const NOW = new Date('2026-03-10T02:00:00Z');
const DISTRICT = '510107000000';
const VILLAGE = '510107001002';
const OTHER_VILLAGE = '510107002003';
const UNIT = randomUUID();
const OTHER_UNIT = randomUUID();

let sut: ServiceUnderTest;
let db: DataSource;
const { gql, ok } = graphql(() => sut);
const TRAINER = { roles: ['TRAINER' as const], region: DISTRICT };
const TOWN = { roles: ['TOWN_OFFICER' as const], region: '510107001000' };

const people = Array.from({ length: 5 }, () => randomUUID());
let courseId: string;
let sessionId: string;
const enrolmentOf: Record<string, string> = {};

async function publish(events: EventEnvelope[]) {
  for (const e of events) await sut.bus.publish([e]);
  const last = events.at(-1)!;
  await waitFor(async () => (await db.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [last.id])).length === 1, { timeoutMs: 30_000, message: `${last.name} handled` });
}

const ENROL = `mutation($input: EnrolInput!) { enrol(input: $input) { id status waitlistPosition } }`;
const SESSION = `query($id: ID!) { trainingSession(id: $id) { seated waiting participants enrolments(first: 10) { nodes { person { id } status waitlistPosition attendance } } } }`;
const enrolInput = (personId: string) => ({ sessionId, personId, orgUnitId: UNIT, orgUnitCode: VILLAGE });

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'training_enrolment', migrations, partitions: 1, create: (deps) => createServer({ ...deps, now: () => NOW }) });
  db = sut.dataSource;
  await sut.bus.ensureTopics([topicOf(PersonRegistered), topicOf(PositionAssigned)]);
  await publish(people.map((p) => personEvent(p, UNIT, VILLAGE, false)));
  const course = await ok<{ createCourse: { id: string } }>(
    `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`,
    { input: { name: '2026年武侯区村(社区)书记集中轮训班', type: 'ROTATION', audiences: ['SECRETARIES', 'RESERVES'], required: true, regionCode: DISTRICT, hours: 24, passScore: 60 } },
    TRAINER,
  );
  courseId = course.createCourse.id;
  const session = await ok<{ scheduleSession: { id: string } }>(
    `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`,
    { input: { courseId, startsOn: '2026-03-09', endsOn: '2026-03-11', place: '武侯区委党校', online: false, mode: 'ROLL', capacity: 2, trainer: '区委党校', regionCode: DISTRICT } },
    TRAINER,
  );
  sessionId = session.scheduleSession.id;
}, 120_000);
afterAll(async () => sut?.stop());

describe('capacity and the waiting list', () => {
  it('seats the first two and puts the next on the waiting list in order', async () => {
    for (const p of people.slice(0, 4)) enrolmentOf[p] = (await ok<{ enrol: { id: string } }>(ENROL, { input: enrolInput(p) }, TOWN)).enrol.id;
    const { trainingSession } = await ok<{ trainingSession: { seated: number; waiting: number; enrolments: { nodes: { person: { id: string }; status: string; waitlistPosition: number | null }[] } } }>(SESSION, { id: sessionId });
    expect(trainingSession.seated).toBe(2);
    expect(trainingSession.waiting).toBe(2);
    expect(trainingSession.enrolments.nodes.map((n) => [n.person.id, n.status, n.waitlistPosition])).toEqual([
      [people[0], 'ENROLLED', null],
      [people[1], 'ENROLLED', null],
      [people[2], 'WAITLISTED', 1],
      [people[3], 'WAITLISTED', 2],
    ]);
  });

  it('refuses a second open enrolment in the course, and enrolling people outside the caller\'s scope', async () => {
    expect(ruleOfResponse(await gql(ENROL, { input: enrolInput(people[0]!) }, TOWN))).toBe('CONFLICT:ENROLMENT.ALREADY_OPEN');
    const outside = { sessionId, personId: people[4], orgUnitId: OTHER_UNIT, orgUnitCode: OTHER_VILLAGE };
    expect(ruleOfResponse(await gql(ENROL, { input: outside }, TOWN))).toBe('FORBIDDEN:AUTH.REGION_SCOPE');
  });

  it('moves the first of the waiting list up when a seated person cancels', async () => {
    const res = await ok<{ cancelEnrolment: { status: string } }>(`mutation($id: ID!) { cancelEnrolment(input: { enrolmentId: $id }) { status } }`, { id: enrolmentOf[people[1]!] }, TOWN);
    expect(res.cancelEnrolment.status).toBe('CANCELLED');
    const { trainingSession } = await ok<{ trainingSession: { seated: number; waiting: number; enrolments: { nodes: { person: { id: string }; status: string; waitlistPosition: number | null }[] } } }>(SESSION, { id: sessionId });
    expect([trainingSession.seated, trainingSession.waiting]).toEqual([2, 1]);
    expect(trainingSession.enrolments.nodes.map((n) => [n.person.id, n.status, n.waitlistPosition])).toEqual([
      [people[0], 'ENROLLED', null],
      [people[2], 'ENROLLED', null],
      [people[3], 'WAITLISTED', 1],
      [people[1], 'CANCELLED', null],
    ]);
    expect(await db.query(`SELECT entity_id FROM audit_log WHERE action = 'promoteFromWaitingList'`)).toEqual([{ entity_id: enrolmentOf[people[2]!] }]);
  });
});

describe('attendance to completion', () => {
  const ATTEND = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id attendance } }`;
  const CONCLUDE = `mutation($input: ConcludeEnrolmentInput!) { concludeEnrolment(input: $input) { status score certificateNo completedOn } }`;

  it('takes the roll of seated people only', async () => {
    const waiting = await gql(ATTEND, { input: { sessionId, entries: [{ enrolmentId: enrolmentOf[people[3]!], attendance: 'PRESENT' }] } }, TRAINER);
    expect(ruleOfResponse(waiting)).toBe('CONFLICT:ATTENDANCE.NOT_SEATED');
    const res = await ok<{ recordAttendance: { id: string; attendance: string }[] }>(
      ATTEND,
      { input: { sessionId, entries: [{ enrolmentId: enrolmentOf[people[0]!], attendance: 'PRESENT' }, { enrolmentId: enrolmentOf[people[2]!], attendance: 'EXCUSED' }] } },
      TRAINER,
    );
    expect(res.recordAttendance.map((e) => e.attendance).sort()).toEqual(['EXCUSED', 'PRESENT']);
  });

  it('completes who attended and passed, with a certificate, hours on the file and TrainingCompleted', async () => {
    expect(ruleOfResponse(await gql(CONCLUDE, { input: { enrolmentId: enrolmentOf[people[0]!] } }, TRAINER))).toBe('BAD_USER_INPUT:COMPLETION.SCORE');
    const done = await ok<{ concludeEnrolment: { status: string; score: number; certificateNo: string; completedOn: string } }>(CONCLUDE, { input: { enrolmentId: enrolmentOf[people[0]!], score: 86.5 } }, TRAINER);
    expect(done.concludeEnrolment).toEqual({ status: 'COMPLETED', score: 86.5, certificateNo: expect.stringMatching(/^PX-510107-2026-\d{6}$/), completedOn: '2026-03-10' });
    const excused = await ok<{ concludeEnrolment: { status: string; certificateNo: string | null } }>(CONCLUDE, { input: { enrolmentId: enrolmentOf[people[2]!] } }, TRAINER);
    expect(excused.concludeEnrolment).toMatchObject({ status: 'NOT_COMPLETED', certificateNo: null });
    expect(ruleOfResponse(await gql(CONCLUDE, { input: { enrolmentId: enrolmentOf[people[0]!], score: 90 } }, TRAINER))).toBe('CONFLICT:COMPLETION.NOT_SEATED');

    const events = await db.query(`SELECT topic, subject, payload FROM outbox WHERE type = 'huanjie.training.TrainingCompleted'`);
    expect(events).toEqual([
      {
        topic: 'training.enrolment.v1',
        subject: enrolmentOf[people[0]!],
        payload: {
          enrolmentId: enrolmentOf[people[0]!],
          courseId,
          courseType: 'ROTATION',
          sessionId,
          personId: people[0],
          orgUnitId: UNIT,
          regionPath: pathOf(VILLAGE),
          completedOn: '2026-03-10',
          onboarding: false,
        },
      },
    ]);
    // No score, certificate number or name leaves the service.
    expect(JSON.stringify(events[0].payload)).not.toMatch(/86\.5|PX-/);
    const { _entities } = await ok<{ _entities: { trainingRecord: { hoursCompleted: number; coursesCompleted: number }; enrolments: { status: string }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { trainingRecord { hoursCompleted coursesCompleted } enrolments { status } } } }`,
      { reps: [{ __typename: 'Person', id: people[0] }] },
    );
    expect(_entities[0]).toEqual({ trainingRecord: { hoursCompleted: 24, coursesCompleted: 1 }, enrolments: [{ status: 'COMPLETED' }] });
  });

  it('completes an automatic onboarding enrolment placed in a session: the member\'s onboarding is COMPLETED', async () => {
    const onboardingCourse = await ok<{ createCourse: { id: string } }>(
      `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`,
      { input: { name: '武侯区两委成员初任培训班', type: 'ONBOARDING', audiences: ['MEMBERS'], required: true, regionCode: DISTRICT, hours: 8 } },
      TRAINER,
    );
    const c = committee(UNIT, VILLAGE);
    const term = randomUUID();
    await publish([termStarted(c, term, '2026-01-15', 1), positionAssigned(c, term, people[4]!, 'SECRETARY', '2026-01-15')]);
    const s = await ok<{ scheduleSession: { id: string } }>(
      `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`,
      { input: { courseId: onboardingCourse.createCourse.id, startsOn: '2026-03-10', endsOn: '2026-03-10', online: true, mode: 'ROLL', capacity: 30, trainer: '区委组织部', regionCode: DISTRICT } },
      TRAINER,
    );
    const placed = await ok<{ enrol: { id: string; status: string } }>(ENROL, { input: { ...enrolInput(people[4]!), sessionId: s.scheduleSession.id } }, TOWN);
    expect(placed.enrol.status).toBe('ENROLLED');
    expect(await db.query(`SELECT count(*)::int AS n FROM enrolment WHERE person_id = $1`, [people[4]])).toEqual([{ n: 1 }]);
    await ok(`mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }`, { input: { sessionId: s.scheduleSession.id, entries: [{ enrolmentId: placed.enrol.id, attendance: 'PRESENT' }] } }, TRAINER);
    await ok(`mutation($input: ConcludeEnrolmentInput!) { concludeEnrolment(input: $input) { status } }`, { input: { enrolmentId: placed.enrol.id } }, TRAINER);
    const { _entities } = await ok<{ _entities: { onboarding: { status: string } }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { onboarding { status } } } }`,
      { reps: [{ __typename: 'Person', id: people[4] }] },
    );
    expect(_entities[0]!.onboarding.status).toBe('COMPLETED');
    const [event] = await db.query(`SELECT payload FROM outbox WHERE subject = $1`, [placed.enrol.id]);
    expect(event.payload).toMatchObject({ courseType: 'ONBOARDING', onboarding: true });
  });

  it('lets a cancelled onboarding enrolment be replaced: the onboarding follows the new enrolment', async () => {
    const [{ id: onboardingCourseId }] = await db.query(`SELECT id FROM course WHERE type = 'ONBOARDING'`);
    const c = committee(UNIT, VILLAGE, 'VILLAGERS');
    const term = randomUUID();
    await publish([termStarted(c, term, '2026-01-15', 1), positionAssigned(c, term, people[3]!, 'DIRECTOR', '2026-01-15')]);
    const status = async () =>
      (await ok<{ _entities: { onboarding: { status: string } }[] }>(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { onboarding { status } } } }`, {
        reps: [{ __typename: 'Person', id: people[3] }],
      }))._entities[0]!.onboarding.status;
    expect(await status()).toBe('AWAITING_SESSION');
    const [{ enrolment_id }] = await db.query(`SELECT enrolment_id FROM onboarding WHERE person_id = $1`, [people[3]]);
    await ok(`mutation($id: ID!) { cancelEnrolment(input: { enrolmentId: $id }) { status } }`, { id: enrolment_id }, TOWN);
    expect(await status()).toBe('CANCELLED');
    const s = await ok<{ scheduleSession: { id: string } }>(
      `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`,
      { input: { courseId: onboardingCourseId, startsOn: '2026-03-12', endsOn: '2026-03-12', online: true, mode: 'ROLL', capacity: 30, trainer: '区委组织部', regionCode: DISTRICT } },
      TRAINER,
    );
    await ok(ENROL, { input: { ...enrolInput(people[3]!), sessionId: s.scheduleSession.id } }, TOWN);
    expect(await status()).toBe('ENROLLED');
  });
});

describe('large events and reading', () => {
  it('counts the heads of a briefing without a roll', async () => {
    const course = await ok<{ createCourse: { id: string } }>(
      `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`,
      { input: { name: '换届政策宣讲', type: 'POLICY_BRIEFING', audiences: ['MEMBERS', 'RESERVES'], required: false, regionCode: DISTRICT, hours: 2 } },
      TRAINER,
    );
    const s = await ok<{ scheduleSession: { id: string } }>(
      `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`,
      { input: { courseId: course.createCourse.id, startsOn: '2026-03-08', endsOn: '2026-03-08', place: '簇桥街道坝坝会', online: false, mode: 'HEAD_COUNT', trainer: '宣讲团', regionCode: '510107001000' } },
      TRAINER,
    );
    expect(ruleOfResponse(await gql(ENROL, { input: { ...enrolInput(people[3]!), sessionId: s.scheduleSession.id } }, TOWN))).toBe('CONFLICT:SESSION.NO_ROLL');
    const res = await ok<{ recordHeadCount: { participants: number; capacity: number | null } }>(
      `mutation($id: ID!) { recordHeadCount(input: { sessionId: $id, participants: 1268 }) { participants capacity } }`,
      { id: s.scheduleSession.id },
      TRAINER,
    );
    expect(res.recordHeadCount).toEqual({ participants: 1268, capacity: null });
  });

  it('lists courses with their sessions and rolls in a fixed number of statements', async () => {
    sut.counter.reset();
    const { courses } = await ok<{ courses: { nodes: { type: string; sessions: { participants: number; enrolments: { nodes: { person: { id: string }; course: { id: string } }[] } }[] }[] } }>(
      `{ courses(first: 10) { nodes { type sessions { participants seated waiting enrolments(first: 5) { nodes { status waitlistPosition person { id } course { id } session { id } } } } } } }`,
      {},
      TOWN,
    );
    expect(courses.nodes.map((c) => c.type).sort()).toEqual(['ONBOARDING', 'POLICY_BRIEFING', 'ROTATION']);
    // courses; sessions of all courses; counts; rolls; waiting-list places; course and session by id.
    expect(sut.counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q)).length).toBeLessThanOrEqual(7);
  });
});

describe('老带新', () => {
  const mentor = randomUUID();
  const [newA, newB] = [randomUUID(), randomUUID()];
  const PAIR = `mutation($input: PairMentorInput!) { pairMentor(input: $input) { id active mentor { id } mentee { id } } }`;

  it('pairs a former secretary with several new ones, one mentor per new secretary, and logs meetings', async () => {
    const pair = (mentee: string, startsOn: string) => ({ mentorPersonId: mentor, menteePersonId: mentee, orgUnitId: UNIT, orgUnitCode: VILLAGE, startsOn });
    const first = await ok<{ pairMentor: { id: string; active: boolean } }>(PAIR, { input: pair(newA, '2026-02-01') }, TOWN);
    await ok(PAIR, { input: pair(newB, '2026-02-01') }, TOWN);
    expect(first.pairMentor.active).toBe(true);
    expect(ruleOfResponse(await gql(PAIR, { input: { ...pair(newA, '2026-03-01'), mentorPersonId: randomUUID() } }, TOWN))).toBe('CONFLICT:MENTORSHIP.MENTEE_PAIRED');
    await ok(`mutation($input: LogMentorshipMeetingInput!) { logMentorshipMeeting(input: $input) { id } }`, { input: { mentorshipId: first.pairMentor.id, heldOn: '2026-03-02', topic: '逐项梳理换届选举流程,大会实战演练' } }, TOWN);
    const ended = await ok<{ endMentorship: { endsOn: string; active: boolean } }>(
      `mutation { endMentorship(input: { mentorshipId: "${first.pairMentor.id}", endsOn: "2026-03-09" }) { endsOn active } }`,
      {},
      TOWN,
    );
    expect(ended.endMentorship).toEqual({ endsOn: '2026-03-09', active: false });
    const { _entities } = await ok<{ _entities: { mentorships: { mentee: { id: string }; meetings: { heldOn: string }[] }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { mentorships { mentee { id } meetings { heldOn } } } } }`,
      { reps: [{ __typename: 'Person', id: mentor }] },
    );
    expect(_entities[0]!.mentorships.map((m) => [m.mentee.id, m.meetings.length]).sort()).toEqual([[newA, 1], [newB, 0]].sort());
  });
});
