import { badInput, isIsoDate, isUuid, requireRole, type Role } from '@huanjie/platform';
import { raiseResidentRequest, resolveResidentRequest } from '../commands/request.commands';
import { RequestStore, type ResidentRequestRow } from '../db/request.store';
import type { ComplaintsContext } from '../deps';
import { villageShare, type RaiseRequestInput, type ResolutionLevel } from '../domain/requests.rules';
import { regionOf } from './complaints.resolvers';

const SUMMARY_READERS: Role[] = ['ORG_ADMIN', 'CIVIL_AFFAIRS', 'TOWN_OFFICER', 'DISCIPLINE', 'AUDITOR'];

export const requestResolvers = {
  Query: {
    residentRequestSummary: async (_: unknown, args: { regionCode: string; from?: string | null; to?: string | null; cycleId?: string | null }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, SUMMARY_READERS, 'residentRequestSummary');
      const regionPath = regionOf(ctx, args.regionCode, 'REQUEST.REGION_CODE');
      for (const d of [args.from, args.to]) if (d != null && !isIsoDate(d)) throw badInput('REQUEST.DATE', 'from and to are dates (yyyy-mm-dd)');
      if (args.cycleId != null && !isUuid(args.cycleId)) throw badInput('REQUEST.CYCLE_ID', 'cycleId must be a UUID');
      const c = await new RequestStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).counts(regionPath, args.from ?? null, args.to ?? null, args.cycleId ?? null);
      return {
        total: c.total,
        resolved: c.resolved,
        open: c.total - c.resolved,
        resolvedInVillage: c.village,
        resolvedInTown: c.town,
        resolvedInDistrict: c.district,
        villageShare: villageShare({ resolved: c.resolved, resolvedInVillage: c.village }),
      };
    },
  },
  Mutation: {
    raiseResidentRequest: (_: unknown, args: { input: RaiseRequestInput }, ctx: ComplaintsContext) => raiseResidentRequest(ctx, args.input),
    resolveResidentRequest: (_: unknown, args: { input: { requestId: string; level: ResolutionLevel; resolvedOn?: string | null } }, ctx: ComplaintsContext) =>
      resolveResidentRequest(ctx, args.input),
  },
  ResidentRequest: {
    orgUnitId: (r: ResidentRequestRow) => r.org_unit_id,
    cycleId: (r: ResidentRequestRow) => r.cycle_id,
    raisedOn: (r: ResidentRequestRow) => r.raised_on,
    resolvedLevel: (r: ResidentRequestRow) => r.resolved_level,
    resolvedOn: (r: ResidentRequestRow) => r.resolved_on,
  },
};
