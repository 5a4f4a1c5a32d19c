import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { issueToken, QueryCounter, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, type GraphQLResponse, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { expectedProgress, type SeedUnit, type TransitionPlan } from '../src/dev/seed-progress';
import { templateForKind, type CommitteeKind } from '../src/domain/workflow-templates.data';

// For the service it is 14:00 on 10 March 2026 in Beijing: "today" began at 2026-03-09T16:00:00Z.
const NOW = new Date('2026-03-10T06:00:00Z');
const TODAY_00_00 = '2026-03-10T00:00:00+08:00';
const YESTERDAY_23_59 = '2026-03-09T23:59:59+08:00';
const EARLIER = '2026-03-02T10:00:00+08:00';

let sut: ServiceUnderTest;
let dataSource: DataSource;
let url: string;
let counter: QueryCounter;
let cycleId: string;

const gql = async <T>(query: string, variables: Record<string, unknown>, roles: Role[], regionCode: string): Promise<GraphQLResponse<T>> =>
  graphqlPost<T>(url, { query, variables, token: await issueToken({ userId: `${roles[0]}@${regionCode}`, roles, regionCode }, sut.auth) });
const asCity = <T>(query: string, variables: Record<string, unknown>) => gql<T>(query, variables, ['ORG_ADMIN'], '510100000000');
const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const ruleOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.rule;
/** Statements of the request, without the outbox relay's polling, which runs on its own timer. */
const requestQueries = () => counter.queries.filter((q) => !/pg_try_advisory_xact_lock|FROM outbox/.test(q));

/** The hand-made tree: 武侯区 and 成华区 two communities each (in two 街道 of 武侯), 崇州市 one village. */
const UNITS: (SeedUnit & { name: string })[] = [
  { id: randomUUID(), code: '510107001001', kind: 'COMMUNITY', name: '武侯·一' },
  { id: randomUUID(), code: '510107002001', kind: 'COMMUNITY', name: '武侯·二' },
  { id: randomUUID(), code: '510108001001', kind: 'COMMUNITY', name: '成华·一' },
  { id: randomUUID(), code: '510108001002', kind: 'COMMUNITY', name: '成华·二' },
  { id: randomUUID(), code: '510184101201', kind: 'VILLAGE', name: '崇州·村' },
];
const otherKind = (u: SeedUnit): CommitteeKind => (u.kind === 'COMMUNITY' ? 'RESIDENTS' : 'VILLAGERS');
const openInput = (units: SeedUnit[]) =>
  units.flatMap((u) => [
    { orgUnitId: u.id, orgUnitCode: u.code, committeeKind: 'PARTY' },
    { orgUnitId: u.id, orgUnitCode: u.code, committeeKind: otherKind(u) },
  ]);

const OPEN = `mutation($input: OpenTransitionsInput!) {
  openTransitions(input: $input) { opened alreadyOpen alreadyOpenUnits { orgUnitId orgUnitCode committeeKind } }
}`;
const COMPLETE = `mutation($input: CompleteTransitionStepInput!) {
  completeTransitionStep(input: $input) { id progress { state done total percent } }
}`;
const BLOCK = `mutation($input: SetTransitionBlockedInput!) {
  setTransitionBlocked(input: $input) { id blockedReason blockedSince progress { state } }
}`;
const TRANSITION = `query($id: ID!) {
  transition(id: $id) {
    id committeeKind orgUnitCode regionPath orgUnit { id code } cycle { id }
    template { code stageCount stepCount }
    progress { state done total percent }
    stages { code done total steps { code done available completedBy completedAt note recordedBy dependsOn } }
  }
}`;
const REPORT = `query($input: TransitionProgressInput!) {
  transitionProgress(input: $input) {
    today committeeKind
    total { ...row }
    children { ...row }
  }
}
fragment row on TransitionProgressRow {
  regionCode regionPath region { code } units done inProgress notStarted blocked stepsDone stepsTotal completionBasisPoints percentComplete rank
  sinceYesterday { stepsCompleted unitsDone basisPointsChange percentChange rankYesterday rankChange }
}`;

interface ReportRow {
  regionCode: string;
  regionPath: string;
  region: { code: string } | null;
  units: number;
  done: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  stepsDone: number;
  stepsTotal: number;
  completionBasisPoints: number;
  percentComplete: number;
  rank: number | null;
  sinceYesterday: { stepsCompleted: number; unitsDone: number; basisPointsChange: number; percentChange: number; rankYesterday: number | null; rankChange: number | null };
}
interface Report {
  transitionProgress: { today: string; committeeKind: CommitteeKind | null; total: ReportRow; children: ReportRow[] };
}

/** Transition ids by unit code and committee, read back after opening. */
const ids = new Map<string, string>();
const idOf = (code: string, kind: CommitteeKind) => ids.get(`${code}|${kind}`)!;

async function complete(transitionId: string, stepCode: string, completedAt: string, roles: Role[] = ['TOWN_OFFICER'], region = '510100000000') {
  return gql<{ completeTransitionStep: { progress: { state: string; done: number } } }>(
    COMPLETE,
    { input: { transitionId, stepCode, completedBy: '李主任', completedAt, note: '会议记录' } },
    roles,
    region,
  );
}

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'elections_workflow', migrations, create: (deps) => createServer({ ...deps, now: () => NOW }) });
  ({ dataSource, url, counter } = sut);
  const res = await asCity<{ createElectionCycle: { id: string } }>(
    `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`,
    { input: { name: '2026年村(社区)两委换届', regionCode: '510100000000', termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' } },
  );
  expect(res.errors).toBeUndefined();
  cycleId = res.data!.createElectionCycle.id;
});

