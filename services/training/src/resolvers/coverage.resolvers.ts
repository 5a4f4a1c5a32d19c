import { badInput, regionPathFromCode, requireInScope, shanghaiDate } from '@huanjie/platform';
import { CoverageReportStore, type UnitCoverageRow } from '../db/coverage-report.store';
import type { TrainingContext } from '../deps';
import { checkSince, defaultSince, percent, sumFigures, TARGET_PERCENT, unitsBehind, gapOf, type UnitFigures } from '../domain/coverage.rules';

const share = (done: number, total: number) => ({ total, done, percent: percent(done, total), targetPercent: TARGET_PERCENT });

function figuresOf(r: UnitCoverageRow): UnitFigures & { orgUnitId: string; regionPath: string } {
  return {
    orgUnitId: r.org_unit_id,
    regionPath: r.region_path,
    secretaries: r.secretaries,
    secretariesTrained: r.secretaries_trained,
    reserves: r.reserves,
    reservesTrained: r.reserves_trained,
    newMembers: r.new_members,
    newMembersOnboarded: r.new_members_onboarded,
    checklists: r.checklists,
    checklistsCompleted: r.checklists_completed,
  };
}

function sharesOf(f: UnitFigures) {
  return {
    secretariesTrained: share(f.secretariesTrained, f.secretaries),
    reservesTrained: share(f.reservesTrained, f.reserves),
    newMembersOnboarded: share(f.newMembersOnboarded, f.newMembers),
    checklistsCompleted: share(f.checklistsCompleted, f.checklists),
  };
}

export const coverageResolvers = {
  Query: {
    trainingCoverageReport: async (_: unknown, args: { regionCode: string; since?: string | null; behindFirst?: number | null }, ctx: TrainingContext) => {
      const path = regionPathFromCode(args.regionCode);
      requireInScope(ctx.auth, path, `region ${args.regionCode}`);
      const today = shanghaiDate(ctx.deps.now());
      const since = args.since ?? defaultSince(today);
      checkSince(since, today);
      const first = args.behindFirst ?? 50;
      if (!Number.isInteger(first) || first < 0 || first > 500) throw badInput('COVERAGE.BEHIND_FIRST', `COVERAGE.BEHIND_FIRST: behindFirst must be 0–500, got ${first}`);
      const store = new CoverageReportStore(ctx.deps.dataSource.manager, ctx.auth.regionPath);
      const [units, participants] = await Promise.all([store.byUnit(path, since), store.participants(path, since)]);
      const figures = units.map(figuresOf);
      const behind = unitsBehind(figures);
      return {
        regionCode: args.regionCode,
        since,
        today,
        ...sharesOf(sumFigures(figures)),
        participantsByCourseType: participants,
        unitsBehindCount: behind.length,
        unitsBehind: behind.slice(0, first).map((u) => ({
          orgUnit: { __typename: 'OrgUnit', id: u.orgUnitId },
          orgUnitId: u.orgUnitId,
          regionPath: u.regionPath,
          missing: gapOf(u),
          ...sharesOf(u),
        })),
      };
    },
  },
};
