import { notFound, regionPathFromCode, requireInScope, requireRole, shanghaiDate, type Role } from '@huanjie/platform';
import type { OrgUnitRow } from '../db/rows';
import { StructureReportStore, type ShortfallItem, type ShortfallTarget, type StructureCounts } from '../db/structure-report.store';
import type { PersonnelContext } from '../deps';
import {
  checkAsOf,
  checkUnitsPerList,
  SECRETARY_AGE_LIMIT,
  structureChange,
  termStructure,
  twoUpOneDown,
  UNIT_TARGETS,
} from '../domain/structure-report.rules';
import type { Gender } from '../domain/person.rules';

/**
 * Who reads the structure report: those who direct or oversee the 换届 — 组织部 (ORG_ADMIN), 民政
 * (CIVIL_AFFAIRS), 纪委监委 (DISCIPLINE), audit (AUDITOR, read-only) and the township or
 * sub-district (TOWN_OFFICER) for its own units. Not 联审 departments (REVIEWER), who see the
 * candidates they vet, nor training staff (TRAINER): the report profiles every cadre of a region.
 */
export const STRUCTURE_REPORT_ROLES: readonly Role[] = ['ORG_ADMIN', 'CIVIL_AFFAIRS', 'DISCIPLINE', 'AUDITOR', 'TOWN_OFFICER'];

interface SecretaryFlagView {
  orgUnit: OrgUnitRow;
  personId: string;
  gender: Gender;
  seatedOn: string;
  ageWhenSeated: number;
  ageLimit: number;
}

function shortfall(counts: StructureCounts, target: ShortfallTarget) {
  return counts.shortfalls.get(target) ?? { total: 0, items: [] as ShortfallItem[] };
}

function unitShortfall(counts: StructureCounts, target: Exclude<ShortfallTarget, 'SECRETARY_AGE'>, minimum: number) {
  const { total, items } = shortfall(counts, target);
  return { minimum, count: total, units: items.map((i) => i.unit) };
}

export const structureReportResolvers = {
  Query: {
    structureReport: async (
      _: unknown,
      args: { regionCode: string; asOf?: string | null; unitsPerList?: number | null },
      ctx: PersonnelContext,
    ) => {
      requireRole(ctx.auth, STRUCTURE_REPORT_ROLES, 'the structure report (班子结构分析)');
      const regionPath = regionPathFromCode(args.regionCode);
      requireInScope(ctx.auth, regionPath, `region ${args.regionCode}`);
      const asOf = checkAsOf(args.asOf, shanghaiDate(ctx.deps.clock()));
      const unitsPerList = checkUnitsPerList(args.unitsPerList);

      const counts = await new StructureReportStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).counts(
        regionPath,
        asOf,
        unitsPerList,
      );
      // A code that names no unit on record would report zeros that look like a real, empty region.
      if (regionPath !== '' && counts.region === null) {
        throw notFound('STRUCTURE_REPORT.REGION_EXISTS', `no org unit has the code ${args.regionCode}`);
      }
      const secretaries = shortfall(counts, 'SECRETARY_AGE');
      return {
        region: counts.region,
        regionCode: args.regionCode,
        asOf,
        unitCount: counts.unitCount,
        current: termStructure(counts.current),
        previous: termStructure(counts.previous),
        change: structureChange(counts.current, counts.previous),
        twoUpOneDown: twoUpOneDown(counts.current, counts.previous),
        compliance: {
          assessedUnitCount: counts.assessedUnitCount,
          withoutWoman: unitShortfall(counts, 'WOMEN', UNIT_TARGETS.women),
          withoutMemberAged35OrUnder: unitShortfall(counts, 'AGED_35_OR_UNDER', UNIT_TARGETS.aged35OrUnder),
          fewerThanTwoCollege: unitShortfall(counts, 'COLLEGE_OR_ABOVE', UNIT_TARGETS.collegeOrAbove),
          secretariesOverAgeRule: {
            count: secretaries.total,
            secretaries: secretaries.items.map((i): SecretaryFlagView => ({
              orgUnit: i.unit,
              personId: i.personId!,
              gender: i.gender!,
              seatedOn: i.seatedOn!,
              ageWhenSeated: i.age!,
              ageLimit: SECRETARY_AGE_LIMIT[i.gender!],
            })),
          },
        },
      };
    },
  },
  SecretaryAgeFlag: {
    // Through the scoped loader: one statement for every flagged secretary, null outside the caller's scope.
    person: (flag: SecretaryFlagView, _: unknown, ctx: PersonnelContext) => ctx.loaders.personById.load(flag.personId),
  },
};
