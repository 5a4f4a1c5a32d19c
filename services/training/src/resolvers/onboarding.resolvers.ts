import type { EntityManager } from 'typeorm';
import { byIdLoader } from '@huanjie/platform';
import { completeChecklistTask } from '../commands/checklist.commands';
import { OnboardingStore, type ChecklistRow, type OnboardingRow, type TaskRow } from '../db/onboarding.store';
import type { TrainingContext } from '../deps';
import { CHECKLIST_TASKS, type ChecklistTask } from '../domain/checklist.rules';
import { groupedLoader, personRef, singleLoader } from './loaders';

/** Onboarding and checklists: N members, terms or committees cost one statement each kind. */
export function createOnboardingLoaders(db: EntityManager, scopePath: string) {
  const store = new OnboardingStore(db, scopePath);
  return {
    onboardingById: byIdLoader<OnboardingRow>((ids) => store.onboardingsByIds(ids)),
    onboardingsOfPerson: groupedLoader((ids) => store.onboardingsOfPeople(ids), (o) => o.person_id),
    onboardingsOfTerm: groupedLoader((ids) => store.onboardingsOfTerms(ids), (o) => o.term_id),
    checklistById: byIdLoader<ChecklistRow>((ids) => store.checklistsByIds(ids)),
    checklistOfTerm: singleLoader((ids) => store.checklistsOfTerms(ids), (c) => c.term_id),
    checklistOfCommittee: singleLoader((ids) => store.latestChecklistsOfCommittees(ids), (c) => c.committee_id),
    tasksOf: groupedLoader((ids) => store.tasksOf(ids), (t) => t.checklist_id),
  };
}

const LABELS = new Map<string, string>(CHECKLIST_TASKS.map((t) => [t.code, t.label]));

export const onboardingResolvers = {
  Query: {
    onboardingChecklist: (_: unknown, args: { id: string }, ctx: TrainingContext) => ctx.loaders.checklistById.load(args.id),
  },
  Mutation: {
    completeChecklistTask: (
      _: unknown,
      args: { input: { checklistId: string; task: ChecklistTask; evidenceNote: string; completedOn: string } },
      ctx: TrainingContext,
    ) => completeChecklistTask(ctx, args.input),
  },
  Onboarding: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.onboardingById.load(ref.id),
    person: (o: OnboardingRow) => personRef(o.person_id),
    positionId: (o: OnboardingRow) => o.position_id,
    termId: (o: OnboardingRow) => o.term_id,
    committeeId: (o: OnboardingRow) => o.committee_id,
    startsOn: (o: OnboardingRow) => o.starts_on,
    status: async (o: OnboardingRow, _: unknown, ctx: TrainingContext) => {
      if (o.enrolment_id === null) return 'PENDING_COURSE';
      // Read for the system: the onboarding was found within scope, and its enrolment is the same person's.
      const enrolment = await ctx.loaders.enrolmentById.load(o.enrolment_id);
      return enrolment?.status ?? 'PENDING_COURSE';
    },
    enrolment: (o: OnboardingRow, _: unknown, ctx: TrainingContext) => (o.enrolment_id ? ctx.loaders.enrolmentById.load(o.enrolment_id) : null),
  },
  OnboardingChecklist: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.checklistById.load(ref.id),
    committee: (c: ChecklistRow) => ({ __typename: 'Committee', id: c.committee_id }),
    termId: (c: ChecklistRow) => c.term_id,
    orgUnitId: (c: ChecklistRow) => c.org_unit_id,
    regionPath: (c: ChecklistRow) => c.region_path,
    termStartsOn: (c: ChecklistRow) => c.term_starts_on,
    completedOn: (c: ChecklistRow) => c.completed_on,
    tasks: (c: ChecklistRow, _: unknown, ctx: TrainingContext) => ctx.loaders.tasksOf.load(c.id),
    tasksDone: async (c: ChecklistRow, _: unknown, ctx: TrainingContext) => (await ctx.loaders.tasksOf.load(c.id)).filter((t) => t.completed_on !== null).length,
  },
  ChecklistTaskState: {
    label: (t: TaskRow) => LABELS.get(t.task) ?? t.task,
    done: (t: TaskRow) => t.completed_on !== null,
    evidenceNote: (t: TaskRow) => t.evidence_note,
    completedOn: (t: TaskRow) => t.completed_on,
  },
  Committee: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    onboardingChecklist: (c: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.checklistOfCommittee.load(c.id),
  },
  Term: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    onboardingChecklist: (t: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.checklistOfTerm.load(t.id),
    onboardings: (t: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.onboardingsOfTerm.load(t.id),
  },
  Person: {
    onboarding: async (p: { id: string }, _: unknown, ctx: TrainingContext) => (await ctx.loaders.onboardingsOfPerson.load(p.id))[0] ?? null,
    onboardings: (p: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.onboardingsOfPerson.load(p.id),
  },
};