afterAll(async () => {
  await sut?.stop();
});

describe('openTransitions', () => {
  it('refuses a bad work plan with the rule it breaks, and opens nothing', async () => {
    const [transitions, audits] = [await count('transition'), await count('audit_log')];
    const good = openInput(UNITS.slice(0, 1));
    const cases: [unknown[], Role[], string, string, string][] = [
      [[...good, { orgUnitId: randomUUID(), orgUnitCode: '510703001001', committeeKind: 'PARTY' }], ['ORG_ADMIN'], '510100000000', 'BAD_USER_INPUT', 'TRANSITION.OUTSIDE_CYCLE'],
      [[...good, good[0]], ['ORG_ADMIN'], '510100000000', 'BAD_USER_INPUT', 'TRANSITION.DUPLICATE_IN_REQUEST'],
      [[{ ...good[0], orgUnitCode: '510107001000' }], ['ORG_ADMIN'], '510100000000', 'BAD_USER_INPUT', 'TRANSITION.UNIT_LEVEL'],
      [[{ ...good[0], orgUnitId: 'not-a-uuid' }], ['ORG_ADMIN'], '510100000000', 'BAD_USER_INPUT', 'TRANSITION.ORG_UNIT_ID'],
      [[], ['ORG_ADMIN'], '510100000000', 'BAD_USER_INPUT', 'TRANSITION.BATCH_SIZE'],
      // 武侯区's organisation department listing a 成华区 community.
      [[...good, ...openInput(UNITS.slice(2, 3))], ['ORG_ADMIN'], '510107000000', 'FORBIDDEN', 'AUTH.REGION_SCOPE'],
      [good, ['TOWN_OFFICER'], '510100000000', 'FORBIDDEN', 'AUTH.ROLE'],
    ];
    for (const [units, roles, region, code, rule] of cases) {
      const res = await gql(OPEN, { input: { cycleId, units } }, roles, region);
      expect([errorCodes(res), ruleOf(res)]).toEqual([[code], rule]);
    }
    const unknownCycle = await asCity(OPEN, { input: { cycleId: randomUUID(), units: good } });
    expect([errorCodes(unknownCycle), ruleOf(unknownCycle)]).toEqual([['NOT_FOUND'], 'TRANSITION.CYCLE_NOT_FOUND']);
    expect([await count('transition'), await count('audit_log')]).toEqual([transitions, audits]);
  });

  it('opens both committees of every unit in one INSERT, audited, and skips those already open', async () => {
    counter.reset();
    const res = await asCity<{ openTransitions: { opened: number; alreadyOpen: number } }>(OPEN, { input: { cycleId, units: openInput(UNITS) } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.openTransitions).toEqual({ opened: 10, alreadyOpen: 0, alreadyOpenUnits: [] });
    // The cycle, the INSERT … FROM unnest and the audit records: three statements for any number of units.
    expect(requestQueries()).toHaveLength(3);
    expect(requestQueries().filter((q) => /INSERT INTO transition/.test(q))).toHaveLength(1);

    const rows: { id: string; org_unit_code: string; committee_kind: CommitteeKind; region_path: string; template_code: string }[] =
      await dataSource.query(`SELECT id, org_unit_code, committee_kind, region_path, template_code FROM transition ORDER BY org_unit_code, committee_kind`);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      ids.set(`${r.org_unit_code}|${r.committee_kind}`, r.id);
      // The path is derived from the code, the template from the committee.
      expect(r.region_path).toBe(`51.5101.${r.org_unit_code.slice(0, 6)}.${r.org_unit_code.slice(0, 9)}.${r.org_unit_code}`);
      expect(r.template_code).toBe(templateForKind(r.committee_kind).code);
    }
    expect(rows.find((r) => r.org_unit_code === '510184101201' && r.committee_kind !== 'PARTY')!.template_code).toBe('VILLAGERS_4_19');
    const audits = await dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'openTransitions' AND entity_type = 'Transition'`);
    expect(audits[0].n).toBe(10);

    const again = await asCity<{ openTransitions: { opened: number; alreadyOpen: number; alreadyOpenUnits: { orgUnitCode: string }[] } }>(OPEN, {
      input: { cycleId, units: openInput(UNITS.slice(0, 1)) },
    });
    expect(again.data!.openTransitions).toEqual({
      opened: 0,
      alreadyOpen: 2,
      alreadyOpenUnits: [
        { orgUnitId: UNITS[0]!.id, orgUnitCode: UNITS[0]!.code, committeeKind: 'PARTY' },
        { orgUnitId: UNITS[0]!.id, orgUnitCode: UNITS[0]!.code, committeeKind: 'RESIDENTS' },
      ],
    });
    expect(await count('transition')).toBe(10);
  });
});

describe('completing steps', () => {
  const party = templateForKind('PARTY');

  it('records steps in order with who, when and the evidence, and shows what can be done next', async () => {
    const id = idOf('510107001001', 'PARTY');
    const first = await complete(id, 'P1.01', EARLIER);
    expect(first.errors).toBeUndefined();
    expect(first.data!.completeTransitionStep.progress).toEqual({ state: 'IN_PROGRESS', done: 1, total: 32, percent: 3 });
    const res = await asCity<{ transition: Record<string, unknown> & { stages: { code: string; done: number; total: number; steps: Record<string, unknown>[] }[] } }>(TRANSITION, { id });
    expect(res.errors).toBeUndefined();
    const t = res.data!.transition;
    expect(t).toMatchObject({
      committeeKind: 'PARTY',
      orgUnitCode: '510107001001',
      orgUnit: { id: UNITS[0]!.id, code: '510107001001' },
      cycle: { id: cycleId },
      template: { code: party.code, stageCount: 5, stepCount: 32 },
      progress: { state: 'IN_PROGRESS', done: 1, total: 32, percent: 3 },
    });
    expect(t.stages.map((s) => [s.code, s.done, s.total])).toEqual([['P1', 1, 10], ['P2', 0, 7], ['P3', 0, 6], ['P4', 0, 6], ['P5', 0, 3]]);
    const steps = t.stages.flatMap((s) => s.steps);
    expect(steps[0]).toEqual({
      code: 'P1.01', done: true, available: false, completedBy: '李主任', completedAt: new Date(EARLIER).toISOString(), note: '会议记录',
      recordedBy: 'TOWN_OFFICER@510100000000', dependsOn: [],
    });
    // After 成立领导小组: the plan, the survey, the evaluation and the audit may start.
    expect(steps.filter((s) => s.available).map((s) => s.code)).toEqual(['P1.02', 'P1.03', 'P1.07', 'P1.08']);
  });

  it('refuses a step out of order, an unknown or repeated step, a future date and a unit outside the scope, and changes nothing', async () => {
    const id = idOf('510107001001', 'PARTY');
    const [steps, audits] = [await count('transition_step'), await count('audit_log')];
    const cases: [Promise<GraphQLResponse<unknown>>, string, string][] = [
      [complete(id, 'P1.04', EARLIER), 'CONFLICT', 'WORKFLOW.PREREQUISITE_NOT_DONE'],
      [complete(id, 'P9.99', EARLIER), 'BAD_USER_INPUT', 'WORKFLOW.UNKNOWN_STEP'],
      [complete(id, 'R1.01', EARLIER), 'BAD_USER_INPUT', 'WORKFLOW.UNKNOWN_STEP'],
      [complete(id, 'P1.01', EARLIER), 'CONFLICT', 'WORKFLOW.STEP_ALREADY_DONE'],
      [complete(id, 'P1.02', '2026-03-11T09:00:00+08:00'), 'BAD_USER_INPUT', 'WORKFLOW.COMPLETED_AT_FUTURE'],
      [complete(id, 'P1.02', '10 March'), 'BAD_USER_INPUT', 'WORKFLOW.COMPLETED_AT'],
      // A 成华区 town officer does not see a 武侯区 unit.
      [complete(id, 'P1.02', EARLIER, ['TOWN_OFFICER'], '510108000000'), 'NOT_FOUND', 'TRANSITION.NOT_FOUND'],
      [complete(id, 'P1.02', EARLIER, ['AUDITOR']), 'FORBIDDEN', 'AUTH.ROLE'],
      [complete(randomUUID(), 'P1.02', EARLIER), 'NOT_FOUND', 'TRANSITION.NOT_FOUND'],
    ];
    for (const [pending, code, rule] of cases) {
      const res = await pending;
      expect([errorCodes(res), ruleOf(res)]).toEqual([[code], rule]);
      expect(res.errors![0]!.message).toContain(rule.startsWith('AUTH') ? '' : rule);
    }
    expect([await count('transition_step'), await count('audit_log')]).toEqual([steps, audits]);
  });

  it('serialises concurrent completions of one transition: the same step twice is recorded once', async () => {
    const id = idOf('510107001001', 'PARTY');
    const results = await Promise.all([complete(id, 'P1.02', EARLIER), complete(id, 'P1.02', EARLIER), complete(id, 'P1.03', EARLIER), complete(id, 'P1.07', EARLIER)]);
    const outcomes = results.map((r) => (r.errors ? ruleOf(r) : 'ok'));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'WORKFLOW.STEP_ALREADY_DONE')).toHaveLength(1);
    const done = await dataSource.query(`SELECT step_code FROM transition_step WHERE transition_id = $1 ORDER BY step_code`, [id]);
    expect(done.map((r: { step_code: string }) => r.step_code)).toEqual(['P1.01', 'P1.02', 'P1.03', 'P1.07']);
    const audits = await dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'completeTransitionStep' AND entity_id = $1`, [id]);
    expect(audits[0].n).toBe(4);
  });
});

