import { createHash } from 'node:crypto';
import { badInput } from '@huanjie/platform';

/**
 * The tamper-evident record of a count: every accepted tally sheet and the certification are
 * appended to a chain in which each record carries sha256(previous hash + canonical JSON of its
 * content). Editing any record's content, or removing or reordering records, breaks the link at
 * that record, and `verifyChain` names the first broken one.
 */

/** prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ChainRecord<T extends Json = Json> {
  /** position in the chain, from 0. */
  index: number;
  content: T;
  prevHash: string;
  hash: string;
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no
 * whitespace, arrays in their order, undefined properties left out as JSON.stringify does. Numbers
 * must be finite: NaN and Infinity have no JSON form and would silently become null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badInput('CHAIN.CANONICAL_JSON', `record content must hold only finite numbers, got ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw badInput('CHAIN.CANONICAL_JSON', `record content must be JSON (null, boolean, number, string, array, object), got ${typeof value}`);
}

/** sha256 hex of the previous hash followed by the canonical JSON of the content. */
export function recordHash(prevHash: string, content: Json): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/** The chain with `content` appended as its next record (the given chain is not changed). */
export function appendRecord<T extends Json>(chain: readonly ChainRecord<T>[], content: T): ChainRecord<T>[] {
  const last = chain[chain.length - 1];
  const prevHash = last ? last.hash : GENESIS_HASH;
  return [...chain, { index: chain.length, content, prevHash, hash: recordHash(prevHash, content) }];
}

/**
 * Index of the first record whose link is broken — its position is wrong, its prevHash is not the
 * hash of the record before it (or the genesis hash), or its hash is not that of its own content —
 * or null when the whole chain holds. An edited record is named by its own index: its stored hash
 * no longer matches its content.
 */
export function verifyChain(chain: readonly ChainRecord[]): number | null {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < chain.length; i++) {
    const record = chain[i];
    if (!record) return i;
    if (record.index !== i || record.prevHash !== prevHash || record.hash !== recordHash(record.prevHash, record.content)) return i;
    prevHash = record.hash;
  }
  return null;
}
