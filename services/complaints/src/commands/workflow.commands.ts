import type { EntityManager } from 'typeorm';
import { ComplaintClosed, ComplaintSubstantiated, recordEvent } from '@huanjie/events';
import { badInput, conflict, isUuid, notFound, requireRole } from '@huanjie/platform';
import { ComplaintStore, type ComplaintRow } from '../db/complaint.store';
import type { ComplaintsContext } from '../deps';
import { extendDeadline as extendRule, handleDue, overdueDeadline, policyFor } from '../domain/deadlines.rules';
import { EVENT_ROLES, HANDLING_STATUSES, transition, type WorkflowEvent } from '../domain/workflow.rules';
import { actorOf, auditCase, auditView, onComplaint, requireVersion, type CaseRef } from './command-kit';

interface Step {
  event: WorkflowEvent;
  reason?: string | null;
}

/**
 * Applies one workflow event to a locked case: the state machine decides (CONFLICT naming the
 * allowed events, FORBIDDEN for the wrong role, a reason where one is required), `patch` adds the
 * event's own changes, and the history, the audit record and the event(s) are written in the same
 * transaction.
 */
async function apply(
  ctx: ComplaintsContext,
  manager: EntityManager,
  store: ComplaintStore,
  row: ComplaintRow,
  step: Step,
  patch: (now: Date, reason: string | null) => Partial<ComplaintRow>,
  detail: Record<string, unknown> = {},
): Promise<ComplaintRow> {
  const { to, reason } = transition(row.status, step.event, ctx.auth, step.reason);
  const now = ctx.deps.now();
  const actor = actorOf(ctx);
  const late = overdueDeadline({ status: row.status, firstResponseDue: row.first_response_due, handleDue: row.handle_due }, now) !== null;
  const changes: Partial<ComplaintRow> = { status: to, updated_at: now, ...patch(now, reason) };
  if (late) changes.overdue_ever = true;
  // The first response: whatever moves a case out of RECEIVED.
  if (row.status === 'RECEIVED' && row.responded_at === null) changes.responded_at = now;
  const updated = await store.update(row.id, changes);
  await store.addHistory([{ complaint_id: row.id, at: now, actor: actor.userId, event: step.event, from_status: row.status, to_status: to, reason, detail }]);
  await auditCase(manager, actor, eventAction[step.event], updated, auditView(row), { ...auditView(updated), reasonChars: reason === null ? 0 : Array.from(reason).length });
  if (updated.status === 'SUBSTANTIATED') {
    await recordEvent(manager, ComplaintSubstantiated, {
      subject: updated.id,
      time: now,
      data: {
        complaintId: updated.id,
        orgUnitId: updated.org_unit_id,
        regionPath: updated.region_path,
        category: updated.category,
        electionId: updated.election_id,
        subjectPersonIds: (detail.foundAtFault as string[] | undefined) ?? updated.subject_person_ids,
        substantiatedAt: now.toISOString(),
        severity: updated.severity,
      },
    });
  }
  if (['CLOSED', 'REJECTED', 'MERGED'].includes(updated.status)) await recordClosed(manager, updated, row.status, now);
  ctx.log.info({ complaintId: row.id, event: step.event, from: row.status, to }, 'complaint transition');
  return updated;
}

/**
 * The role check comes first, before the case is looked up: a caller whose role may not make the
 * event learns nothing of the case — not whether it exists in their region (NOT_FOUND), nor its
 * state (CONFLICT names the state and the events it takes).
 */
function requireEventRole(ctx: ComplaintsContext, event: WorkflowEvent): void {
  requireRole(ctx.auth, EVENT_ROLES[event], eventAction[event]);
}

const eventAction: Record<WorkflowEvent, string> = {
  ACCEPT: 'acceptComplaint',
  REJECT: 'rejectComplaint',
  MERGE: 'mergeComplaint',
  ASSIGN: 'assignComplaint',
  START_INVESTIGATION: 'startInvestigation',
  SUBSTANTIATE: 'substantiateComplaint',
  UNSUBSTANTIATE: 'unsubstantiateComplaint',
  CLOSE: 'closeComplaint',
};

async function recordClosed(manager: EntityManager, row: ComplaintRow, before: ComplaintRow['status'], now: Date) {
  const outcome = row.status === 'CLOSED' ? (before === 'SUBSTANTIATED' ? 'SUBSTANTIATED' : 'UNSUBSTANTIATED') : row.status === 'REJECTED' ? 'REJECTED' : 'MERGED';
  await recordEvent(manager, ComplaintClosed, {
    subject: row.id,
    time: now,
    data: {
      complaintId: row.id,
      orgUnitId: row.org_unit_id,
      regionPath: row.region_path,
      category: row.category,
      outcome,
      mergedIntoComplaintId: row.merged_into,
      overdue: row.overdue_ever,
      closedAt: now.toISOString(),
    },
  });
}

