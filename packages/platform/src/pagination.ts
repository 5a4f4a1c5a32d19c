import { badInput } from './errors';

/** Relay connection arguments. `first` is bounded so no list is unbounded. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  limit: number;
  /** The decoded cursor: the sort key of the last row already seen. */
  after: string | null;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw badInput('PAGE.CURSOR', 'the `after` cursor is not one this service issued');
  return key;
}

export function readPage(args: PageArgs, max = MAX_PAGE_SIZE): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw badInput('PAGE.FIRST', `first must be between 0 and ${max}, got ${first}`);
  }
  return { limit: first, after: args.after ? decodeCursor(args.after) : null };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

/** Builds a connection from rows fetched with LIMIT page.limit + 1 (the extra row tells hasNextPage). */
export function toConnection<T>(rows: T[], page: Page, keyOf: (row: T) => string, totalCount?: number): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.limit, endCursor: edges.at(-1)?.cursor ?? null },
    ...(totalCount === undefined ? {} : { totalCount }),
  };
}
