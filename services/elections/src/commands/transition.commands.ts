import { conflict, isUniqueViolation, notFound, requireRole, writeAudits, type Role } from '@huanjie/platform';
import { ElectionCycleStore } from '../db/election-cycle.store';
import { TransitionStore, type TransitionRow } from '../db/transition.store';
import type { ElectionsContext } from '../deps';
import { checkBlockedReason, checkNotInFuture, planOpenTransitions, type OpenTransitionUnitInput } from '../domain/transition.rules';
import { templateByCode, type CommitteeKind } from '../domain/workflow-templates.data';
import { completeStep, type CompleteStepInput } from '../domain/workflow.rules';
import { audit } from './command-kit';

/** 组织部 draws up a cycle's work plan: which units hold their 换届, with which committees. */
const PLANNERS: readonly Role[] = ['ORG_ADMIN'];
/** Progress is reported by the towns (日报告) and by the organisation department. */
const REPORTERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

/** Units listed in the answer that were open already; the count covers them all. */
export const ALREADY_OPEN_LISTED_MAX = 100;

export interface OpenTransitionsResult {
  opened: number;
  alreadyOpen: number;
  alreadyOpenUnits: { orgUnitId: string; orgUnitCode: string; committeeKind: CommitteeKind }[];
}

const now = (ctx: ElectionsContext) => ctx.deps.now?.() ?? new Date();

/**
 * 部署换届进度: opens a transition for each unit and committee in one statement, each following
 * its committee's template. Units must lie within the cycle's region and the caller's scope, or
 * nothing is opened. A unit's committee already open in the cycle is skipped and reported, so
 * the same work plan can be sent again after a partial failure.
 */
export async function openTransitions(
  ctx: ElectionsContext,
  input: { cycleId: string; units: OpenTransitionUnitInput[] },
): Promise<OpenTransitionsResult> {
  requireRole(ctx.auth, PLANNERS, 'openTransitions');
  const { dataSource, newId } = ctx.deps;
  const [cycle] = await new ElectionCycleStore(dataSource.manager, ctx.auth.regionPath).byIds([input.cycleId]);
  if (!cycle) throw notFound('TRANSITION.CYCLE_NOT_FOUND', `TRANSITION.CYCLE_NOT_FOUND: no election cycle ${input.cycleId} within or covering your region scope`);
  const planned = planOpenTransitions(
    input.units,
    { regionPath: cycle.region_path, regionCode: cycle.region_code },
    { regionPath: ctx.auth.regionPath, regionCode: ctx.auth.regionCode },
  );
  return dataSource.transaction(async (manager) => {
    const inserted = await new TransitionStore(manager, ctx.auth.regionPath).insertMany(
      cycle.id,
      planned.map(() => newId()),
      planned,
    );
    await writeAudits(
      manager,
      inserted.map((row) => ({
        actor: ctx.auth.userId,
        roles: ctx.auth.roles,
        action: 'openTransitions',
        entityType: 'Transition',
        entityId: row.id,
        regionPath: row.region_path,
        requestId: ctx.requestId,
        before: null,
        after: { ...row },
      })),
    );
    const opened = new Set(inserted.map((r) => `${r.org_unit_id}|${r.committee_kind}`));
    const skipped = planned.filter((p) => !opened.has(`${p.orgUnitId}|${p.committeeKind}`));
    return {
      opened: inserted.length,
      alreadyOpen: skipped.length,
      alreadyOpenUnits: skipped
        .slice(0, ALREADY_OPEN_LISTED_MAX)
        .map((p) => ({ orgUnitId: p.orgUnitId, orgUnitCode: p.orgUnitCode, committeeKind: p.committeeKind })),
    };
  });
}

/**
 * 完成环节: records a step as done (who, when, the evidence), after its prerequisites. The
 * transition row is locked FOR UPDATE, so concurrent completions of one transition are checked
 * one after the other. A held (blocked) unit may still record steps — the rectification itself
 * (P1.06 整顿) is done while it is held; the hold only shows it as BLOCKED until lifted.
 */
export async function completeTransitionStep(
  ctx: ElectionsContext,
  input: CompleteStepInput & { transitionId: string },
): Promise<TransitionRow> {
  requireRole(ctx.auth, REPORTERS, 'completeTransitionStep');
  return ctx.deps.dataSource.transaction(async (manager) => {
    const store = new TransitionStore(manager, ctx.auth.regionPath);
    const found = await store.lockWithSteps(input.transitionId);
    if (!found) throw notFound('TRANSITION.NOT_FOUND', `TRANSITION.NOT_FOUND: no transition ${input.transitionId} within your region scope`);
    const template = templateByCode(found.row.template_code);
    if (!template) throw new Error(`transition ${found.row.id} follows unknown template ${found.row.template_code}`);
    const completion = completeStep(template, found.done, input);
    checkNotInFuture(completion.completedAt, now(ctx));
    let step;
    try {
      step = await store.insertStep({
        transition_id: found.row.id,
        step_code: completion.stepCode,
        completed_by: completion.completedBy,
        completed_at: new Date(completion.completedAt),
        note: completion.note,
        recorded_by: ctx.auth.userId,
      });
    } catch (error) {
      // The lock makes this unreachable for completions through here; the key is the last defence.
      if (isUniqueViolation(error)) throw conflict('WORKFLOW.STEP_ALREADY_DONE', `WORKFLOW.STEP_ALREADY_DONE: step ${completion.stepCode} is already done; a step is completed once`);
      throw error;
    }
    await audit(manager, ctx, 'completeTransitionStep', { type: 'Transition', id: found.row.id, regionPath: found.row.region_path }, { done: found.done }, step);
    return found.row;
  });
}

/** 挂牌督办 / 先整顿、再换届: holds a unit's transition with a reason; a null reason lifts the hold. */
export async function setTransitionBlocked(ctx: ElectionsContext, input: { transitionId: string; reason?: string | null }): Promise<TransitionRow> {
  requireRole(ctx.auth, REPORTERS, 'setTransitionBlocked');
  const reason = checkBlockedReason(input.reason);
  return ctx.deps.dataSource.transaction(async (manager) => {
    const store = new TransitionStore(manager, ctx.auth.regionPath);
    const found = await store.lockWithSteps(input.transitionId);
    if (!found) throw notFound('TRANSITION.NOT_FOUND', `TRANSITION.NOT_FOUND: no transition ${input.transitionId} within your region scope`);
    const row = await store.setBlocked(found.row.id, reason, now(ctx));
    await audit(
      manager,
      ctx,
      'setTransitionBlocked',
      { type: 'Transition', id: row.id, regionPath: row.region_path },
      { blocked_reason: found.row.blocked_reason, blocked_since: found.row.blocked_since },
      { blocked_reason: row.blocked_reason, blocked_since: row.blocked_since },
    );
    return row;
  });
}
