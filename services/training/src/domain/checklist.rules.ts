import { badInput, conflict, isIsoDate } from '@huanjie/platform';

/**
 * “十个一”履新任务 — the ten tasks of a new committee (source 004, Baoshan 2021: 区委组织部制定了
 * “十个一”履新任务), in the source's order. Each is done when it has its evidence note and date.
 */
export const CHECKLIST_TASKS = [
  { code: 'STUDY_SESSION', label: '组织一次学习守初心 — hold a study session' },
  { code: 'HANDOVER', label: '搞好一次交接明职责 — complete the handover from the previous committee' },
  { code: 'VISIT_RESIDENTS', label: '走访一次群众理思路 — visit the residents' },
  { code: 'RESIDENTS_DIARY', label: '记好一本民情日记清底数 — keep a diary of residents\' affairs' },
  { code: 'ROLE_MODEL', label: '树立一个学习榜样定目标 — choose a role model to learn from' },
  { code: 'PUBLIC_PLEDGE', label: '亮出一份承诺谋发展 — make a public pledge' },
  { code: 'COMMITTEE_TALK', label: '开展一次班子谈心聚合力 — hold heart-to-heart talks within the committee' },
  { code: 'PRACTICAL_PROJECT', label: '兴办一件实事暖民心 — carry out one practical project for the residents' },
  { code: 'RULES', label: '建立一套制度促规范 — set up a set of working rules' },
  { code: 'RESULTS_REVIEW', label: '完成一次评议晒实绩 — hold a review of results' },
] as const;
export type ChecklistTask = (typeof CHECKLIST_TASKS)[number]['code'];
export const CHECKLIST_TASK_CODES: readonly ChecklistTask[] = CHECKLIST_TASKS.map((t) => t.code);

export interface TaskState {
  task: string;
  completedOn: string | null;
}

export interface TaskCompletionInput {
  task: string;
  evidenceNote: string;
  completedOn: string;
}

/**
 * Recording a task: a known task, an evidence note (what was done, where the record is), a date
 * that is neither before the term began nor in the future. A task already done may be corrected
 * (note and date) until the whole checklist is done; after that it is closed.
 */
export function checkTaskCompletion(input: TaskCompletionInput, termStartsOn: string, today: string, checklistCompletedOn: string | null): void {
  if (!(CHECKLIST_TASK_CODES as readonly string[]).includes(input.task)) {
    throw badInput('CHECKLIST.TASK', `CHECKLIST.TASK: task must be one of ${CHECKLIST_TASK_CODES.join(', ')}`);
  }
  const note = input.evidenceNote.trim();
  if (note.length < 2 || Array.from(note).length > 1000) {
    throw badInput('CHECKLIST.EVIDENCE', 'CHECKLIST.EVIDENCE: evidenceNote must be 2–1000 characters: what was done and where its record is');
  }
  if (!isIsoDate(input.completedOn)) {
    throw badInput('CHECKLIST.DATE', `CHECKLIST.DATE: completedOn must be yyyy-mm-dd, got ${JSON.stringify(input.completedOn)}`);
  }
  if (input.completedOn < termStartsOn) {
    throw badInput('CHECKLIST.DATE', `CHECKLIST.DATE: completedOn ${input.completedOn} is before the term began (${termStartsOn})`);
  }
  if (input.completedOn > today) throw badInput('CHECKLIST.DATE', `CHECKLIST.DATE: completedOn ${input.completedOn} is in the future (today is ${today})`);
  if (checklistCompletedOn !== null) {
    throw conflict('CHECKLIST.CLOSED', `CHECKLIST.CLOSED: the checklist was completed on ${checklistCompletedOn}; its tasks are closed`);
  }
}

/** The day the checklist is done: the latest task's date once all ten are done, else null. */
export function completionDate(tasks: readonly TaskState[]): string | null {
  const done = new Map(tasks.filter((t) => t.completedOn !== null).map((t) => [t.task, t.completedOn as string]));
  if (!CHECKLIST_TASK_CODES.every((code) => done.has(code))) return null;
  return [...done.values()].sort().at(-1) ?? null;
}
