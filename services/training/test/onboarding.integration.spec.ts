import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PositionAssigned, topicOf, type EventEnvelope } from '@huanjie/events';
import { startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { CHECKLIST_TASK_CODES } from '../src/domain/checklist.rules';
import { committee, graphql, pathOf, positionAssigned, ruleOfResponse, termStarted } from './fixture';

// 成都市武侯区: town 001 with villages 002 and 003, town 002 with village 003. Today, for the
// service, is 10 March 2026 in Beijing; the new terms began on 15 January.
const NOW = new Date('2026-03-10T02:00:00Z');
const START = '2026-01-15';
const V_A1 = '510107001002';
const V_A2 = '510107001003';
const V_B1 = '510107002003';
const UNIT = { [V_A1]: randomUUID(), [V_A2]: randomUUID(), [V_B1]: randomUUID() };

let sut: ServiceUnderTest;
let db: DataSource;
const { gql, ok } = graphql(() => sut);

const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params))[0].n);
async function publish(events: EventEnvelope[]) {
  for (const e of events) await sut.bus.publish([e]);
}
/** Waits until the consumer has handled the event (its id is in the inbox): partitions: 1 keeps order, so all before it are handled too. */
const handled = (e: EventEnvelope) =>
  waitFor(async () => (await count(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [e.id])) === 1, { timeoutMs: 30_000, message: `${e.name} handled` });

const CREATE_COURSE = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id type regionCode } }`;
const onboardingCourse = (regionCode: string, name: string) => ({ name, type: 'ONBOARDING', audiences: ['MEMBERS', 'SECRETARIES'], required: true, regionCode, hours: 16 });

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'training_onboarding', migrations, partitions: 1, create: (deps) => createServer({ ...deps, now: () => NOW }) });
  db = sut.dataSource;
  await sut.bus.ensureTopics([topicOf(PositionAssigned)]);
}, 120_000);
afterAll(async () => sut?.stop());

describe('onboarding from personnel committee events', () => {
  const a1 = committee(UNIT[V_A1]!, V_A1);
  const a1Term = randomUUID();
  const a1People = [randomUUID(), randomUUID(), randomUUID()];
  const a1Events = [
    termStarted(a1, a1Term, START, 3),
    positionAssigned(a1, a1Term, a1People[0]!, 'SECRETARY', START),
    positionAssigned(a1, a1Term, a1People[1]!, 'DEPUTY_SECRETARY', START),
    positionAssigned(a1, a1Term, a1People[2]!, 'PARTY_MEMBER_SEAT', START),
  ];
  const b1 = committee(UNIT[V_B1]!, V_B1);
  const b1Term = randomUUID();
  const b1People = [randomUUID(), randomUUID(), randomUUID()];

  it('leaves a new member PENDING_COURSE while no onboarding course covers the unit, and still opens the checklist', async () => {
    const events = [termStarted(b1, b1Term, START, 3), ...b1People.map((p, i) => positionAssigned(b1, b1Term, p, i === 0 ? 'SECRETARY' : 'PARTY_MEMBER_SEAT', START))];
    await publish(events);
    await handled(events.at(-1)!);
    const { _entities } = await ok<{ _entities: { onboarding: { status: string; enrolment: unknown; role: string } }[] }>(
      `query($id: ID!) { _entities(representations: [{ __typename: "Person", id: $id }]) { ... on Person { onboarding { status role enrolment { id } } } } }`,
      { id: b1People[0] },
    );
    const person = _entities[0]!;
    expect(person.onboarding).toEqual({ status: 'PENDING_COURSE', role: 'SECRETARY', enrolment: null });
    expect(await count(`SELECT count(*)::int AS n FROM onboarding_checklist WHERE term_id = $1`, [b1Term])).toBe(1);
  });

  it('enrols the waiting members when an onboarding course for their region is created', async () => {
    await ok(CREATE_COURSE, { input: onboardingCourse('510107000000', '2026年武侯区村(社区)“两委”成员初任培训班') }, { roles: ['TRAINER'], region: '510107000000' });
    const rows = await db.query(
      `SELECT e.status, e.origin, c.region_code FROM onboarding o JOIN enrolment e ON e.id = o.enrolment_id JOIN course c ON c.id = e.course_id WHERE o.term_id = $1`,
      [b1Term],
    );
    expect(rows).toEqual(b1People.map(() => ({ status: 'AWAITING_SESSION', origin: 'ONBOARDING', region_code: '510107000000' })));
  });

  it('enrols each member of a new term once and opens one checklist, though the events arrive twice', async () => {
    // The town runs its own onboarding course: more specific than the district's.
    await ok(CREATE_COURSE, { input: onboardingCourse('510107001000', '簇桥街道新任两委成员初任培训') });
    await publish(a1Events);
    await publish(a1Events); // the same deliveries again (at-least-once)
    // …and the same facts re-published under new event ids (a relay replay).
    const again = [termStarted(a1, a1Term, START, 3), positionAssigned(a1, a1Term, a1People[0]!, 'SECRETARY', START)];
    await publish(again);
    await handled(again.at(-1)!);

    expect(await count(`SELECT count(*)::int AS n FROM onboarding_checklist WHERE term_id = $1`, [a1Term])).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM checklist_task t JOIN onboarding_checklist c ON c.id = t.checklist_id WHERE c.term_id = $1`, [a1Term])).toBe(10);
    expect(await count(`SELECT count(*)::int AS n FROM onboarding WHERE term_id = $1`, [a1Term])).toBe(3);
    const enrolments = await db.query(
      `SELECT e.person_id, c.region_code FROM enrolment e JOIN course c ON c.id = e.course_id WHERE e.person_id = ANY($1::uuid[]) ORDER BY e.seq`,
      [a1People],
    );
    expect(enrolments).toHaveLength(3);
    expect(enrolments.every((e: { region_code: string }) => e.region_code === '510107001000')).toBe(true);
  });

  it('onboards the 一肩挑 secretary who also became director once, for both committees', async () => {
    const villagers = committee(UNIT[V_A1]!, V_A1, 'VILLAGERS');
    const term = randomUUID();
    const events = [termStarted(villagers, term, START, 1), positionAssigned(villagers, term, a1People[0]!, 'DIRECTOR', START)];
    await publish(events);
    await handled(events.at(-1)!);
    const rows = await db.query(`SELECT DISTINCT enrolment_id FROM onboarding WHERE person_id = $1`, [a1People[0]]);
    expect(rows).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM onboarding WHERE person_id = $1`, [a1People[0]])).toBe(2);
  });

  it('shows a term its checklist and its members onboarding, in bounded statements', async () => {
    sut.counter.reset();
    const data = await ok<{ _entities: { onboardingChecklist: { tasksDone: number; tasks: { task: string; done: boolean }[] }; onboardings: { status: string; person: { id: string } }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Term { onboardingChecklist { tasksDone tasks { task done } } onboardings { status person { id } enrolment { course { regionCode } } } } } }`,
      { reps: [{ __typename: 'Term', id: a1Term }, { __typename: 'Term', id: b1Term }] },
    );
    const [a, b] = data._entities;
    expect(a!.onboardingChecklist.tasksDone).toBe(0);
    expect(a!.onboardingChecklist.tasks.map((t) => t.task)).toEqual(CHECKLIST_TASK_CODES);
    expect(a!.onboardings.map((o) => o.status)).toEqual(['AWAITING_SESSION', 'AWAITING_SESSION', 'AWAITING_SESSION']);
    expect(b!.onboardings.map((o) => o.person.id)).toEqual(b1People);
    // checklists, tasks, onboardings, enrolments, courses: one statement each for both terms.
    expect(sut.counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q))).toHaveLength(5);
  });
});

