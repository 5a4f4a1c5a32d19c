import { badInput, DomainError, notFound, regionPathFromCode, requireInScope, requireRole, shanghaiDate, writeAudit, type Role } from '@huanjie/platform';
import { RequestStore, type ResidentRequestRow } from '../db/request.store';
import type { ComplaintsContext } from '../deps';
import { checkRequest, checkResolution, type RaiseRequestInput, type ResolutionLevel } from '../domain/requests.rules';

/** Who records residents' requests: township officers, the organisation department, civil affairs. */
export const REQUEST_KEEPERS: Role[] = ['TOWN_OFFICER', 'ORG_ADMIN', 'CIVIL_AFFAIRS'];

/** 群众诉求登记: what was asked, at which unit, on which day (no resident's identity). */
export async function raiseResidentRequest(ctx: ComplaintsContext, input: RaiseRequestInput): Promise<ResidentRequestRow> {
  requireRole(ctx.auth, REQUEST_KEEPERS, 'raiseResidentRequest');
  const now = ctx.deps.now();
  const plan = checkRequest(input, shanghaiDate(now));
  let regionPath: string;
  try {
    regionPath = regionPathFromCode(input.regionCode);
  } catch (error) {
    if (error instanceof DomainError) throw badInput('REQUEST.REGION_CODE', `regionCode must be the 12-digit 行政区划代码 of the unit: ${error.message}`);
    throw error;
  }
  if (regionPath === '') throw badInput('REQUEST.REGION_CODE', 'regionCode must name the village or community');
  requireInScope(ctx.auth, regionPath, `org unit ${input.regionCode}`);
  const row: ResidentRequestRow = {
    id: ctx.deps.newId(),
    org_unit_id: plan.orgUnitId,
    region_path: regionPath,
    cycle_id: plan.cycleId,
    category: plan.category,
    summary: plan.summary,
    raised_on: plan.raisedOn,
    resolved_level: null,
    resolved_on: null,
    created_at: now,
    created_by: ctx.auth.userId,
  };
  await ctx.deps.dataSource.transaction(async (manager) => {
    await new RequestStore(manager, ctx.auth.regionPath).insert(row);
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'raiseResidentRequest',
      entityType: 'ResidentRequest',
      entityId: row.id,
      regionPath,
      requestId: ctx.requestId,
      before: null,
      after: { orgUnitId: row.org_unit_id, category: row.category, raisedOn: row.raised_on, cycleId: row.cycle_id },
    });
  });
  return row;
}

/** 诉求办结: resolved on a day, at a level (VILLAGE 居村, TOWN 街镇, DISTRICT 区级). */
export async function resolveResidentRequest(ctx: ComplaintsContext, input: { requestId: string; level: ResolutionLevel; resolvedOn?: string | null }): Promise<ResidentRequestRow> {
  requireRole(ctx.auth, REQUEST_KEEPERS, 'resolveResidentRequest');
  return ctx.deps.dataSource.transaction(async (manager) => {
    const store = new RequestStore(manager, ctx.auth.regionPath);
    const request = await store.lock(input.requestId);
    if (!request) throw notFound('REQUEST.NOT_FOUND', `REQUEST.NOT_FOUND: no request ${input.requestId} within your region scope`);
    const today = shanghaiDate(ctx.deps.now());
    const on = input.resolvedOn ?? today;
    checkResolution({ resolvedOn: request.resolved_on, raisedOn: request.raised_on }, input.level, on, today);
    const updated = await store.resolve(request.id, input.level, on);
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'resolveResidentRequest',
      entityType: 'ResidentRequest',
      entityId: request.id,
      regionPath: request.region_path,
      requestId: ctx.requestId,
      before: { resolvedLevel: null },
      after: { resolvedLevel: updated.resolved_level, resolvedOn: updated.resolved_on },
    });
    return updated;
  });
}
