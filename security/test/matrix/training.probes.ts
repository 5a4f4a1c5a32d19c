import { waitFor } from '@huanjie/testkit';
import { idNumber, type Graph } from '../world';
import { auditLogProbe, CITY, OWN, OWN_VILLAGE, SIBLING, SIBLING_VILLAGE, type BaseWorld, type MatrixKit, type ServiceProbes } from './kit';

// Training's records of the own district — courses, sessions, enrolments, mentoring pairs, the
// committee's 十个一 checklist, training files — with decoys in the sibling district and, at the
// city above both, a course whose sessions and roll mix the two districts: a caller of either
// district sees the city's course but only its own district's sessions and people.

/**
 * Training files, onboardings and checklists are made only by training's consumers of personnel's
 * events (PersonRegistered, TermStarted, PositionAssigned). The matrix graph gives each service its
 * own topic prefix, so nothing flows between them; this forwards personnel's two topics to
 * training as Kafka does in production. The spec wraps startGraph with it.
 */
export async function bridgePersonnelToTraining(graph: Graph): Promise<void> {
  const training = graph.services.training.bus;
  await graph.services.personnel.bus.subscribe({
    group: 'matrix.personnel-to-training',
    topics: ['personnel.person.v1', 'personnel.committee.v1'],
    handler: (event) => training.publish([event]),
  });
}

export interface TrainingFixtures {
  /** people[0]'s training file. */
  ownRecord: string;
  /** A ROTATION course of the own district, not scored. */
  ownCourse: string;
  /** Its ROLL session in the own district: begun (2026-03-01), not ended (2026-03-05). */
  ownSession: string;
  /** A HEAD_COUNT session of it: a head count may be corrected any number of times. */
  headCountSession: string;
  /** people[0] ENROLLED in ownSession. */
  ownEnrolment: string;
  /** people[1] ENROLLED in ownSession: roll calls may be repeated to correct them. */
  attendanceEnrolment: string;
  /** A session of its own course where people[3] is enrolled afresh for each cancelEnrolment. */
  cancelSession: string;
  /** The city's session (seen from both districts); its roll has people[2] and a sibling person. */
  citySession: string;
  /** mentor people[3], mentee people[0], open-ended since 2026-01-20, with a meeting. */
  mentorship: string;
  /** The 十个一 checklist of the own village's VILLAGERS committee (term from 2026-01-15). */
  checklist: string;
}

