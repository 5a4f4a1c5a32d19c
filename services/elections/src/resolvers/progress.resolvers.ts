import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { byIdLoader, childrenLoader, isUuid, NATIONWIDE_CODE, notFound, regionPathFromCode, requireInScope, shanghaiDate } from '@huanjie/platform';
import { completeTransitionStep, openTransitions, setTransitionBlocked } from '../commands/transition.commands';
import { ProgressReportStore, type ProgressReportRow } from '../db/progress-report.store';
import { TransitionStore, type TransitionRow, type TransitionStepRow } from '../db/transition.store';
import type { ElectionsContext } from '../deps';
import { childRegionCode, progressReportShape, type OpenTransitionUnitInput } from '../domain/transition.rules';
import { ALL_WORKFLOW_TEMPLATES, templateByCode, type CommitteeKind, type WorkflowTemplate } from '../domain/workflow-templates.data';
import { availableSteps, transitionProgress, type CompleteStepInput } from '../domain/workflow.rules';

/** 换届进度: transitions, their steps, OrgUnit.transitions and the progress report. */

export function createProgressLoaders(db: EntityManager, scopePath: string) {
  const store = new TransitionStore(db, scopePath);
  return {
    transitionById: byIdLoader<TransitionRow>((ids) => store.byIds(ids)),
    /** Keyed by unit id; the variant is the cycle asked for ('' for all). */
    transitionsOfUnit: childrenLoader<string, TransitionRow>(
      (ids, cycleId) => store.byOrgUnitIds(ids, cycleId || null),
      (r) => r.org_unit_id,
      (cycleId) => cycleId,
    ),
    /** The same for an OrgUnit known by its 行政区划代码 only (a report row's region). */
    transitionsOfUnitCode: childrenLoader<string, TransitionRow>(
      (codes, cycleId) => store.byOrgUnitCodes(codes, cycleId || null),
      (r) => r.org_unit_code,
      (cycleId) => cycleId,
    ),
    stepsOf: new DataLoader<string, TransitionStepRow[]>(async (ids) => {
      const byTransition = new Map<string, TransitionStepRow[]>();
      for (const step of await store.stepsOf(ids)) {
        const list = byTransition.get(step.transition_id);
        if (list) list.push(step);
        else byTransition.set(step.transition_id, [step]);
      }
      return ids.map((id) => byTransition.get(id) ?? []);
    }),
  };
}

function templateOf(t: TransitionRow): WorkflowTemplate {
  const template = templateByCode(t.template_code);
  if (!template) throw new Error(`transition ${t.id} follows unknown template ${t.template_code}`);
  return template;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const doneCodes = (steps: readonly TransitionStepRow[]) => steps.map((s) => s.step_code);

/** Midnight that began `now`'s day in Asia/Shanghai, which keeps UTC+8 all year (no daylight saving since 1991). */
export function shanghaiMidnight(now: Date): Date {
  return new Date(`${shanghaiDate(now)}T00:00:00+08:00`);
}

function reportRow(r: ProgressReportRow, regionCode: string) {
  const change = r.bp - r.bp_yesterday;
  return {
    regionCode,
    regionPath: regionPathFromCode(regionCode),
    // Named by personnel through its second key, OrgUnit @key(fields: "code").
    region: regionCode === NATIONWIDE_CODE ? null : { code: regionCode },
    units: r.units,
    done: r.done_units,
    inProgress: r.in_progress_units,
    notStarted: r.not_started_units,
    blocked: r.blocked_units,
    stepsDone: r.steps_done,
    stepsTotal: r.steps_total,
    completionBasisPoints: r.bp,
    percentComplete: r.bp / 100,
    rank: r.rank,
    sinceYesterday: {
      stepsCompleted: r.steps_today,
      unitsDone: r.units_done_today,
      basisPointsChange: change,
      percentChange: change / 100,
      rankYesterday: r.rank_yesterday,
      rankChange: r.rank === null || r.rank_yesterday === null ? null : r.rank_yesterday - r.rank,
    },
  };
}

interface ProgressInput {
  cycleId: string;
  regionCode: string;
  committeeKind?: CommitteeKind | null;
}

/** The report: shape checked here, figures from ONE SQL statement (ProgressReportStore). */
async function transitionProgressReport(ctx: ElectionsContext, input: ProgressInput) {
  const shape = progressReportShape(input.regionCode);
  requireInScope(ctx.auth, shape.regionPath, `region ${input.regionCode}`);
  const missing = () => notFound('REPORT.CYCLE_NOT_FOUND', `REPORT.CYCLE_NOT_FOUND: no election cycle ${input.cycleId} within or covering your region scope`);
  if (!isUuid(input.cycleId)) throw missing();
  const now = ctx.deps.now?.() ?? new Date();
  const rows = await new ProgressReportStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).report({
    cycleId: input.cycleId,
    regionPath: shape.regionPath,
    childCodeLength: shape.childCodeLength,
    committeeKind: input.committeeKind ?? null,
    todayStartsAt: shanghaiMidnight(now),
    templates: ALL_WORKFLOW_TEMPLATES,
  });
  const total = rows.find((r) => r.is_total);
  if (!total?.cycle_found) throw missing();
  return {
    cycleId: input.cycleId,
    committeeKind: input.committeeKind ?? null,
    today: shanghaiDate(now),
    total: reportRow(total, shape.regionCode),
    children: rows
      .filter((r) => !r.is_total)
      .map((r) => reportRow(r, r.region_code ?? childRegionCode(shape.regionCode, shape.childCodeLength ?? 12))),
  };
}