/** 受理: the case is taken up; the handling deadline starts. */
export function acceptComplaint(ctx: ComplaintsContext, input: CaseRef & { note?: string | null }) {
  requireEventRole(ctx, 'ACCEPT');
  return onComplaint(ctx, 'acceptComplaint', input, (manager, row, store) =>
    apply(ctx, manager, store, row, { event: 'ACCEPT', reason: input.note }, (now) => ({
      accepted_at: now,
      handle_due: handleDue(now, row.election_period, policyFor(row.region_path, ctx.deps.deadlinePolicies)),
    })),
  );
}

/** 不予受理: refused with a reason; the case is closed. */
export function rejectComplaint(ctx: ComplaintsContext, input: CaseRef & { reason: string }) {
  requireEventRole(ctx, 'REJECT');
  return onComplaint(ctx, 'rejectComplaint', input, (manager, row, store) =>
    apply(ctx, manager, store, row, { event: 'REJECT', reason: input.reason }, (now, reason) => ({ resolution: reason, closed_at: now, closed_by: ctx.auth.userId })),
  );
}

/** 交办: to a handling unit and an investigator (a user id); again to reassign. */
export function assignComplaint(ctx: ComplaintsContext, input: CaseRef & { orgUnitId: string; investigator: string; note?: string | null }) {
  requireEventRole(ctx, 'ASSIGN');
  if (!isUuid(input.orgUnitId)) throw badInput('COMPLAINT.ASSIGNED_UNIT', 'orgUnitId must be the id (a UUID) of the unit that handles the case');
  const investigator = input.investigator.trim();
  if (investigator.length < 1 || investigator.length > 100) throw badInput('COMPLAINT.INVESTIGATOR', 'investigator must be the user id of the person who investigates (1–100 characters)');
  return onComplaint(ctx, 'assignComplaint', input, (manager, row, store) =>
    apply(
      ctx,
      manager,
      store,
      row,
      { event: 'ASSIGN', reason: input.note },
      () => ({ assigned_org_unit_id: input.orgUnitId.toLowerCase(), investigator }),
      { orgUnitId: input.orgUnitId.toLowerCase(), investigator, previousInvestigator: row.investigator },
    ),
  );
}

/** 开始调查核实. */
export function startInvestigation(ctx: ComplaintsContext, input: CaseRef & { note?: string | null }) {
  requireEventRole(ctx, 'START_INVESTIGATION');
  return onComplaint(ctx, 'startInvestigation', input, (manager, row, store) => apply(ctx, manager, store, row, { event: 'START_INVESTIGATION', reason: input.note }, () => ({})));
}

/**
 * 查实: the finding, with why; ComplaintSubstantiated names the people found at fault (the case's
 * subjects, or those given, who must be among them) — never the complainant.
 */
export function substantiateComplaint(ctx: ComplaintsContext, input: CaseRef & { reason: string; subjectPersonIds?: readonly string[] | null }) {
  requireEventRole(ctx, 'SUBSTANTIATE');
  return onComplaint(ctx, 'substantiateComplaint', input, (manager, row, store) => {
    const found = input.subjectPersonIds ? [...new Set(input.subjectPersonIds.map((id) => id.toLowerCase()))] : row.subject_person_ids;
    const strangers = found.filter((id) => !row.subject_person_ids.includes(id));
    if (strangers.length > 0) {
      throw badInput('COMPLAINT.FOUND_NOT_SUBJECT', 'COMPLAINT.FOUND_NOT_SUBJECT: the people found at fault must be among the people the complaint is about');
    }
    return apply(ctx, manager, store, row, { event: 'SUBSTANTIATE', reason: input.reason }, (now) => ({ finding_at: now, finding_by: ctx.auth.userId }), { foundAtFault: found });
  });
}

/** 查否: not true, with why. */
export function unsubstantiateComplaint(ctx: ComplaintsContext, input: CaseRef & { reason: string }) {
  requireEventRole(ctx, 'UNSUBSTANTIATE');
  return onComplaint(ctx, 'unsubstantiateComplaint', input, (manager, row, store) =>
    apply(ctx, manager, store, row, { event: 'UNSUBSTANTIATE', reason: input.reason }, (now) => ({ finding_at: now, finding_by: ctx.auth.userId })),
  );
}