describe('holding a unit', () => {
  it('blocks with a reason, audited, and lifts the hold with a null reason', async () => {
    const id = idOf('510107001001', 'PARTY');
    const held = await asCity<{ setTransitionBlocked: { blockedReason: string; blockedSince: string; progress: { state: string } } }>(BLOCK, {
      input: { transitionId: id, reason: '  软弱涣散党组织整顿中  ' },
    });
    expect(held.data!.setTransitionBlocked).toEqual({ id, blockedReason: '软弱涣散党组织整顿中', blockedSince: NOW.toISOString(), progress: { state: 'BLOCKED' } });
    const tooLong = await asCity(BLOCK, { input: { transitionId: id, reason: '整'.repeat(201) } });
    expect(ruleOf(tooLong)).toBe('TRANSITION.BLOCKED_REASON');
    const outside = await gql(BLOCK, { input: { transitionId: id, reason: 'x' } }, ['TOWN_OFFICER'], '510108000000');
    expect(errorCodes(outside)).toEqual(['NOT_FOUND']);
    const lifted = await asCity<{ setTransitionBlocked: unknown }>(BLOCK, { input: { transitionId: id, reason: null } });
    expect(lifted.data!.setTransitionBlocked).toEqual({ id, blockedReason: null, blockedSince: null, progress: { state: 'IN_PROGRESS' } });
    const audits = await dataSource.query(
      `SELECT before->>'blocked_reason' AS before, after->>'blocked_reason' AS after FROM audit_log WHERE action = 'setTransitionBlocked' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audits).toEqual([
      { before: null, after: '软弱涣散党组织整顿中' },
      { before: '软弱涣散党组织整顿中', after: null },
    ]);
  });
});

describe('the progress report', () => {
  /**
   * What each transition gets, on top of what the tests above did: steps done before today and
   * today (the first n of the template), and holds. 武侯区 and 成华区 end up level (a tie); 崇州市
   * overtakes them today. Figures are then checked against expectedProgress, computed from this
   * table alone.
   */
  const target: Record<string, { before: number; today: number; blocked?: string }> = {
    '510107001001|PARTY': { before: 7, today: 0 }, // P1.01, P1.02, P1.03 and P1.07 done above; P1.04–P1.06 added here
    '510107001001|RESIDENTS': { before: 19, today: 0 },
    '510107002001|PARTY': { before: 0, today: 0, blocked: '信访举报核查中' },
    '510107002001|RESIDENTS': { before: 2, today: 1 },
    '510108001001|PARTY': { before: 7, today: 0 },
    '510108001001|RESIDENTS': { before: 19, today: 0 },
    '510108001002|PARTY': { before: 0, today: 0, blocked: '离任审计未完成' },
    '510108001002|RESIDENTS': { before: 2, today: 1 },
    '510184101201|PARTY': { before: 0, today: 32 },
    '510184101201|VILLAGERS': { before: 0, today: 19 },
  };
  const plans: TransitionPlan[] = UNITS.flatMap((u) =>
    (['PARTY', otherKind(u)] as CommitteeKind[]).map((kind) => {
      const t = target[`${u.code}|${kind}`]!;
      const template = templateForKind(kind);
      return {
        unit: u, committeeKind: kind, templateCode: template.code, total: template.steps.length,
        done: t.before + t.today, doneToday: t.today, startedDaysAgo: 8, blockedReason: t.blocked ?? null,
      };
    }),
  );

  beforeAll(async () => {
    for (const plan of plans) {
      const t = target[`${plan.unit.code}|${plan.committeeKind}`]!;
      const id = idOf(plan.unit.code, plan.committeeKind);
      const already: string[] = (await dataSource.query(`SELECT step_code FROM transition_step WHERE transition_id = $1`, [id])).map((r: { step_code: string }) => r.step_code);
      const order = templateForKind(plan.committeeKind).steps.map((s) => s.code);
      for (const [i, code] of order.slice(0, t.before + t.today).entries()) {
        if (already.includes(code)) continue;
        // The last of yesterday's steps at 23:59:59, the first of today's at 00:00:00: the boundary.
        const res = await complete(id, code, i < t.before ? YESTERDAY_23_59 : TODAY_00_00);
        expect(res.errors).toBeUndefined();
      }
      if (t.blocked) expect((await asCity(BLOCK, { input: { transitionId: id, reason: t.blocked } })).errors).toBeUndefined();
    }
  });

  const toExpected = (row: ReportRow) => ({
    regionCode: row.regionCode, units: row.units, done: row.done, inProgress: row.inProgress, notStarted: row.notStarted, blocked: row.blocked,
    stepsDone: row.stepsDone, stepsTotal: row.stepsTotal, completionBasisPoints: row.completionBasisPoints,
    stepsCompletedToday: row.sinceYesterday.stepsCompleted, unitsDoneToday: row.sinceYesterday.unitsDone,
    basisPointsYesterday: row.completionBasisPoints - row.sinceYesterday.basisPointsChange,
  });
  /** rank() as SQL has it, computed independently: 1 + the number of rows strictly better. */
  const ranks = (values: number[]) => values.map((v) => 1 + values.filter((w) => w > v).length);

  it('counts units and steps per district for the city, in one SQL statement, with shared ranks and today’s changes', async () => {
    counter.reset();
    const res = await asCity<Report>(REPORT, { input: { cycleId, regionCode: '510100000000' } });
    expect(res.errors).toBeUndefined();
    expect(requestQueries()).toHaveLength(1);
    const report = res.data!.transitionProgress;
    expect(report.today).toBe('2026-03-10');
    const expected = expectedProgress(plans, '510100000000', 6);
    expect(toExpected(report.total)).toEqual(expected.total);
    expect(report.total).toMatchObject({ regionCode: '510100000000', regionPath: '51.5101', region: { code: '510100000000' }, rank: null });
    const byCode = new Map(expected.children.map((r) => [r.regionCode, r]));
    expect(report.children.map((r) => r.regionCode).sort()).toEqual([...byCode.keys()].sort());
    for (const row of report.children) expect(toExpected(row)).toEqual(byCode.get(row.regionCode));

    const bp = report.children.map((r) => r.completionBasisPoints);
    const bpYesterday = report.children.map((r) => r.completionBasisPoints - r.sinceYesterday.basisPointsChange);
    expect(report.children.map((r) => r.rank)).toEqual(ranks(bp));
    expect(report.children.map((r) => r.sinceYesterday.rankYesterday)).toEqual(ranks(bpYesterday));
    // The designed outcome: 崇州市 first today, 武侯区 and 成华区 share second; yesterday 崇州市 was last.
    expect(report.children.map((r) => [r.regionCode, r.rank, r.sinceYesterday.rankYesterday, r.sinceYesterday.rankChange])).toEqual([
      ['510184000000', 1, 3, 2],
      ['510107000000', 2, 1, -1],
      ['510108000000', 2, 1, -1],
    ]);
    for (const row of [report.total, ...report.children]) {
      expect(row.percentComplete).toBe(row.completionBasisPoints / 100);
      expect(row.units).toBe(row.done + row.inProgress + row.notStarted + row.blocked);
    }
  });

  it('reports a district by town, one committee alone, and a town by unit', async () => {
    const wuhou = await asCity<Report>(REPORT, { input: { cycleId, regionCode: '510107000000' } });
    const expected = expectedProgress(plans, '510107000000', 9);
    expect(toExpected(wuhou.data!.transitionProgress.total)).toEqual(expected.total);
    expect(wuhou.data!.transitionProgress.children.map(toExpected).sort((a, b) => a.regionCode.localeCompare(b.regionCode))).toEqual(
      expected.children.sort((a, b) => a.regionCode.localeCompare(b.regionCode)),
    );

    const party = await asCity<Report>(REPORT, { input: { cycleId, regionCode: '510100000000', committeeKind: 'PARTY' } });
    expect(party.data!.transitionProgress.committeeKind).toBe('PARTY');
    expect(toExpected(party.data!.transitionProgress.total)).toEqual(expectedProgress(plans, '510100000000', 6, 'PARTY').total);

    const town = await asCity<Report>(REPORT, { input: { cycleId, regionCode: '510108001000' } });
    expect(town.data!.transitionProgress.children.map((r) => r.regionCode).sort()).toEqual(['510108001001', '510108001002']);
    expect(toExpected(town.data!.transitionProgress.total)).toEqual(expectedProgress(plans, '510108001000', 12).total);
  });

  it('shows a district officer their district only, and refuses regions outside the scope, bad codes and unknown cycles', async () => {
    const own = await gql<Report>(REPORT, { input: { cycleId, regionCode: '510108000000' } }, ['AUDITOR'], '510108000000');
    expect(toExpected(own.data!.transitionProgress.total)).toEqual(expectedProgress(plans, '510108000000', 9).total);
    const city = await gql(REPORT, { input: { cycleId, regionCode: '510100000000' } }, ['AUDITOR'], '510108000000');
    expect([errorCodes(city), ruleOf(city)]).toEqual([['FORBIDDEN'], 'AUTH.REGION_SCOPE']);
    const bad = await asCity(REPORT, { input: { cycleId, regionCode: '5101' } });
    expect([errorCodes(bad), ruleOf(bad)]).toEqual([['BAD_USER_INPUT'], 'REPORT.REGION_CODE']);
    const unknown = await asCity(REPORT, { input: { cycleId: randomUUID(), regionCode: '510100000000' } });
    expect([errorCodes(unknown), ruleOf(unknown)]).toEqual([['NOT_FOUND'], 'REPORT.CYCLE_NOT_FOUND']);
  });

  it('lists the transitions of many units with their steps in a bounded number of statements', async () => {
    const reps = UNITS.map((u) => ({ __typename: 'OrgUnit', id: u.id }));
    counter.reset();
    const res = await asCity<{ _entities: { transitions: { committeeKind: string; progress: { done: number }; stages: { steps: { done: boolean }[] }[] }[] }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { transitions(cycleId: "${cycleId}") { committeeKind cycle { id } progress { done } stages { steps { done } } } } } }`,
      { r: reps },
    );
    expect(res.errors).toBeUndefined();
    const lists = res.data!._entities.map((e) => e.transitions);
    expect(lists.map((l) => l.map((t) => t.committeeKind))).toEqual(UNITS.map((u) => ['PARTY', otherKind(u)]));
    expect(lists.flat().map((t) => t.progress.done)).toEqual(plans.map((p) => p.done));
    for (const t of lists.flat()) expect(t.stages.flatMap((s) => s.steps).filter((s) => s.done)).toHaveLength(t.progress.done);
    // Transitions, their steps, their cycle: three statements for five units and ten transitions.
    expect(requestQueries()).toHaveLength(3);
  });
});