type Id = { id: string };
const CREATE_COURSE = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`;
const SCHEDULE = `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`;
const ENROL = `mutation($input: EnrolInput!) { enrol(input: $input) { id } }`;
const ATTEND = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }`;
const PAIR = `mutation($input: PairMentorInput!) { pairMentor(input: $input) { id } }`;
const MEET = `mutation($input: LogMentorshipMeetingInput!) { logMentorshipMeeting(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
const START_TERM = `mutation($input: StartTermInput!) { startTerm(input: $input) { id committee { id } positions { id } } }`;

const WAIT = { timeoutMs: 60_000, intervalMs: 250 };
/** The first nine tasks: the tenth would close the checklist. */
const TASKS = ['STUDY_SESSION', 'HANDOVER', 'VISIT_RESIDENTS', 'RESIDENTS_DIARY', 'ROLE_MODEL', 'PUBLIC_PLEDGE', 'COMMITTEE_TALK', 'PRACTICAL_PROJECT', 'RULES'];

/** A day of its own for the n-th one-day mentoring pair of a mentee: pairs of one mentee must not overlap. */
const dayOf = (n: number) => new Date(Date.UTC(2001, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

async function course(kit: MatrixKit, regionCode: string, name: string, type = 'ROTATION'): Promise<string> {
  const audiences = type === 'ONBOARDING' ? ['MEMBERS'] : ['SECRETARIES', 'RESERVES'];
  const input = { name, type, audiences, required: type === 'ONBOARDING', regionCode, hours: 8 };
  return (await kit.seed<{ createCourse: Id }>(CREATE_COURSE, { input })).createCourse.id;
}

async function session(kit: MatrixKit, courseId: string, regionCode: string, mode: 'ROLL' | 'HEAD_COUNT' = 'ROLL', startsOn = '2026-03-01'): Promise<string> {
  const input = { courseId, startsOn, endsOn: '2026-03-05', place: '党群服务中心', online: false, mode, ...(mode === 'ROLL' ? { capacity: 40 } : {}), trainer: '区委党校', regionCode };
  return (await kit.seed<{ scheduleSession: Id }>(SCHEDULE, { input })).scheduleSession.id;
}

async function enrol(kit: MatrixKit, sessionId: string, personId: string, orgUnitId: string, orgUnitCode: string): Promise<string> {
  return (await kit.seed<{ enrol: Id }>(ENROL, { input: { sessionId, personId, orgUnitId, orgUnitCode } })).enrol.id;
}

async function pair(kit: MatrixKit, mentor: string, mentee: string, orgUnitId: string, orgUnitCode: string, startsOn: string, endsOn: string | null): Promise<string> {
  return (await kit.seed<{ pairMentor: Id }>(PAIR, { input: { mentorPersonId: mentor, menteePersonId: mentee, orgUnitId, orgUnitCode, startsOn, endsOn } })).pairMentor.id;
}

async function meet(kit: MatrixKit, mentorshipId: string, topic: string): Promise<string> {
  return (await kit.seed<{ logMentorshipMeeting: Id }>(MEET, { input: { mentorshipId, heldOn: '2026-02-10', topic } })).logMentorshipMeeting.id;
}

/** A fresh own-district course with a begun ROLL session: the target of one successful call. */
async function freshSession(kit: MatrixKit): Promise<string> {
  const courseId = await course(kit, OWN, `武侯区专题培训${kit.next()}`);
  kit.ledger.track('own', courseId);
  const sessionId = await session(kit, courseId, OWN);
  kit.ledger.track('own', sessionId);
  return sessionId;
}

/** A village committee's term through personnel; training opens its checklist and onboards its members from the events. */
async function term(kit: MatrixKit, where: 'own' | 'sibling', orgUnitId: string, people: string[]): Promise<{ committee: string; checklist: string }> {
  const positions = people.map((personId, i) => ({ personId, role: i === 0 ? 'DIRECTOR' : 'MEMBER' }));
  const { startTerm } = await kit.seed<{ startTerm: Id & { committee: Id; positions: Id[] } }>(START_TERM, {
    input: { orgUnitId, committeeKind: 'VILLAGERS', startsOn: '2026-01-15', positions },
  });
  kit.ledger.track(where, startTerm.id, startTerm.committee.id, ...startTerm.positions.map((p) => p.id));
  const query = `query($id: ID!) { committee(id: $id) { onboardingChecklist { id } currentTerm { onboardings { id enrolment { id } } } } }`;
  type Seen = { committee: { onboardingChecklist: Id | null; currentTerm: { onboardings: (Id & { enrolment: Id | null })[] } } };
  const seen = await waitFor(async () => {
    const { committee } = await kit.seed<Seen>(query, { id: startTerm.committee.id });
    return committee.onboardingChecklist && committee.currentTerm.onboardings.length === people.length ? committee : null;
  }, { ...WAIT, message: `training to open the ${where} committee's checklist and onboard its members` });
  kit.ledger.track(where, seen.onboardingChecklist!.id, ...seen.currentTerm.onboardings.flatMap((o) => [o.id, o.enrolment?.id]));
  return { committee: startTerm.committee.id, checklist: seen.onboardingChecklist!.id };
}

/** The training files of people, once training has handled their PersonRegistered. */
async function trainingFiles(kit: MatrixKit, where: 'own' | 'sibling', people: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const id of people) {
    const file = await waitFor(
      async () => (await kit.seed<{ person: { trainingRecord: Id | null } }>(`query($id: ID!) { person(id: $id) { trainingRecord { id } } }`, { id })).person.trainingRecord?.id,
      { ...WAIT, message: `training to open the training file of ${id}` },
    );
    kit.ledger.track(where, file);
    files.push(file);
  }
  return files;
}

