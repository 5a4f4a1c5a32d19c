import { badInput, conflict, isUniqueViolation, requireInScope, requireRole, writeAudit } from '@huanjie/platform';
import { OrgUnitStore } from '../db/org-unit.store';
import type { OrgUnitRow } from '../db/rows';
import type { PersonnelContext } from '../deps';
import { planOrgUnit, type OrgUnitKind } from '../domain/org-unit.rules';

/** 新建组织单元: the parent is the unit its code names as parent, and must already exist. */
export async function createOrgUnit(ctx: PersonnelContext, input: { code: string; name: string; kind: OrgUnitKind }): Promise<OrgUnitRow> {
  requireRole(ctx.auth, ['ORG_ADMIN'], 'createOrgUnit');
  const plan = planOrgUnit(input);
  requireInScope(ctx.auth, plan.regionPath, `org unit ${plan.code}`);
  const { dataSource, newId } = ctx.deps;
  try {
    return await dataSource.transaction(async (manager) => {
      const store = new OrgUnitStore(manager, ctx.auth.regionPath);
      if (await store.byPathUnscoped(plan.regionPath)) {
        throw conflict('ORG_UNIT.CODE_UNIQUE', `an org unit with 行政区划代码 ${plan.code} already exists`);
      }
      let parentId: string | null = null;
      if (plan.parentPath !== '') {
        const parent = await store.byPathUnscoped(plan.parentPath);
        if (!parent) {
          throw badInput('ORG_UNIT.PARENT_EXISTS', `the parent unit of ${plan.code} (region ${plan.parentPath}) must be created first`);
        }
        parentId = parent.id;
      }
      const row: OrgUnitRow = {
        id: newId(),
        code: plan.code,
        name: plan.name,
        kind: plan.kind,
        parent_id: parentId,
        region_path: plan.regionPath,
        depth: plan.depth,
      };
      await store.insert(row);
      await writeAudit(manager, {
        actor: ctx.auth.userId,
        roles: ctx.auth.roles,
        action: 'createOrgUnit',
        entityType: 'OrgUnit',
        entityId: row.id,
        regionPath: row.region_path,
        requestId: ctx.requestId,
        before: null,
        after: { ...row },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('ORG_UNIT.CODE_UNIQUE', `an org unit with 行政区划代码 ${plan.code} already exists`);
    throw error;
  }
}
