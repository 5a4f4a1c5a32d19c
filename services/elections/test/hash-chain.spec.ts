import { DomainError } from '@huanjie/platform';
import { appendRecord, canonicalJson, GENESIS_HASH, recordHash, verifyChain, type ChainRecord, type Json } from '../src/domain/hash-chain';

const contents: Json[] = [
  { type: 'TALLY_SHEET_ACCEPTED', boxId: 'box-1', ballotsReturned: 301, votes: { MEMBER: { wang: 200, li: 150 } } },
  { type: 'TALLY_SHEET_ACCEPTED', boxId: 'box-2', ballotsReturned: 200, votes: { MEMBER: { wang: 200, li: 150 } } },
  { type: 'RESULT_CERTIFIED', elected: ['wang', 'li'] },
];
const build = () => contents.reduce<ChainRecord[]>((chain, content) => appendRecord(chain, content), []);

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' }, e: undefined })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
  it('refuses what has no JSON form', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(DomainError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(DomainError);
  });
});

describe('hash chain', () => {
  it('links each record to the previous hash and verifies', () => {
    const chain = build();
    expect(chain.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(chain[2]?.hash).toBe(recordHash(chain[1]?.hash ?? '', contents[2] ?? null));
    expect(chain[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(chain)).toBeNull();
    expect(verifyChain([])).toBeNull();
  });

  it('does not depend on key order of the content', () => {
    const a = appendRecord([], { x: 1, y: 2 });
    const b = appendRecord([], { y: 2, x: 1 });
    expect(a[0]?.hash).toBe(b[0]?.hash);
  });

  it('names an edited record as the first broken link', () => {
    const chain = build();
    const edited = chain.map((r, i) => (i === 1 ? { ...r, content: { ...(r.content as Record<string, Json>), ballotsReturned: 210 } } : r));
    expect(verifyChain(edited)).toBe(1);
  });

  it('names the record after one whose hash was recomputed to hide an edit', () => {
    const chain = build();
    const content: Json = { type: 'TALLY_SHEET_ACCEPTED', boxId: 'box-1', ballotsReturned: 400, votes: {} };
    const forged = chain.map((r, i) => (i === 0 ? { ...r, content, hash: recordHash(GENESIS_HASH, content) } : r));
    expect(verifyChain(forged)).toBe(1);
  });

  it('names a removed or reordered record', () => {
    const chain = build();
    expect(verifyChain([chain[0], chain[2]] as ChainRecord[])).toBe(1);
    expect(verifyChain([chain[1], chain[0], chain[2]] as ChainRecord[])).toBe(0);
  });
});
