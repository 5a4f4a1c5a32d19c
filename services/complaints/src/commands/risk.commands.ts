import { badInput, DomainError, isUuid, notFound, regionPathFromCode, requireInScope, requireRole, shanghaiDate, writeAudit, type Role } from '@huanjie/platform';
import { RiskStore, type RiskItemRow } from '../db/risk.store';
import type { ComplaintsContext } from '../deps';
import { checkRiskItem, RISK_STATUSES, type RiskItemInput, type RiskStatus } from '../domain/risk.rules';

/** Who keeps the risk register: the organisation department, the discipline commission, township officers. */
export const RISK_KEEPERS: Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'TOWN_OFFICER'];

const view = (r: RiskItemRow) => ({ type: r.type, level: r.level, status: r.status, ownerPersonId: r.owner_person_id, reviewOn: r.review_on, orgUnitId: r.org_unit_id });

function regionOf(code: string): string {
  try {
    const path = regionPathFromCode(code);
    if (path === '') throw badInput('RISK.REGION_CODE', 'regionCode must name the village or community, not the nation');
    return path;
  } catch (error) {
    if (error instanceof DomainError && error.rule === 'RISK.REGION_CODE') throw error;
    if (error instanceof DomainError) throw badInput('RISK.REGION_CODE', `regionCode must be the 12-digit 行政区划代码 of the unit: ${error.message}`);
    throw error;
  }
}

/** 登记风险点: a risk item of a unit with its owner, plan and review date (一村一策). */
export async function recordRiskItem(ctx: ComplaintsContext, input: RiskItemInput & { orgUnitId: string; regionCode: string }): Promise<RiskItemRow> {
  requireRole(ctx.auth, RISK_KEEPERS, 'recordRiskItem');
  const now = ctx.deps.now();
  const plan = checkRiskItem(input, shanghaiDate(now));
  const regionPath = regionOf(input.regionCode);
  requireInScope(ctx.auth, regionPath, `org unit ${input.regionCode}`);
  if (!isUuid(input.orgUnitId)) throw badInput('RISK.ORG_UNIT_ID', 'orgUnitId must be the id (a UUID) of the village or community');
  const row: RiskItemRow = {
    id: ctx.deps.newId(),
    org_unit_id: input.orgUnitId.toLowerCase(),
    region_path: regionPath,
    type: plan.type,
    level: plan.level,
    title: plan.title,
    owner_person_id: plan.ownerPersonId,
    mitigation_plan: plan.mitigationPlan,
    status: 'OPEN',
    review_on: plan.reviewOn,
    created_at: now,
    created_by: ctx.auth.userId,
    updated_at: now,
    resolved_at: null,
  };
  await ctx.deps.dataSource.transaction(async (manager) => {
    await new RiskStore(manager, ctx.auth.regionPath).insert(row);
    await writeAudit(manager, { actor: ctx.auth.userId, roles: ctx.auth.roles, action: 'recordRiskItem', entityType: 'RiskItem', entityId: row.id, regionPath, requestId: ctx.requestId, before: null, after: view(row) });
  });
  return row;
}

/** 更新风险点: level, plan, owner, review date or status (OPEN → MITIGATING → RESOLVED; a resolved item can be reopened). */
export async function updateRiskItem(
  ctx: ComplaintsContext,
  input: Partial<Omit<RiskItemInput, 'type'>> & { riskItemId: string; status?: RiskStatus | null },
): Promise<RiskItemRow> {
  requireRole(ctx.auth, RISK_KEEPERS, 'updateRiskItem');
  return ctx.deps.dataSource.transaction(async (manager) => {
    const store = new RiskStore(manager, ctx.auth.regionPath);
    const item = await store.lock(input.riskItemId);
    if (!item) throw notFound('RISK.NOT_FOUND', `RISK.NOT_FOUND: no risk item ${input.riskItemId} within your region scope`);
    const now = ctx.deps.now();
    const plan = checkRiskItem(
      {
        type: item.type,
        level: input.level ?? item.level,
        title: input.title ?? item.title,
        ownerPersonId: input.ownerPersonId ?? item.owner_person_id,
        mitigationPlan: input.mitigationPlan ?? item.mitigation_plan,
        // An unchanged past review date stays acceptable; a new one must not lie in the past.
        reviewOn: input.reviewOn ?? (item.review_on < shanghaiDate(now) ? shanghaiDate(now) : item.review_on),
      },
      shanghaiDate(now),
    );
    const status = input.status ?? item.status;
    if (!(RISK_STATUSES as readonly string[]).includes(status)) throw badInput('RISK.STATUS', `status must be one of ${RISK_STATUSES.join(', ')}`);
    const updated = await store.update(item.id, {
      level: plan.level,
      title: plan.title,
      owner_person_id: plan.ownerPersonId,
      mitigation_plan: plan.mitigationPlan,
      review_on: input.reviewOn ? plan.reviewOn : item.review_on,
      status,
      updated_at: now,
      resolved_at: status === 'RESOLVED' ? (item.resolved_at ?? now) : null,
    });
    await writeAudit(manager, { actor: ctx.auth.userId, roles: ctx.auth.roles, action: 'updateRiskItem', entityType: 'RiskItem', entityId: item.id, regionPath: item.region_path, requestId: ctx.requestId, before: view(item), after: view(updated) });
    return updated;
  });
}