export const progressResolvers = {
  Query: {
    transition: (_: unknown, args: { id: string }, ctx: ElectionsContext) => ctx.loaders.transitionById.load(args.id),
    transitionProgress: (_: unknown, args: { input: ProgressInput }, ctx: ElectionsContext) => transitionProgressReport(ctx, args.input),
  },
  Mutation: {
    openTransitions: (_: unknown, args: { input: { cycleId: string; units: OpenTransitionUnitInput[] } }, ctx: ElectionsContext) =>
      openTransitions(ctx, args.input),
    completeTransitionStep: (_: unknown, args: { input: CompleteStepInput & { transitionId: string } }, ctx: ElectionsContext) =>
      completeTransitionStep(ctx, args.input),
    setTransitionBlocked: (_: unknown, args: { input: { transitionId: string; reason?: string | null } }, ctx: ElectionsContext) =>
      setTransitionBlocked(ctx, args.input),
  },
  Transition: {
    __resolveReference: (ref: { id: string }, ctx: ElectionsContext) => ctx.loaders.transitionById.load(ref.id),
    cycle: (t: TransitionRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.cycleById.load(t.cycle_id),
    orgUnit: (t: TransitionRow) => ({ id: t.org_unit_id, code: t.org_unit_code }),
    orgUnitCode: (t: TransitionRow) => t.org_unit_code,
    regionPath: (t: TransitionRow) => t.region_path,
    committeeKind: (t: TransitionRow) => t.committee_kind,
    template: (t: TransitionRow) => {
      const template = templateOf(t);
      return { ...template, stageCount: template.stages.length, stepCount: template.steps.length };
    },
    stages: async (t: TransitionRow, _: unknown, ctx: ElectionsContext) => {
      const template = templateOf(t);
      const steps: TransitionStepRow[] = await ctx.loaders.stepsOf.load(t.id);
      const byCode = new Map<string, TransitionStepRow>(steps.map((s) => [s.step_code, s] as const));
      const available = new Set(availableSteps(template, doneCodes(steps)));
      return template.stages.map((stage) => {
        const own = template.steps.filter((s) => s.stage === stage.code);
        return {
          ...stage,
          total: own.length,
          done: own.filter((s) => byCode.has(s.code)).length,
          steps: own.map((s) => {
            const completion = byCode.get(s.code);
            return {
              code: s.code,
              name: s.name,
              gloss: s.gloss,
              dependsOn: s.dependsOn,
              done: completion !== undefined,
              available: available.has(s.code),
              completedBy: completion?.completed_by ?? null,
              completedAt: iso(completion?.completed_at ?? null),
              note: completion?.note ?? null,
              recordedBy: completion?.recorded_by ?? null,
            };
          }),
        };
      });
    },
    progress: async (t: TransitionRow, _: unknown, ctx: ElectionsContext) =>
      transitionProgress(templateOf(t), doneCodes(await ctx.loaders.stepsOf.load(t.id)), t.blocked_reason),
    blockedReason: (t: TransitionRow) => t.blocked_reason,
    blockedSince: (t: TransitionRow) => iso(t.blocked_since),
    createdAt: (t: TransitionRow) => iso(t.created_at),
  },
  TransitionProgressReport: {
    cycle: (r: { cycleId: string }, _: unknown, ctx: ElectionsContext) => ctx.loaders.cycleById.load(r.cycleId),
  },
  OrgUnit: {
    /** The unit comes by id (from personnel, or a transition's unit) or by code only (a report row's region). */
    transitions: (u: { id?: string; code?: string }, args: { cycleId?: string | null }, ctx: ElectionsContext) => {
      const variant = args.cycleId ?? '';
      if (u.id) return ctx.loaders.transitionsOfUnit.load({ parentId: u.id, variant });
      if (u.code) return ctx.loaders.transitionsOfUnitCode.load({ parentId: u.code, variant });
      return [];
    },
  },
};
