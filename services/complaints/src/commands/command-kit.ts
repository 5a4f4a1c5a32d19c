import type { EntityManager } from 'typeorm';
import { notFound, writeAudit } from '@huanjie/platform';
import { ComplaintStore, type ComplaintRow } from '../db/complaint.store';
import type { ComplaintsContext } from '../deps';

/** Who acts: a user through the graph, or the system (actor 'system:<job or event>'). */
export interface Actor {
  userId: string;
  /** The caller's roles, for the audit record; none for system work. */
  roles?: readonly string[];
  requestId: string | null;
}

export const actorOf = (ctx: ComplaintsContext): Actor => ({ userId: ctx.auth.userId, roles: ctx.auth.roles, requestId: ctx.requestId });

/**
 * What the audit log keeps of a case: its ids, classification and workflow state. Never the
 * description, the complainant, the receipt hash or the reasons written (they may name people and
 * belong in the case file, which DISCIPLINE reads; the audit log is read more widely): their
 * lengths show they were there.
 */
export function auditView(row: ComplaintRow) {
  return {
    status: row.status,
    channel: row.channel,
    category: row.category,
    severity: row.severity,
    level: row.level,
    orgUnitId: row.org_unit_id,
    electionId: row.election_id,
    subjectPersonIds: row.subject_person_ids,
    electionPeriod: row.election_period,
    anonymous: row.anonymous,
    attachments: row.attachments.length,
    summaryChars: Array.from(row.summary).length,
    firstResponseDue: row.first_response_due,
    handleDue: row.handle_due,
    extensions: row.extensions,
    assignedOrgUnitId: row.assigned_org_unit_id,
    investigator: row.investigator,
    mergedInto: row.merged_into,
  };
}

export function auditCase(manager: EntityManager, actor: Actor, action: string, row: ComplaintRow, before: object | null, after: object | null) {
  return writeAudit(manager, {
    actor: actor.userId,
    roles: actor.roles,
    action,
    entityType: 'Complaint',
    entityId: row.id,
    regionPath: row.region_path,
    requestId: actor.requestId,
    before: before === null ? null : { ...before },
    after: after === null ? null : { ...after },
  });
}

/**
 * Runs a command on one case: opens the transaction, locks the case (commands on it queue) —
 * NOT_FOUND when it is absent or outside the caller's scope — and wakes the outbox relay once the
 * transaction has committed.
 */
export async function onComplaint<T>(
  ctx: ComplaintsContext,
  action: string,
  complaintId: string,
  work: (manager: EntityManager, row: ComplaintRow, store: ComplaintStore) => Promise<T>,
): Promise<T> {
  const result = await ctx.deps.dataSource.transaction(async (manager) => {
    const store = new ComplaintStore(manager, ctx.auth.regionPath);
    const row = await store.lock(complaintId);
    if (!row) throw notFound('COMPLAINT.NOT_FOUND', `COMPLAINT.NOT_FOUND: no complaint ${complaintId} within your region scope (${action})`);
    return work(manager, row, store);
  });
  ctx.deps.onEventsRecorded();
  return result;
}