export const trainingProbes: ServiceProbes<TrainingFixtures> = {
  started: bridgePersonnelToTraining,
  async setup(kit, world: BaseWorld) {
    const [p0, p1, p2, p3] = world.people as [string, string, string, string];
    const own = (id: string) => (kit.ledger.track('own', id), id);
    const sibling = (id: string) => (kit.ledger.track('sibling', id), id);

    // Two more people in the sibling village: a villagers' committee needs three.
    const siblingPeople = [world.siblingPerson];
    for (const [i, name] of ['孙九', '周十'].entries()) {
      const input = { orgUnitId: world.siblingVillage, name, idNumber: idNumber(`5101041982030100${i}`), ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' };
      siblingPeople.push(sibling((await kit.seed<{ registerPerson: Id }>(REGISTER, { input })).registerPerson.id));
    }
    const [s0, s1] = siblingPeople as [string, string, string];

    // 初任培训 of the own district first, so the new members' onboardings enrol in it.
    own(await course(kit, OWN, '2026年武侯区村(社区)“两委”成员初任培训班', 'ONBOARDING'));
    const ownTerm = await term(kit, 'own', world.village, [p0, p1, p2]);
    await term(kit, 'sibling', world.siblingVillage, siblingPeople);
    const [ownRecord] = await trainingFiles(kit, 'own', [p0, p1, p2, p3]);
    await trainingFiles(kit, 'sibling', siblingPeople);

    // The own district's course and sessions; "2026…" sorts first among the district's courses.
    const ownCourse = own(await course(kit, OWN, '2026年武侯区书记集中轮训班'));
    const ownSession = own(await session(kit, ownCourse, OWN));
    const headCountSession = own(await session(kit, ownCourse, OWN, 'HEAD_COUNT'));
    const ownEnrolment = own(await enrol(kit, ownSession, p0, world.village, OWN_VILLAGE));
    const attendanceEnrolment = own(await enrol(kit, ownSession, p1, world.village, OWN_VILLAGE));
    // A sibling district's person on the own district's roll (sent by the city): an own-district
    // caller reading the roll must not be shown them.
    sibling(await enrol(kit, ownSession, s0, world.siblingVillage, SIBLING_VILLAGE));
    const cancelCourse = own(await course(kit, OWN, '武侯区报名取消演练班'));
    const cancelSession = own(await session(kit, cancelCourse, OWN));

    // Decoys: the sibling district's course, session and roll; a pair and its meeting there.
    const siblingCourse = sibling(await course(kit, SIBLING, '2026年锦江区书记集中轮训班'));
    const siblingSession = sibling(await session(kit, siblingCourse, SIBLING));
    sibling(await enrol(kit, siblingSession, s0, world.siblingVillage, SIBLING_VILLAGE));
    // people[0] of the own district sent to the sibling district's session (by the city): an own
    // record whose session and course an own-district caller must not be shown.
    own(await enrol(kit, siblingSession, p0, world.village, OWN_VILLAGE));
    const siblingPair = sibling(await pair(kit, s1, s0, world.siblingVillage, SIBLING_VILLAGE, '2026-01-20', null));
    sibling(await meet(kit, siblingPair, '锦江区带教：换届流程'));

    // The city's course (seen from both districts: not tracked), with a session in each district
    // and one held by the city whose roll has a person of each.
    const cityCourse = await course(kit, CITY, '2026年成都市村(社区)书记示范培训班');
    own(await session(kit, cityCourse, OWN));
    sibling(await session(kit, cityCourse, SIBLING));
    const citySession = await session(kit, cityCourse, CITY);
    own(await enrol(kit, citySession, p2, world.village, OWN_VILLAGE));
    sibling(await enrol(kit, citySession, s0, world.siblingVillage, SIBLING_VILLAGE));

    // 老带新 in the own village, with a meeting.
    const mentorship = own(await pair(kit, p3, p0, world.village, OWN_VILLAGE, '2026-01-20', null));
    own(await meet(kit, mentorship, '武侯区带教：换届流程'));

    return { ownRecord: ownRecord!, ownCourse, ownSession, citySession, headCountSession, ownEnrolment, attendanceEnrolment, cancelSession, mentorship, checklist: ownTerm.checklist };
  },

  probes: {
    async trainingRecord({ fixtures }) {
      return { query: `query($id: ID!) { trainingRecord(id: $id) { id hoursCompleted coursesCompleted } }`, variables: { id: fixtures.ownRecord }, expectIds: [fixtures.ownRecord] };
    },
    async course({ fixtures }) {
      return {
        query: `query($id: ID!) { course(id: $id) { id name regionCode sessions { id regionCode enrolments { nodes { id person { id name } session { id } } } } } }`,
        variables: { id: fixtures.ownCourse },
        expectIds: [fixtures.ownCourse, fixtures.ownSession, fixtures.ownEnrolment],
      };
    },
    async courses({ fixtures }) {
      return {
        query: `query { courses(first: 20) { nodes { id regionCode sessions { id regionCode course { id } enrolments(first: 10) { nodes { id person { id name } course { id } } } } } } }`,
        expectIds: [fixtures.ownCourse, fixtures.ownSession],
      };
    },
    async trainingSession({ fixtures }) {
      return {
        query: `query($id: ID!) { trainingSession(id: $id) { id seated course { id name } enrolments { nodes { id status person { id name } course { id } } } } }`,
        variables: { id: fixtures.ownSession },
        expectIds: [fixtures.ownSession, fixtures.ownCourse, fixtures.ownEnrolment],
      };
    },
    async enrolment({ world, fixtures }) {
      return {
        query: `query($id: ID!) { enrolment(id: $id) { id status course { id } session { id }
          person { id name trainingRecord { id } enrolments { id course { id } session { id } }
            onboardings { id enrolment { id course { id } } } mentorships { id mentor { id name } mentee { id name } } } } }`,
        variables: { id: fixtures.ownEnrolment },
        expectIds: [fixtures.ownEnrolment, world.people[0]!, fixtures.ownRecord, fixtures.mentorship],
      };
    },
    async trainingCoverageReport({ world }) {
      return {
        query: `query($region: String!) { trainingCoverageReport(regionCode: $region) { regionCode newMembersOnboarded { total done }
          checklistsCompleted { total done } participantsByCourseType { type participants } unitsBehind { orgUnitId orgUnit { id name } missing } } }`,
        variables: { region: OWN },
        // The village's new members are not yet through 初任培训 and its checklist is open.
        expectIds: [world.village],
        outOfScope: 'refuse',
      };
    },
    async mentorship({ world, fixtures }) {
      return {
        query: `query($id: ID!) { mentorship(id: $id) { id orgUnitId mentor { id name } mentee { id name trainingRecord { id } } meetings { id topic } } }`,
        variables: { id: fixtures.mentorship },
        expectIds: [fixtures.mentorship, world.people[0]!, world.people[3]!],
      };
    },
    async onboardingChecklist({ world, fixtures }) {
      return {
        query: `query($id: ID!) { onboardingChecklist(id: $id) { id orgUnitId tasksDone tasks { task done } committee { id kind orgUnit { id name } onboardingChecklist { id } } } }`,
        variables: { id: fixtures.checklist },
        expectIds: [fixtures.checklist, world.village],
      };
    },
    async trainingAuditLog({ fixtures }) {
      return auditLogProbe('trainingAuditLog', { entityType: 'Course' }, fixtures.ownCourse);
    },

    async createCourse({ kit }) {
      const name = `武侯区新课程${kit.next()}`;
      return {
        query: `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id name regionCode } }`,
        variables: { input: { name, type: 'ROTATION', audiences: ['SECRETARIES'], required: false, regionCode: OWN, hours: 4 } },
        expectIds: [name],
      };
    },
    async setCourseActive({ kit, fixtures, cell }) {
      const courseId = cell.allowed ? await course(kit, OWN, `武侯区停用演练班${kit.next()}`) : fixtures.ownCourse;
      kit.ledger.track('own', courseId);
      return { query: `mutation($id: ID!) { setCourseActive(input: { courseId: $id, active: false }) { id active } }`, variables: { id: courseId }, expectIds: [courseId] };
    },
    async scheduleSession({ fixtures }) {
      return {
        query: `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id regionCode course { id } } }`,
        variables: { input: { courseId: fixtures.ownCourse, startsOn: '2026-04-01', endsOn: '2026-04-02', place: '簇桥街道党群服务中心', online: false, mode: 'ROLL', capacity: 30, trainer: '区委党校', regionCode: OWN } },
        expectIds: [fixtures.ownCourse],
      };
    },
    async recordHeadCount({ kit, fixtures }) {
      return {
        query: `mutation($id: ID!, $n: Int!) { recordHeadCount(input: { sessionId: $id, participants: $n }) { id participants } }`,
        variables: { id: fixtures.headCountSession, n: 100 + kit.next() },
        expectIds: [fixtures.headCountSession],
      };
    },
    async enrol({ kit, world, fixtures, cell }) {
      const query = `mutation($input: EnrolInput!) { enrol(input: $input) { id status session { id } person { id name } } }`;
      if (cell.scope === 'sibling') {
        // The sibling district's caller sends an own-district person to the city's session (which
        // it sees), naming its own village as theirs: the person's real unit must decide.
        const input = { sessionId: fixtures.citySession, personId: world.people[3], orgUnitId: world.siblingVillage, orgUnitCode: SIBLING_VILLAGE };
        return { query, variables: { input } };
      }
      const sessionId = cell.allowed ? await freshSession(kit) : fixtures.ownSession;
      return { query, variables: { input: { sessionId, personId: world.people[2], orgUnitId: world.village, orgUnitCode: OWN_VILLAGE } }, expectIds: [sessionId] };
    },
    async cancelEnrolment({ kit, world, fixtures, cell }) {
      const enrolmentId = cell.allowed ? await enrol(kit, fixtures.cancelSession, world.people[3]!, world.village, OWN_VILLAGE) : fixtures.ownEnrolment;
      kit.ledger.track('own', enrolmentId);
      return { query: `mutation($id: ID!) { cancelEnrolment(input: { enrolmentId: $id }) { id status } }`, variables: { id: enrolmentId }, expectIds: [enrolmentId] };
    },
    async recordAttendance({ fixtures }) {
      return {
        query: `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id attendance } }`,
        variables: { input: { sessionId: fixtures.ownSession, entries: [{ enrolmentId: fixtures.attendanceEnrolment, attendance: 'PRESENT' }] } },
        expectIds: [fixtures.attendanceEnrolment],
      };
    },
    async concludeEnrolment({ kit, world, fixtures, cell }) {
      let enrolmentId = fixtures.attendanceEnrolment;
      if (cell.allowed) {
        const sessionId = await freshSession(kit);
        enrolmentId = await enrol(kit, sessionId, world.people[1]!, world.village, OWN_VILLAGE);
        kit.ledger.track('own', enrolmentId);
        await kit.seed(ATTEND, { input: { sessionId, entries: [{ enrolmentId, attendance: 'PRESENT' }] } });
      }
      return { query: `mutation($id: ID!) { concludeEnrolment(input: { enrolmentId: $id }) { id status certificateNo } }`, variables: { id: enrolmentId }, expectIds: [enrolmentId] };
    },
    async pairMentor({ kit, world, cell }) {
      const day = dayOf(kit.next());
      // From the sibling district: an own-district mentee under the caller's own village.
      const unit = cell.scope === 'sibling' ? { orgUnitId: world.siblingVillage, orgUnitCode: SIBLING_VILLAGE } : { orgUnitId: world.village, orgUnitCode: OWN_VILLAGE };
      return {
        query: `mutation($input: PairMentorInput!) { pairMentor(input: $input) { id mentor { id } mentee { id name } } }`,
        variables: { input: { mentorPersonId: world.people[3], menteePersonId: world.people[2], ...unit, startsOn: day, endsOn: day } },
        expectIds: [world.people[2]!],
      };
    },
    async endMentorship({ kit, world, fixtures, cell }) {
      let id = fixtures.mentorship;
      let endsOn = '2026-12-31';
      if (cell.allowed) {
        endsOn = dayOf(kit.next());
        id = await pair(kit, world.people[3]!, world.people[1]!, world.village, OWN_VILLAGE, endsOn, null);
        kit.ledger.track('own', id);
      }
      return { query: `mutation($id: ID!, $endsOn: String!) { endMentorship(input: { mentorshipId: $id, endsOn: $endsOn }) { id endsOn } }`, variables: { id, endsOn }, expectIds: [id] };
    },
    async logMentorshipMeeting({ kit, fixtures }) {
      const topic = `第${kit.next()}次带教：选举程序`;
      return {
        query: `mutation($input: LogMentorshipMeetingInput!) { logMentorshipMeeting(input: $input) { id heldOn topic } }`,
        variables: { input: { mentorshipId: fixtures.mentorship, heldOn: '2026-02-20', topic } },
        expectIds: [topic],
      };
    },
    async completeChecklistTask({ kit, fixtures }) {
      const n = kit.next();
      return {
        query: `mutation($input: CompleteChecklistTaskInput!) { completeChecklistTask(input: $input) { id tasksDone committee { id } } }`,
        variables: { input: { checklistId: fixtures.checklist, task: TASKS[n % TASKS.length], evidenceNote: `第${n}次：会议记录存村委会档案室`, completedOn: '2026-02-01' } },
        expectIds: [fixtures.checklist],
      };
    },
  },
};
