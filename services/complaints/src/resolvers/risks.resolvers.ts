import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { badInput, byIdLoader, childrenLoader, requireRole, shanghaiDate, type Role } from '@huanjie/platform';
import { recordRiskItem, updateRiskItem } from '../commands/risk.commands';
import { RiskStore, type RiskItemRow } from '../db/risk.store';
import type { ComplaintsContext } from '../deps';
import { reviewOverdue, RISK_LEVELS, type RiskItemInput, type RiskLevel, type RiskStatus } from '../domain/risk.rules';
import { regionOf } from './complaints.resolvers';

/** Who reads the risk register: those who keep it, and auditors. */
const RISK_READERS: Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'TOWN_OFFICER', 'AUDITOR'];

export function createRiskLoaders(db: EntityManager, scopePath: string) {
  const risks = new RiskStore(db, scopePath);
  return {
    riskById: byIdLoader<RiskItemRow>((ids) => risks.byIds(ids)),
    riskLevel: new DataLoader<string, RiskLevel | null>(async (unitIds) => {
      const levels = await risks.highestOpen(unitIds);
      return unitIds.map((id) => levels.get(id) ?? null);
    }),
    riskItems: childrenLoader<boolean, RiskItemRow>(
      (unitIds, includeResolved) => risks.ofUnits(unitIds, !includeResolved),
      (r) => r.org_unit_id,
      (includeResolved) => String(includeResolved),
    ),
  };
}

const iso = (d: Date) => new Date(d).toISOString();

export const riskResolvers = {
  Query: {
    riskOverview: async (_: unknown, args: { regionCode: string; first?: number | null; offset?: number | null }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, RISK_READERS, 'riskOverview');
      const regionPath = regionOf(ctx, args.regionCode, 'RISK.REGION_CODE');
      const first = args.first ?? 20;
      const offset = args.offset ?? 0;
      if (!Number.isInteger(first) || first < 0 || first > 100) throw badInput('PAGE.FIRST', `first must be between 0 and 100, got ${first}`);
      if (!Number.isInteger(offset) || offset < 0) throw badInput('PAGE.OFFSET', 'offset must be 0 or more');
      const rows = await new RiskStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).unitsByRisk(regionPath, shanghaiDate(ctx.deps.now()), first, offset);
      return {
        hasNextPage: rows.length > first,
        nodes: rows.slice(0, first).map((r) => ({
          orgUnitId: r.org_unit_id,
          highestLevel: RISK_LEVELS[r.highest - 1],
          openItems: r.open_items,
          highItems: r.high_items,
          reviewsOverdue: r.reviews_overdue,
        })),
      };
    },
  },
  Mutation: {
    recordRiskItem: (_: unknown, args: { input: RiskItemInput & { orgUnitId: string; regionCode: string } }, ctx: ComplaintsContext) => recordRiskItem(ctx, args.input),
    updateRiskItem: (_: unknown, args: { input: Partial<Omit<RiskItemInput, 'type'>> & { riskItemId: string; status?: RiskStatus | null } }, ctx: ComplaintsContext) =>
      updateRiskItem(ctx, args.input),
  },
  RiskItem: {
    __resolveReference: (ref: { id: string }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, RISK_READERS, 'RiskItem');
      return ctx.loaders.riskById.load(ref.id);
    },
    orgUnitId: (r: RiskItemRow) => r.org_unit_id,
    orgUnit: (r: RiskItemRow) => ({ __typename: 'OrgUnit', id: r.org_unit_id }),
    ownerPersonId: (r: RiskItemRow) => r.owner_person_id,
    owner: (r: RiskItemRow) => ({ __typename: 'Person', id: r.owner_person_id }),
    mitigationPlan: (r: RiskItemRow) => r.mitigation_plan,
    reviewOn: (r: RiskItemRow) => r.review_on,
    reviewOverdue: (r: RiskItemRow, _: unknown, ctx: ComplaintsContext) => reviewOverdue({ status: r.status, reviewOn: r.review_on }, shanghaiDate(ctx.deps.now())),
    createdAt: (r: RiskItemRow) => iso(r.created_at),
    updatedAt: (r: RiskItemRow) => iso(r.updated_at),
  },
  UnitRisk: {
    orgUnit: (u: { orgUnitId: string }) => ({ __typename: 'OrgUnit', id: u.orgUnitId }),
  },
  OrgUnit: {
    // The level is a fact every reader of the unit may see (the bench's town overview among them); the items need a keeper's role.
    riskLevel: (u: { id: string }, _: unknown, ctx: ComplaintsContext) => ctx.loaders.riskLevel.load(u.id),
    riskItems: (u: { id: string }, args: { includeResolved?: boolean | null }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, RISK_READERS, 'OrgUnit.riskItems');
      return ctx.loaders.riskItems.load({ parentId: u.id, variant: args.includeResolved ?? false });
    },
  },
};
