import { requireInScope, requireRole, writeAudit } from '@huanjie/platform';
import { ElectionCycleStore, type ElectionCycleRow } from '../db/election-cycle.store';
import type { ElectionsContext } from '../deps';
import { planElectionCycle, type NewElectionCycleInput } from '../domain/election-cycle.rules';

/** 部署换届周期: the organisation department declares a cycle for a region within its scope. */
export async function createElectionCycle(ctx: ElectionsContext, input: NewElectionCycleInput): Promise<ElectionCycleRow> {
  requireRole(ctx.auth, ['ORG_ADMIN'], 'createElectionCycle');
  const plan = planElectionCycle(input);
  requireInScope(ctx.auth, plan.regionPath, `region ${plan.regionCode}`);
  const { dataSource, newId } = ctx.deps;
  return dataSource.transaction(async (manager) => {
    const row = await new ElectionCycleStore(manager, ctx.auth.regionPath).insert({
      id: newId(),
      name: plan.name,
      region_code: plan.regionCode,
      region_path: plan.regionPath,
      term_years: plan.termYears,
      starts_on: plan.startsOn,
      ends_on: plan.endsOn,
    });
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'createElectionCycle',
      entityType: 'ElectionCycle',
      entityId: row.id,
      regionPath: row.region_path,
      requestId: ctx.requestId,
      before: null,
      after: { ...row },
    });
    return row;
  });
}
