import DataLoader from 'dataloader';
import { groupedLoader } from '@huanjie/platform';

/** The platform's: lists under many keys from one fetch. */
export { groupedLoader };

/** One row per key (or null), N keys, one fetch. */
export function singleLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const map = new Map<string, T>();
    for (const row of await fetch(keys)) if (!map.has(keyOf(row))) map.set(keyOf(row), row);
    return keys.map((k) => map.get(k) ?? null);
  });
}

export const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
export const personRef = (id: string) => ({ __typename: 'Person', id });
