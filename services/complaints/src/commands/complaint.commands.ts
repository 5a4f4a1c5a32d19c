import { requireInScope, requireRole, writeAudit, type Role } from '@huanjie/platform';
import { ComplaintStore, type ComplaintRow } from '../db/complaint.store';
import type { ComplaintsContext } from '../deps';
import { planComplaint, type ReceiveComplaintInput } from '../domain/complaint.rules';

/** Who may log a complaint as received: the discipline commission, the organisation department, township officers. */
export const RECEIVERS: Role[] = ['DISCIPLINE', 'ORG_ADMIN', 'TOWN_OFFICER'];

/**
 * The case as the audit log keeps it: everything but the summary, which may name people and
 * belongs in the case file only (the audit log is read more widely); its length shows it was there.
 */
function auditView(row: ComplaintRow) {
  const { summary, ...rest } = row;
  return { ...rest, summaryChars: Array.from(summary).length };
}

/** 受理信访举报: record a complaint about an org unit (and perhaps a person in it), audited. */
export async function receiveComplaint(ctx: ComplaintsContext, input: ReceiveComplaintInput): Promise<ComplaintRow> {
  requireRole(ctx.auth, RECEIVERS, 'receiveComplaint');
  const plan = planComplaint(input);
  requireInScope(ctx.auth, plan.regionPath, `org unit ${input.regionCode}`);
  const { dataSource, clock, newId } = ctx.deps;
  return dataSource.transaction(async (manager) => {
    const row: ComplaintRow = {
      id: newId(),
      channel: plan.channel,
      category: plan.category,
      status: 'RECEIVED',
      received_at: clock(),
      summary: plan.summary,
      org_unit_id: plan.orgUnitId,
      region_path: plan.regionPath,
      subject_person_id: plan.subjectPersonId,
    };
    await new ComplaintStore(manager, ctx.auth.regionPath).insert(row);
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      action: 'receiveComplaint',
      entityType: 'Complaint',
      entityId: row.id,
      regionPath: row.region_path,
      requestId: ctx.requestId,
      before: null,
      after: auditView(row),
    });
    ctx.log.info({ complaintId: row.id, category: row.category, channel: row.channel }, 'complaint received');
    return row;
  });
}
