import { notFound, requireInScope, shanghaiDate } from '@huanjie/platform';
import { OnboardingChecklistCompleted, recordEvent } from '@huanjie/events';
import { OnboardingStore, type ChecklistRow, type TaskRow } from '../db/onboarding.store';
import type { TrainingContext } from '../deps';
import { checkTaskCompletion, completionDate, type ChecklistTask } from '../domain/checklist.rules';
import { actorOf, audit, GUIDES, requireUuid, runCommand } from './command-kit';

/**
 * Records one of the 十个一 tasks as done, with its evidence note and date. The tenth closes the
 * checklist (its completion date is the latest task's) and publishes OnboardingChecklistCompleted.
 */
export async function completeChecklistTask(
  ctx: TrainingContext,
  input: { checklistId: string; task: ChecklistTask; evidenceNote: string; completedOn: string },
): Promise<ChecklistRow> {
  requireUuid('CHECKLIST.ID', 'checklistId', input.checklistId);
  return runCommand(ctx, GUIDES, 'completeChecklistTask', async (manager) => {
    const store = new OnboardingStore(manager, ctx.auth.regionPath);
    const [checklist] = await store.checklistsByIds([input.checklistId], true);
    if (!checklist) throw notFound('CHECKLIST.NOT_FOUND', `CHECKLIST.NOT_FOUND: no checklist ${input.checklistId} within your region scope`);
    requireInScope(ctx.auth, checklist.region_path, 'the committee of the checklist');
    checkTaskCompletion(input, checklist.term_starts_on, shanghaiDate(ctx.deps.now()), checklist.completed_on);
    const tasks = await store.tasksOf([checklist.id]);
    const before = tasks.find((t) => t.task === input.task) ?? null;
    const task = await store.setTask(checklist.id, input.task, input.evidenceNote.trim(), input.completedOn, ctx.auth.userId, ctx.deps.now());
    const actor = actorOf(ctx);
    await audit(manager, actor, 'completeChecklistTask', { type: 'OnboardingChecklist', id: checklist.id, regionPath: checklist.region_path }, before, task);
    const done = completionDate(tasks.map((t: TaskRow) => (t.task === task.task ? task : t)).map((t) => ({ task: t.task, completedOn: t.completed_on })));
    if (done === null) return checklist;
    await store.completeChecklist(checklist.id, done);
    const completed = { ...checklist, completed_on: done };
    await audit(manager, actor, 'completeOnboardingChecklist', { type: 'OnboardingChecklist', id: checklist.id, regionPath: checklist.region_path }, checklist, completed);
    await recordEvent(manager, OnboardingChecklistCompleted, {
      subject: checklist.id,
      time: ctx.deps.now(),
      data: {
        checklistId: checklist.id,
        committeeId: checklist.committee_id,
        termId: checklist.term_id,
        orgUnitId: checklist.org_unit_id,
        regionPath: checklist.region_path,
        completedOn: done,
      },
    });
    return completed;
  });
}
