import type { EntityManager } from 'typeorm';
import { conflict, notFound, writeAudit } from '@huanjie/platform';
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

/** The case as the client read it: its id and, for optimistic locking, the version it saw. */
export interface CaseRef {
  complaintId: string;
  /** The case's `version` when the client read it; omitted, the change applies to whatever is current. */
  expectedVersion?: number | null;
}

/**
 * Optimistic locking: the case must still be at the version the client read. Checked on the
 * locked row, so of clients that read the same version exactly one gets through; the others get
 * CONFLICT naming the current version, and read again before they decide.
 */
export function requireVersion(row: ComplaintRow, expectedVersion: number | null | undefined, action: string): void {
  if (expectedVersion === undefined || expectedVersion === null || expectedVersion === row.version) return;
  throw conflict(
    'COMPLAINT.VERSION_CONFLICT',
    `COMPLAINT.VERSION_CONFLICT: complaint ${row.id} changed since you read it (you read version ${expectedVersion}; it is at version ${row.version}); read it again before ${action}`,
  );
}

/**
 * Runs a command on one case: opens the transaction, locks the case (commands on it queue) —
 * NOT_FOUND when it is absent or outside the caller's scope, CONFLICT when it is no longer at the
 * version the client read — and wakes the outbox relay once the transaction has committed.
 */
export async function onComplaint<T>(
  ctx: ComplaintsContext,
  action: string,
  target: CaseRef,
  work: (manager: EntityManager, row: ComplaintRow, store: ComplaintStore) => Promise<T>,
): Promise<T> {
  const result = await ctx.deps.dataSource.transaction(async (manager) => {
    const store = new ComplaintStore(manager, ctx.auth.regionPath);
    const row = await store.lock(target.complaintId);
    if (!row) throw notFound('COMPLAINT.NOT_FOUND', `COMPLAINT.NOT_FOUND: no complaint ${target.complaintId} within your region scope (${action})`);
    requireVersion(row, target.expectedVersion, action);
    return work(manager, row, store);
  });
  ctx.deps.onEventsRecorded();
  return result;
}