/** 办结: after a finding, with the resolution (处理结果) and who decided. */
export function closeComplaint(ctx: ComplaintsContext, input: CaseRef & { resolution: string }) {
  requireEventRole(ctx, 'CLOSE');
  return onComplaint(ctx, 'closeComplaint', input, (manager, row, store) =>
    apply(ctx, manager, store, row, { event: 'CLOSE', reason: input.resolution }, (now, reason) => ({ resolution: reason, closed_at: now, closed_by: ctx.auth.userId })),
  );
}

/**
 * 重复件合并: the case goes into another open one (its history stays with it; the other records the
 * merge and takes on its subjects). Both are locked in id order so two merges cannot deadlock.
 */
export async function mergeComplaint(ctx: ComplaintsContext, input: CaseRef & { intoComplaintId: string; reason: string }) {
  requireEventRole(ctx, 'MERGE');
  if (input.complaintId === input.intoComplaintId) throw badInput('COMPLAINT.MERGE_SELF', 'COMPLAINT.MERGE_SELF: a complaint cannot be merged into itself');
  const result = await ctx.deps.dataSource.transaction(async (manager) => {
    const store = new ComplaintStore(manager, ctx.auth.regionPath);
    const locked = new Map<string, ComplaintRow | null>();
    for (const id of [input.complaintId, input.intoComplaintId].sort()) locked.set(id, await store.lock(id));
    const row = locked.get(input.complaintId);
    const into = locked.get(input.intoComplaintId);
    if (!row) throw notFound('COMPLAINT.NOT_FOUND', `COMPLAINT.NOT_FOUND: no complaint ${input.complaintId} within your region scope (mergeComplaint)`);
    if (!into) throw notFound('COMPLAINT.NOT_FOUND', `COMPLAINT.NOT_FOUND: no complaint ${input.intoComplaintId} within your region scope (mergeComplaint into)`);
    requireVersion(row, input.expectedVersion, 'mergeComplaint');
    if (!HANDLING_STATUSES.includes(into.status)) {
      throw conflict('COMPLAINT.MERGE_TARGET_CLOSED', `COMPLAINT.MERGE_TARGET_CLOSED: a complaint is merged into one still being handled; ${into.id} is ${into.status}`);
    }
    const merged = await apply(ctx, manager, store, row, { event: 'MERGE', reason: input.reason }, (now) => ({ merged_into: into.id, closed_at: now, closed_by: ctx.auth.userId }), { intoComplaintId: into.id });
    const now = ctx.deps.now();
    const subjects = [...new Set([...into.subject_person_ids, ...row.subject_person_ids])];
    const survivor = await store.update(into.id, { subject_person_ids: subjects, updated_at: now });
    await store.addHistory([{ complaint_id: into.id, at: now, actor: ctx.auth.userId, event: 'MERGE_IN', from_status: into.status, to_status: into.status, reason: null, detail: { mergedComplaintId: row.id } }]);
    await auditCase(manager, actorOf(ctx), 'mergeIntoComplaint', survivor, auditView(into), { ...auditView(survivor), mergedComplaintId: row.id });
    return merged;
  });
  ctx.deps.onEventsRecorded();
  return result;
}

/** 延期: the handling deadline moved once, by policy, with a reason (DISCIPLINE or ORG_ADMIN). */
export function extendComplaintDeadline(ctx: ComplaintsContext, input: CaseRef & { days: number; reason: string }) {
  requireRole(ctx.auth, ['DISCIPLINE', 'ORG_ADMIN'], 'extendComplaintDeadline');
  return onComplaint(ctx, 'extendComplaintDeadline', input, async (manager, row, store) => {
    const policy = policyFor(row.region_path, ctx.deps.deadlinePolicies);
    const due = extendRule({ status: row.status, handleDue: row.handle_due, extensions: row.extensions }, input.days, input.reason, policy);
    const now = ctx.deps.now();
    const updated = await store.update(row.id, { handle_due: due, extensions: row.extensions + 1, updated_at: now });
    await store.addHistory([
      { complaint_id: row.id, at: now, actor: ctx.auth.userId, event: 'EXTEND', from_status: row.status, to_status: row.status, reason: input.reason.trim(), detail: { days: input.days, from: row.handle_due, to: due } },
    ]);
    await auditCase(manager, actorOf(ctx), 'extendComplaintDeadline', updated, auditView(row), auditView(updated));
    return updated;
  });
}