describe('the 十个一 checklist', () => {
  const a2 = committee(UNIT[V_A2]!, V_A2);
  const term = randomUUID();
  let checklistId: string;
  const COMPLETE = `mutation($input: CompleteChecklistTaskInput!) { completeChecklistTask(input: $input) { id tasksDone completedOn } }`;

  beforeAll(async () => {
    const events = [termStarted(a2, term, START, 1)];
    await publish(events);
    await handled(events[0]!);
    const { _entities } = await ok<{ _entities: { onboardingChecklist: { id: string } }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Committee { onboardingChecklist { id } } } }`,
      { reps: [{ __typename: 'Committee', id: a2.committeeId }] },
    );
    checklistId = _entities[0]!.onboardingChecklist.id;
  });

  it('refuses a task dated before the term, and a caller outside the unit', async () => {
    const input = { checklistId, task: 'HANDOVER', evidenceNote: '新老班子交接清单已签字', completedOn: '2026-01-10' };
    expect(ruleOfResponse(await gql(COMPLETE, { input }))).toBe('BAD_USER_INPUT:CHECKLIST.DATE');
    expect(ruleOfResponse(await gql(COMPLETE, { input: { ...input, completedOn: '2026-01-20' } }, { roles: ['TOWN_OFFICER'], region: '510107002000' }))).toBe(
      'NOT_FOUND:CHECKLIST.NOT_FOUND',
    );
    expect(ruleOfResponse(await gql(COMPLETE, { input: { ...input, completedOn: '2026-01-20' } }, { roles: ['TRAINER'] }))).toBe('FORBIDDEN:AUTH.ROLE');
  });

  it('completes with the tenth task, on the latest task\'s day, and publishes OnboardingChecklistCompleted once', async () => {
    const town = { roles: ['TOWN_OFFICER' as const], region: '510107001000' };
    for (const [i, task] of CHECKLIST_TASK_CODES.entries()) {
      const completedOn = `2026-02-${String(1 + i).padStart(2, '0')}`;
      const res = await ok<{ completeChecklistTask: { tasksDone: number; completedOn: string | null } }>(COMPLETE, { input: { checklistId, task, evidenceNote: `${task} 已完成,记录存档`, completedOn: i === 3 ? '2026-02-20' : completedOn } }, town);
      expect(res.completeChecklistTask).toEqual({ id: checklistId, tasksDone: i + 1, completedOn: i === 9 ? '2026-02-20' : null });
    }
    const events = await db.query(`SELECT topic, subject, payload FROM outbox WHERE type = 'huanjie.training.OnboardingChecklistCompleted'`);
    expect(events).toEqual([
      {
        topic: 'training.enrolment.v1',
        subject: checklistId,
        payload: { checklistId, committeeId: a2.committeeId, termId: term, orgUnitId: UNIT[V_A2], regionPath: pathOf(V_A2), completedOn: '2026-02-20' },
      },
    ]);
    const closed = await gql(COMPLETE, { input: { checklistId, task: 'RULES', evidenceNote: '更正', completedOn: '2026-03-01' } });
    expect(ruleOfResponse(closed)).toBe('CONFLICT:CHECKLIST.CLOSED');
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'completeChecklistTask'`, [checklistId])).toBe(10);
  });
});
