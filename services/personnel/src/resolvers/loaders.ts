import DataLoader from 'dataloader';
import { readPage, type PageArgs } from '@huanjie/platform';
import type { OrgUnitStore } from '../db/org-unit.store';
import type { PersonStore } from '../db/person.store';
import type { OrgUnitRow, PersonRow } from '../db/rows';
import { ancestorPathsOf } from '../domain/org-unit.rules';

/** A nested list asked for under many parents with the same arguments costs one statement. */
interface ListKey {
  parentId: string;
  args: PageArgs;
}

function groupByArgs(keys: readonly ListKey[]) {
  const groups = new Map<string, { args: PageArgs; parentIds: string[] }>();
  for (const key of keys) {
    const id = JSON.stringify([key.args.first ?? null, key.args.after ?? null]);
    const group = groups.get(id) ?? { args: key.args, parentIds: [] };
    group.parentIds.push(key.parentId);
    groups.set(id, group);
  }
  return groups;
}

function listLoader<T>(fetch: (parentIds: string[], args: PageArgs) => Promise<T[]>, parentOf: (row: T) => string) {
  return new DataLoader<ListKey, T[], string>(
    async (keys) => {
      const results = new Map<string, T[]>();
      for (const [argsId, group] of groupByArgs(keys)) {
        const rows = await fetch(group.parentIds, group.args);
        for (const row of rows) {
          const k = `${parentOf(row)}|${argsId}`;
          const list = results.get(k) ?? [];
          list.push(row);
          results.set(k, list);
        }
      }
      return keys.map((key) => results.get(`${key.parentId}|${JSON.stringify([key.args.first ?? null, key.args.after ?? null])}`) ?? []);
    },
    { cacheKeyFn: (key) => `${key.parentId}|${JSON.stringify([key.args.first ?? null, key.args.after ?? null])}` },
  );
}

function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await fetch(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

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
    ancestorsOf: ancestorsLoader(orgUnits, orgUnitById),
    personById: byIdLoader<PersonRow>((ids) => people.byIds(ids)),
    childrenOf: listLoader<OrgUnitRow>((ids, args) => orgUnits.childrenOf(ids, readPage(args)), (r) => r.parent_id ?? ''),
    peopleOf: listLoader<PersonRow>((ids, args) => people.byOrgUnits(ids, readPage(args, PEOPLE_PAGE_MAX)), (r) => r.org_unit_id),
  };
}

export type PersonnelLoaders = ReturnType<typeof createLoaders>;
