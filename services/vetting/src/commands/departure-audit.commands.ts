import { badInput, conflict, notFound, requireRole, shanghaiDate } from '@huanjie/platform';
import { SafeguardStore, type AuditRow, type FindingRow } from '../db/safeguards.store';
import type { VettingContext } from '../deps';
import { checkDate, checkFinding, resolveFinding, type FindingStatus } from '../domain/safeguards.rules';

import { command, regionOf, requireAuditWriter, uuidOf } from './safeguard-kit';

/** 离任审计 opened by hand (those of ended seats open from PositionEnded). */
export async function openDepartureAudit(
  ctx: VettingContext,
  input: { personId: string; orgUnitId: string; orgUnitCode: string; role?: string | null; openedOn?: string | null },
): Promise<AuditRow> {
  requireAuditWriter(ctx.auth, 'openDepartureAudit');
  uuidOf('AUDIT.PERSON', 'personId', input.personId);
  uuidOf('AUDIT.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  const openedOn = input.openedOn ?? shanghaiDate(ctx.deps.now());
  checkDate('AUDIT.OPENED_ON', 'openedOn', openedOn);
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the audit');
  return command(ctx, 'openDepartureAudit', 'DepartureAudit', async (_, store) => {
    const row = (await store.insertAudit({
      id: ctx.deps.newId(),
      person_id: input.personId,
      org_unit_id: input.orgUnitId,
      region_path: region,
      position_id: null,
      role: input.role ?? null,
      origin: 'MANUAL',
      end_reason: null,
      opened_on: openedOn,
      opened_by: ctx.auth.userId,
    }))!;
    return { row, people: [] };
  });
}

async function lockedAudit(store: SafeguardStore, auditId: string): Promise<AuditRow> {
  const [audit] = await store.auditsByIds([auditId], true);
  if (!audit) throw notFound('AUDIT.NOT_FOUND', `AUDIT.NOT_FOUND: no departure audit ${auditId} within your region scope`);
  return audit;
}

/** 审计发现: a finding of an open audit, to be put right by its deadline (整改). */
export async function addAuditFinding(
  ctx: VettingContext,
  input: { auditId: string; description: string; amount?: number | null; deadline: string },
): Promise<FindingRow> {
  requireAuditWriter(ctx.auth, 'addAuditFinding');
  const amount = input.amount ?? null;
  checkFinding({ description: input.description, amount, deadline: input.deadline });
  return command(ctx, 'addAuditFinding', 'AuditFinding', async (_, store) => {
    const audit = await lockedAudit(store, input.auditId);
    if (audit.status !== 'OPEN')
      throw conflict('AUDIT.CLOSED', `AUDIT.CLOSED: the departure audit ${audit.id} is closed; findings are added while it is open`);
    const row = await store.insertFinding({
      id: ctx.deps.newId(),
      audit_id: audit.id,
      person_id: audit.person_id,
      region_path: audit.region_path,
      description: input.description.trim(),
      amount: amount === null ? null : amount.toFixed(2),
      deadline: input.deadline,
      recorded_by: ctx.auth.userId,
      recorded_at: ctx.deps.now(),
    });
    return { row, people: [row.person_id] };
  });
}

/** 整改到位 (RECTIFIED) or 免于整改 (WAIVED, ORG_ADMIN only): the finding stops blocking. */
export async function resolveAuditFinding(
  ctx: VettingContext,
  input: { findingId: string; status: FindingStatus; note: string },
): Promise<FindingRow> {
  requireAuditWriter(ctx.auth, 'resolveAuditFinding');
  if (input.status === 'WAIVED') requireRole(ctx.auth, ['ORG_ADMIN'], 'waiving an audit finding (免于整改)');
  const note = input.note.trim();
  if (note.length < 1 || Array.from(note).length > 500)
    throw badInput('AUDIT.RESOLUTION_NOTE', 'AUDIT.RESOLUTION_NOTE: note must be 1–500 characters');
  return command(ctx, 'resolveAuditFinding', 'AuditFinding', async (_, store) => {
    const finding = await store.findingById(input.findingId, true);
    if (!finding)
      throw notFound('AUDIT.FINDING_NOT_FOUND', `AUDIT.FINDING_NOT_FOUND: no audit finding ${input.findingId} within your region scope`);
    const status = resolveFinding(finding.status, input.status);
    const row = await store.resolveFinding(finding.id, status, shanghaiDate(ctx.deps.now()), note);
    return { row, before: { status: finding.status }, people: [row.person_id] };
  });
}

/** 审计结束: the audit is closed with its conclusion; findings still open keep blocking until resolved. */
export async function closeDepartureAudit(ctx: VettingContext, input: { auditId: string; conclusion: string }): Promise<AuditRow> {
  requireAuditWriter(ctx.auth, 'closeDepartureAudit');
  const conclusion = input.conclusion.trim();
  if (conclusion.length < 1 || Array.from(conclusion).length > 2000)
    throw badInput('AUDIT.CONCLUSION', 'AUDIT.CONCLUSION: conclusion must be 1–2000 characters');
  return command(ctx, 'closeDepartureAudit', 'DepartureAudit', async (_, store) => {
    const audit = await lockedAudit(store, input.auditId);
    if (audit.status !== 'OPEN') throw conflict('AUDIT.CLOSED', `AUDIT.CLOSED: the departure audit ${audit.id} is already closed`);
    const row = await store.closeAudit(audit.id, ctx.auth.userId, ctx.deps.now(), conclusion);
    return { row, before: { status: audit.status }, people: [] };
  });
}
