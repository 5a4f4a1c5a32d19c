import { DomainError } from '@huanjie/platform';
import {
  PARTY_COMMITTEE_TEMPLATE,
  RESIDENTS_COMMITTEE_TEMPLATE,
  WORKFLOW_TEMPLATES,
  type WorkflowTemplate,
} from '../src/domain/workflow-templates.data';
import {
  availableSteps,
  completeStep,
  templateProblems,
  topologicalOrder,
  transitionProgress,
  type CompleteStepInput,
} from '../src/domain/workflow.rules';

const AT = '2021-01-15T09:30:00+08:00';
const input = (stepCode: string, extra: Partial<CompleteStepInput> = {}): CompleteStepInput => ({
  stepCode,
  completedBy: '王书记',
  completedAt: AT,
  note: '会议记录 2021-001',
  ...extra,
});

function refusal(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return [error.code, error.rule];
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('workflow templates', () => {
  it.each([
    [PARTY_COMMITTEE_TEMPLATE, 5, 32],
    [RESIDENTS_COMMITTEE_TEMPLATE, 4, 19],
  ] as [WorkflowTemplate, number, number][])('$code has the Chenghua shape', (template, stages, steps) => {
    expect(template.stages).toHaveLength(stages);
    expect(template.steps).toHaveLength(steps);
    expect(new Set(template.steps.map((s) => s.stage))).toEqual(new Set(template.stages.map((s) => s.code)));
  });

  it.each(WORKFLOW_TEMPLATES.map((t) => [t.code, t] as const))('%s: unique codes, known dependencies in earlier or same stage, no cycle', (_code, template) => {
    expect(templateProblems(template)).toEqual([]);
    const order = topologicalOrder(template);
    expect(order).not.toBeNull();
    expect(order).toHaveLength(template.steps.length);
    const position = new Map(order!.map((code, i) => [code, i]));
    for (const s of template.steps) {
      expect(s.name).toMatch(/\p{Script=Han}/u);
      expect(s.gloss.length).toBeGreaterThan(0);
      for (const d of s.dependsOn) expect(position.get(d)!).toBeLessThan(position.get(s.code)!);
    }
  });

  it('names the steps of the sources', () => {
    const names = WORKFLOW_TEMPLATES.flatMap((t) => t.steps.map((s) => s.name)).join('|');
    for (const word of ['摸底', '民主评议', '离任经济责任审计', '推荐', '资格审查', '选民登记', '投票', '计票', '交接']) {
      expect(names).toContain(word);
    }
  });

  it('vote needs the voter list and the candidates; handover needs the count', () => {
    const deps = (t: WorkflowTemplate, code: string): Set<string> => {
      const step = t.steps.find((s) => s.code === code)!;
      return new Set(step.dependsOn.flatMap((d) => [d, ...deps(t, d)]));
    };
    expect([...deps(RESIDENTS_COMMITTEE_TEMPLATE, 'R4.01')]).toEqual(expect.arrayContaining(['R2.03', 'R3.02', 'R3.03']));
    expect([...deps(RESIDENTS_COMMITTEE_TEMPLATE, 'R4.05')]).toContain('R4.02');
    expect([...deps(PARTY_COMMITTEE_TEMPLATE, 'P4.03')]).toEqual(expect.arrayContaining(['P1.06', 'P3.02', 'P2.04', 'P2.05']));
    expect([...deps(PARTY_COMMITTEE_TEMPLATE, 'P5.01')]).toContain('P4.04');
  });

  const broken = (steps: WorkflowTemplate['steps']): WorkflowTemplate => ({ ...RESIDENTS_COMMITTEE_TEMPLATE, steps });
  const s = (code: string, dependsOn: string[] = [], stage = code.slice(0, 2)) => ({ code, stage, name: '步', gloss: 'x', dependsOn });
  it.each([
    ['a cycle', broken([s('R1.01', ['R1.02']), s('R1.02', ['R1.01'])]), 'the dependencies form a cycle'],
    ['an unknown dependency', broken([s('R1.01', ['R9.99'])]), 'step R1.01 depends on unknown step R9.99'],
    ['a duplicate code', broken([s('R1.01'), s('R1.01')]), 'duplicate step R1.01'],
    ['a later-stage dependency', broken([s('R1.01', ['R2.01']), s('R2.01')]), 'step R1.01 depends on R2.01 of a later stage'],
    ['an unknown stage', broken([s('R9.01', [], 'R9')]), 'step R9.01 is in unknown stage R9'],
  ])('templateProblems finds %s', (_what, template, problem) => {
    expect(templateProblems(template)).toContain(problem);
  });
});

describe('completeStep', () => {
  const t = RESIDENTS_COMMITTEE_TEMPLATE;

  it('records who, when and the trimmed evidence note', () => {
    expect(completeStep(t, [], input('R1.01', { completedBy: ' 王书记 ', note: '  ' }))).toEqual({
      stepCode: 'R1.01',
      completedBy: '王书记',
      completedAt: AT,
      note: null,
    });
  });

  it('completes every step of every template in dependency order', () => {
    for (const template of WORKFLOW_TEMPLATES) {
      const done: string[] = [];
      for (const code of topologicalOrder(template)!) done.push(completeStep(template, done, input(code)).stepCode);
      expect(transitionProgress(template, done)).toEqual({ state: 'DONE', done: template.steps.length, total: template.steps.length, percent: 100 });
    }
  });

  it.each(WORKFLOW_TEMPLATES.flatMap((template) => template.steps.filter((st) => st.dependsOn.length > 0).map((st) => [template.code, st.code, template] as const)))(
    '%s: refuses %s while a prerequisite is not done',
    (_t, code, template) => {
      const step = template.steps.find((st) => st.code === code)!;
      const allOthers = template.steps.map((st) => st.code).filter((c) => c !== code && c !== step.dependsOn[0]);
      expect(refusal(() => completeStep(template, allOthers, input(code)))).toEqual(['CONFLICT', 'WORKFLOW.PREREQUISITE_NOT_DONE']);
    },
  );

  it('names the missing prerequisites', () => {
    expect(() => completeStep(t, ['R1.01'], input('R3.02'))).toThrow(/not done: R3\.01 推荐提名, R1\.03 届满民主评议, R1\.04 离任经济责任审计/);
  });

  it.each([
    ['a step done twice', ['R1.01'], input('R1.01'), 'CONFLICT', 'WORKFLOW.STEP_ALREADY_DONE'],
    ['an unknown step', [], input('P1.01'), 'BAD_USER_INPUT', 'WORKFLOW.UNKNOWN_STEP'],
    ['no one named', [], input('R1.01', { completedBy: '  ' }), 'BAD_USER_INPUT', 'WORKFLOW.COMPLETED_BY'],
    ['a name too long', [], input('R1.01', { completedBy: '王'.repeat(61) }), 'BAD_USER_INPUT', 'WORKFLOW.COMPLETED_BY'],
    ['a date without time', [], input('R1.01', { completedAt: '2021-01-15' }), 'BAD_USER_INPUT', 'WORKFLOW.COMPLETED_AT'],
    ['a nonsense instant', [], input('R1.01', { completedAt: 'yesterday' }), 'BAD_USER_INPUT', 'WORKFLOW.COMPLETED_AT'],
    ['a note too long', [], input('R1.01', { note: '证'.repeat(501) }), 'BAD_USER_INPUT', 'WORKFLOW.NOTE'],
  ])('refuses %s', (_what, done, stepInput, code, rule) => {
    expect(refusal(() => completeStep(t, done, stepInput))).toEqual([code, rule]);
  });

  it('lists the steps available now', () => {
    expect(availableSteps(t, [])).toEqual(['R1.01']);
    expect(availableSteps(t, ['R1.01'])).toEqual(['R1.02', 'R1.03', 'R1.04']);
  });
});

describe('transitionProgress', () => {
  const t = RESIDENTS_COMMITTEE_TEMPLATE;
  const all = t.steps.map((s) => s.code);
  it.each([
    ['nothing done', [], null, 'NOT_STARTED', 0, 0],
    ['one step', ['R1.01'], null, 'IN_PROGRESS', 1, 5],
    ['all but one', all.slice(0, 18), null, 'IN_PROGRESS', 18, 94],
    ['all', all, null, 'DONE', 19, 100],
    ['held with nothing done', [], '先整顿、再换届', 'BLOCKED', 0, 0],
    ['held midway', ['R1.01', 'R1.02'], '信访调查中', 'BLOCKED', 2, 10],
    ['held but all done', all, '信访调查中', 'DONE', 19, 100],
    ['blank reason is no hold', ['R1.01'], '  ', 'IN_PROGRESS', 1, 5],
    ['duplicates and foreign codes ignored', ['R1.01', 'R1.01', 'P1.01'], null, 'IN_PROGRESS', 1, 5],
  ] as const)('%s', (_what, done, reason, state, count, percent) => {
    expect(transitionProgress(t, done, reason)).toEqual({ state, done: count, total: 19, percent });
  });

  it('party template: 16 of 32 is 50%', () => {
    expect(transitionProgress(PARTY_COMMITTEE_TEMPLATE, topologicalOrder(PARTY_COMMITTEE_TEMPLATE)!.slice(0, 16)).percent).toBe(50);
  });
});
