import DataLoader from 'dataloader';
import { byIdLoader, childrenLoader, pageVariant, readPage, type PageArgs } from '@huanjie/platform';
import type { OrgUnitStore } from '../db/org-unit.store';
import type { PersonStore } from '../db/person.store';
import type { OrgUnitRow, PersonRow } from '../db/rows';
import { ancestorPathsOf } from '../domain/org-unit.rules';

/**
 * Ancestors of many units in one statement, keyed by region path: every ancestor path is a prefix
 * of the unit's, so the paths are computed here and fetched with `region_path = ANY(...)`. Those
 * above the caller's scope are filtered out by the store. Fetched units also fill orgUnitById.
 */
function ancestorsLoader(orgUnits: OrgUnitStore, orgUnitById: DataLoader<string, OrgUnitRow | null>) {
  return new DataLoader<string, OrgUnitRow[]>(async (paths) => {
    const wanted = [...new Set(paths.flatMap(ancestorPathsOf))];
    const rows = wanted.length > 0 ? await orgUnits.byPaths(wanted) : [];
    const byPath = new Map(rows.map((r) => [r.region_path, r]));
    for (const row of rows) orgUnitById.prime(row.id, row);
    return paths.map((path) => ancestorPathsOf(path).flatMap((a) => byPath.get(a) ?? []));
  });
}

/**
 * OrgUnit.people pages go up to 200, twice the other lists: a village's register (its two
 * committees, reserve cadres and prospective candidates) is read whole on one screen, and 200 is
 * still a bounded page — one statement whatever the page size, see the federation test.
 */
export const PEOPLE_PAGE_MAX = 200;

export function createLoaders(orgUnits: OrgUnitStore, people: PersonStore) {
  const orgUnitById = byIdLoader<OrgUnitRow>((ids) => orgUnits.byIds(ids));
  return {
    orgUnitById,
    /** By 行政区划代码, for references by the second key (@key(fields: "code")): one statement per batch. */
    orgUnitByCode: new DataLoader<string, OrgUnitRow | null>(async (codes) => {
      const byCode = new Map((await orgUnits.byCodes(codes)).map((r) => [r.code.trim(), r]));
      return codes.map((code) => byCode.get(code) ?? null);
    }),
    ancestorsOf: ancestorsLoader(orgUnits, orgUnitById),
    personById: byIdLoader<PersonRow>((ids) => people.byIds(ids)),
    childrenOf: childrenLoader<PageArgs, OrgUnitRow>((ids, args) => orgUnits.childrenOf(ids, readPage(args)), (r) => r.parent_id ?? '', pageVariant),
    peopleOf: childrenLoader<PageArgs, PersonRow>((ids, args) => people.byOrgUnits(ids, readPage(args, PEOPLE_PAGE_MAX)), (r) => r.org_unit_id, pageVariant),
  };
}

export type PersonnelLoaders = ReturnType<typeof createLoaders>;
