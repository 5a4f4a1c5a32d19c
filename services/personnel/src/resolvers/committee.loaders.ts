import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { readPage, type PageArgs } from '@huanjie/platform';
import type { CommitteeRow, PositionRow, TermRow } from '../db/committee.rows';
import { CommitteeStore } from '../db/committee.store';
import { PositionStore } from '../db/position.store';
import { TermStore } from '../db/term.store';

/** A list under a parent, asked for with some arguments (a page, activeOnly). */
interface ChildrenKey<V> {
  parentId: string;
  variant: V;
}

/**
 * Lists under many parents cost one statement per distinct set of arguments, however many
 * parents there are: the parents are collected and fetched together, then handed back by parent.
 */
function childrenLoader<V, T>(fetch: (parentIds: string[], variant: V) => Promise<T[]>, parentOf: (row: T) => string, variantId: (v: V) => string) {
  const keyOf = (key: ChildrenKey<V>) => `${key.parentId}|${variantId(key.variant)}`;
  return new DataLoader<ChildrenKey<V>, T[], string>(
    async (keys) => {
      const groups = new Map<string, { variant: V; parentIds: string[] }>();
      for (const key of keys) {
        const id = variantId(key.variant);
        const group = groups.get(id) ?? { variant: key.variant, parentIds: [] };
        group.parentIds.push(key.parentId);
        groups.set(id, group);
      }
      const results = new Map<string, T[]>();
      for (const [id, group] of groups) {
        for (const row of await fetch(group.parentIds, group.variant)) {
          const k = `${parentOf(row)}|${id}`;
          const list = results.get(k) ?? [];
          list.push(row);
          results.set(k, list);
        }
      }
      return keys.map((key) => results.get(keyOf(key)) ?? []);
    },
    { cacheKeyFn: keyOf },
  );
}

function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const byId = new Map((await fetch(ids)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

const pageId = (args: PageArgs) => JSON.stringify([args.first ?? null, args.after ?? null]);
const flagId = (flag: boolean) => String(flag);

/** Committees, terms and seats, read within the caller's scope, one statement per level of a query. */
export function createCommitteeLoaders(db: EntityManager, scopePath: string) {
  const committees = new CommitteeStore(db, scopePath);
  const terms = new TermStore(db, scopePath);
  const positions = new PositionStore(db, scopePath);
  return {
    committees,
    committeeById: byIdLoader<CommitteeRow>((ids) => committees.byIds(ids)),
    termById: byIdLoader<TermRow>((ids) => terms.byIds(ids)),
    positionById: byIdLoader<PositionRow>((ids) => positions.byIds(ids)),
    committeesOfUnit: childrenLoader<null, CommitteeRow>((ids) => committees.ofOrgUnits(ids), (r) => r.org_unit_id, () => ''),
    currentTermOf: childrenLoader<null, TermRow>((ids) => terms.currentOf(ids), (r) => r.committee_id, () => ''),
    termsOf: childrenLoader<PageArgs, TermRow>((ids, args) => terms.ofCommittees(ids, readPage(args)), (r) => r.committee_id, pageId),
    positionsOfTerm: childrenLoader<boolean, PositionRow>((ids, active) => positions.of('term_id', ids, active), (r) => r.term_id, flagId),
    positionsOfPerson: childrenLoader<boolean, PositionRow>((ids, active) => positions.of('person_id', ids, active), (r) => r.person_id, flagId),
  };
}

export type CommitteeLoaders = ReturnType<typeof createCommitteeLoaders>;
