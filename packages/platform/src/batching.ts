import DataLoader from 'dataloader';
import type { PageArgs } from './pagination';

/**
 * Entities by id, batched: N lookups in one request cost one call of `fetch` (one SQL statement).
 * Ids the fetch does not return (absent, or outside the caller's scope) resolve to null.
 */
export function byIdLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const byId = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** A list under one parent, asked for with some arguments (a page, a flag). */
export interface ChildrenKey<V> {
  parentId: string;
  variant: V;
}

/**
 * Lists under many parents cost one `fetch` per distinct set of arguments, however many parents
 * there are: parents asking with the same arguments are collected, fetched together, and each
 * gets back the rows whose `parentOf` names it.
 */
export function childrenLoader<V, T>(
  fetch: (parentIds: string[], variant: V) => Promise<T[]>,
  parentOf: (row: T) => string,
  variantId: (variant: V) => string,
) {
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

/** The variant id of a Relay page: lists asked for with the same `first`/`after` batch together. */
export const pageVariant = (args: PageArgs) => JSON.stringify([args.first ?? null, args.after ?? null]);

/**
 * Lists under many keys from one fetch: N keys cost one call of `fetch` (one SQL statement); each
 * key gets back the rows `keyOf` names it with, in the order the statement returned them.
 */
export function groupedLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(keys)) {
      const list = groups.get(keyOf(row)) ?? [];
      list.push(row);
      groups.set(keyOf(row), list);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}
