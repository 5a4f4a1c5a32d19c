import { badInput, conflict } from '@huanjie/platform';
import type { WorkflowTemplate } from './workflow-templates.data';

/**
 * Following a unit's 换届 through its template: completing steps in order, and the state the
 * progress report counts (done / in progress / not started / blocked). The sources demand the
 * order — "一个都不能错、一个都不能漏、一个都不能颠倒" (002) — and a daily view of it:
 * "日报告、周调度、月分析" (Chenghua, 000).
 */

export const TRANSITION_STATES = ['NOT_STARTED', 'IN_PROGRESS', 'DONE', 'BLOCKED'] as const;
export type TransitionState = (typeof TRANSITION_STATES)[number];

export const COMPLETED_BY_MAX = 60;
export const EVIDENCE_NOTE_MAX = 500;

/** A step done: who, when, and the note on the evidence (minutes, notice, photo reference). */
export interface StepCompletion {
  stepCode: string;
  completedBy: string;
  /** ISO 8601 instant. */
  completedAt: string;
  note: string | null;
}

export interface CompleteStepInput {
  stepCode: string;
  completedBy: string;
  completedAt: string;
  note?: string | null;
}

const length = (s: string) => Array.from(s).length;

/**
 * Checks completing a step against the steps already done and returns the completion to record.
 * Refuses an unknown step, a step already done, and a step whose prerequisites are not all done.
 */
export function completeStep(template: WorkflowTemplate, done: readonly string[], input: CompleteStepInput): StepCompletion {
  const step = template.steps.find((s) => s.code === input.stepCode);
  if (!step) {
    throw badInput(
      'WORKFLOW.UNKNOWN_STEP',
      `WORKFLOW.UNKNOWN_STEP: template ${template.code} has no step ${JSON.stringify(input.stepCode)}; allowed steps: ${template.steps.map((s) => s.code).join(', ')}`,
    );
  }
  const completedBy = input.completedBy.trim();
  if (length(completedBy) < 1 || length(completedBy) > COMPLETED_BY_MAX) {
    throw badInput('WORKFLOW.COMPLETED_BY', `WORKFLOW.COMPLETED_BY: completedBy (who did the step) must be 1–${COMPLETED_BY_MAX} characters, got ${length(completedBy)}`);
  }
  if (Number.isNaN(Date.parse(input.completedAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(input.completedAt)) {
    throw badInput('WORKFLOW.COMPLETED_AT', `WORKFLOW.COMPLETED_AT: completedAt must be an ISO 8601 instant (yyyy-mm-ddThh:mm:ssZ), got ${JSON.stringify(input.completedAt)}`);
  }
  const note = input.note?.trim() || null;
  if (note !== null && length(note) > EVIDENCE_NOTE_MAX) {
    throw badInput('WORKFLOW.NOTE', `WORKFLOW.NOTE: the evidence note must be at most ${EVIDENCE_NOTE_MAX} characters, got ${length(note)}`);
  }
  const doneSet = new Set(done);
  if (doneSet.has(step.code)) {
    throw conflict('WORKFLOW.STEP_ALREADY_DONE', `WORKFLOW.STEP_ALREADY_DONE: step ${step.code} ${step.name} is already done; a step is completed once`);
  }
  const missing = step.dependsOn.filter((code) => !doneSet.has(code));
  if (missing.length > 0) {
    const names = missing.map((code) => `${code} ${template.steps.find((s) => s.code === code)?.name ?? ''}`.trim());
    throw conflict(
      'WORKFLOW.PREREQUISITE_NOT_DONE',
      `WORKFLOW.PREREQUISITE_NOT_DONE: step ${step.code} ${step.name} needs ${step.dependsOn.join(', ')} done first; not done: ${names.join(', ')}`,
    );
  }
  return { stepCode: step.code, completedBy, completedAt: input.completedAt, note };
}

/** Steps that can be completed now: not done, every prerequisite done. */
export function availableSteps(template: WorkflowTemplate, done: readonly string[]): string[] {
  const doneSet = new Set(done);
  return template.steps.filter((s) => !doneSet.has(s.code) && s.dependsOn.every((d) => doneSet.has(d))).map((s) => s.code);
}

export interface TransitionProgress {
  state: TransitionState;
  done: number;
  total: number;
  /** Whole percent, rounded down: 100 only when every step is done. */
  percent: number;
}

/**
 * The state of a unit's transition. DONE when every step is done; otherwise BLOCKED when the unit
 * is held (e.g. 先整顿、再换届: a weak organisation under rectification, or a complaint under
 * investigation — `blockedReason` set); otherwise NOT_STARTED with nothing done, IN_PROGRESS else.
 * Completions of codes not in the template are ignored.
 */
export function transitionProgress(template: WorkflowTemplate, done: readonly string[], blockedReason: string | null = null): TransitionProgress {
  const codes = new Set(template.steps.map((s) => s.code));
  const doneCount = new Set(done.filter((code) => codes.has(code))).size;
  const total = template.steps.length;
  const percent = Math.floor((doneCount * 100) / total);
  let state: TransitionState;
  if (doneCount === total) state = 'DONE';
  else if (blockedReason !== null && blockedReason.trim() !== '') state = 'BLOCKED';
  else if (doneCount === 0) state = 'NOT_STARTED';
  else state = 'IN_PROGRESS';
  return { state, done: doneCount, total, percent };
}

/**
 * Problems with a template as data: duplicate codes, a step in an unknown stage, an unknown
 * dependency, a dependency on a later stage, a cycle. Empty when the template is sound.
 */
export function templateProblems(template: WorkflowTemplate): string[] {
  const problems: string[] = [];
  const stageIndex = new Map(template.stages.map((s, i) => [s.code, i]));
  const byCode = new Map<string, (typeof template.steps)[number]>();
  for (const s of template.steps) {
    if (byCode.has(s.code)) problems.push(`duplicate step ${s.code}`);
    byCode.set(s.code, s);
    if (!stageIndex.has(s.stage)) problems.push(`step ${s.code} is in unknown stage ${s.stage}`);
  }
  for (const s of template.steps) {
    for (const d of s.dependsOn) {
      const dep = byCode.get(d);
      if (!dep) problems.push(`step ${s.code} depends on unknown step ${d}`);
      else if ((stageIndex.get(dep.stage) ?? 0) > (stageIndex.get(s.stage) ?? 0)) problems.push(`step ${s.code} depends on ${d} of a later stage`);
    }
  }
  if (topologicalOrder(template) === null) problems.push('the dependencies form a cycle');
  return problems;
}

/** Step codes in an order that respects every dependency, or null when there is a cycle. */
export function topologicalOrder(template: WorkflowTemplate): string[] | null {
  const order: string[] = [];
  const placed = new Set<string>();
  const known = new Set(template.steps.map((s) => s.code));
  let remaining = template.steps.filter((s) => s.dependsOn.every((d) => known.has(d)));
  while (remaining.length > 0) {
    const ready = remaining.filter((s) => s.dependsOn.every((d) => placed.has(d)));
    if (ready.length === 0) return null;
    for (const s of ready) {
      order.push(s.code);
      placed.add(s.code);
    }
    remaining = remaining.filter((s) => !placed.has(s.code));
  }
  return order;
}
