import { createHash, randomInt } from 'node:crypto';
import { ComplaintReceived, recordEvent } from '@huanjie/events';
import { badInput, DomainError, requireInScope, requireRole, type Role } from '@huanjie/platform';
import { ComplaintStore, type ComplaintRow } from '../db/complaint.store';
import type { ComplaintsContext } from '../deps';
import { formatReceiptCode, normaliseReceiptCode, planComplaint, RECEIPT_ALPHABET, RECEIPT_LENGTH, type ReceiveComplaintInput } from '../domain/complaint.rules';
import { firstResponseDue, policyFor } from '../domain/deadlines.rules';
import { actorOf, auditCase, auditView } from './command-kit';

/** Who may log a complaint as received: the discipline commission, the organisation department, township officers. */
export const RECEIVERS: Role[] = ['DISCIPLINE', 'ORG_ADMIN', 'TOWN_OFFICER'];

/** A case as just received: the row and the receipt code, which exists only in this response. */
export type ReceivedComplaint = ComplaintRow & { receiptCode: string };

export const receiptHash = (normalised: string) => createHash('sha256').update(`huanjie.complaint.receipt:${normalised}`).digest('hex');

function newReceiptCode(): string {
  let symbols = '';
  for (let i = 0; i < RECEIPT_LENGTH; i++) symbols += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return symbols;
}

/**
 * 受理信访举报: registers a complaint from any channel with its deadlines (ComplaintReceived),
 * the complainant encrypted (or none: anonymous), and a receipt code returned once. Audited
 * without the description or the complainant.
 */
export async function receiveComplaint(ctx: ComplaintsContext, input: ReceiveComplaintInput): Promise<ReceivedComplaint> {
  requireRole(ctx.auth, RECEIVERS, 'receiveComplaint');
  const plan = planComplaint(input);
  requireInScope(ctx.auth, plan.regionPath, `org unit ${input.regionCode}`);
  const { dataSource, now, newId, pii, deadlinePolicies } = ctx.deps;
  if (plan.complainant && !pii) {
    throw badInput('COMPLAINT.PII_UNAVAILABLE', 'COMPLAINT.PII_UNAVAILABLE: this service has no PII keys configured and cannot keep a named complainant; take the complaint anonymously');
  }
  const receipt = newReceiptCode();
  const receivedAt = now();
  const policy = policyFor(plan.regionPath, deadlinePolicies);
  const row: ComplaintRow = {
    id: newId(),
    channel: plan.channel,
    category: plan.category,
    severity: plan.severity,
    status: 'RECEIVED',
    received_at: receivedAt,
    summary: plan.summary,
    org_unit_id: plan.orgUnitId,
    region_path: plan.regionPath,
    election_id: plan.electionId,
    subject_person_ids: plan.subjectPersonIds,
    election_period: plan.electionPeriod,
    attachments: plan.attachments,
    anonymous: plan.complainant === null,
    complainant_enc: plan.complainant ? pii!.encrypt(JSON.stringify(plan.complainant)) : null,
    receipt_hash: receiptHash(receipt),
    level: 'TOWN',
    policy_id: policy.id,
    first_response_due: firstResponseDue(receivedAt, plan.electionPeriod, policy),
    responded_at: null,
    accepted_at: null,
    handle_due: null,
    extensions: 0,
    assigned_org_unit_id: null,
    investigator: null,
    merged_into: null,
    finding_at: null,
    finding_by: null,
    resolution: null,
    closed_at: null,
    closed_by: null,
    overdue_ever: false,
    updated_at: receivedAt,
    version: 1,
  };
  const actor = actorOf(ctx);
  await dataSource.transaction(async (manager) => {
    const store = new ComplaintStore(manager, ctx.auth.regionPath);
    await store.insert(row);
    await store.addHistory([{ complaint_id: row.id, at: receivedAt, actor: actor.userId, event: 'RECEIVE', from_status: null, to_status: 'RECEIVED', reason: null, detail: { channel: row.channel } }]);
    await recordEvent(manager, ComplaintReceived, {
      subject: row.id,
      time: receivedAt,
      data: {
        complaintId: row.id,
        orgUnitId: row.org_unit_id,
        regionPath: row.region_path,
        category: row.category,
        channel: row.channel,
        severity: row.severity,
        electionId: row.election_id,
        subjectPersonIds: row.subject_person_ids,
        electionPeriod: row.election_period,
        receivedAt: receivedAt.toISOString(),
        firstResponseDue: row.first_response_due.toISOString(),
      },
    });
    await auditCase(manager, actor, 'receiveComplaint', row, null, auditView(row));
  });
  ctx.deps.onEventsRecorded();
  ctx.log.info({ complaintId: row.id, category: row.category, channel: row.channel, electionPeriod: row.election_period }, 'complaint received');
  return { ...row, receiptCode: formatReceiptCode(receipt) };
}

export interface ReceiptStatus {
  status: ComplaintRow['status'];
  receivedAt: Date;
  firstResponseDue: Date;
  respondedAt: Date | null;
  handleDue: Date | null;
  findingAt: Date | null;
  closedAt: Date | null;
}

/**
 * 查询办理进度 by receipt code: the state and dates only (nothing of the content, the people, the
 * unit or the finding's reasons). Any signed-in caller (the public reporting site's service
 * account) may ask, whatever its region: the complainant knows only the code. A caller with too
 * many failed look-ups in the window is refused (FORBIDDEN COMPLAINT.RECEIPT_ATTEMPTS).
 */
export async function complaintStatus(ctx: ComplaintsContext, typed: string): Promise<ReceiptStatus | null> {
  const limiter = ctx.deps.receiptLookups;
  const key = ctx.auth.userId;
  if (!limiter.allowed(key)) {
    throw new DomainError(
      'FORBIDDEN',
      'COMPLAINT.RECEIPT_ATTEMPTS',
      `COMPLAINT.RECEIPT_ATTEMPTS: too many unknown receipt codes; try again in ${Math.ceil(limiter.windowMs / 60_000)} minutes`,
    );
  }
  const code = normaliseReceiptCode(typed);
  const row = code === null ? null : await new ComplaintStore(ctx.deps.dataSource.manager, '').byReceiptHash(receiptHash(code));
  if (!row) {
    limiter.fail(key);
    ctx.log.warn({ user: key }, 'unknown receipt code');
    return null;
  }
  return {
    status: row.status,
    receivedAt: row.received_at,
    firstResponseDue: row.first_response_due,
    respondedAt: row.responded_at,
    handleDue: row.handle_due,
    findingAt: row.finding_at,
    closedAt: row.closed_at,
  };
}
