import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { aliasLimitRule, createRateLimiter, depthLimitRule, operationCost, parseOperationManifest, rootFieldLimitRule, sha256Hex } from '../src';
import { buildOperationManifest } from '../scripts/operation-documents';

const schema = buildSchema(`
  type Unit { name: String, parent: Unit }
  type Query { unit: Unit }
`);
const errorsOf = (query: string, rule: ReturnType<typeof depthLimitRule>) => validate(schema, parse(query), [rule]).map((e) => e.message);

describe('depth limit', () => {
  it('accepts a document at the limit and refuses one past it, following fragments', () => {
    expect(errorsOf('{ unit { parent { name } } }', depthLimitRule(3))).toEqual([]);
    expect(errorsOf('{ unit { parent { parent { name } } } }', depthLimitRule(3))).toEqual(['query depth 4 exceeds the limit of 3']);
    expect(errorsOf('{ unit { ...Deep } } fragment Deep on Unit { parent { parent { name } } }', depthLimitRule(3))).toEqual([
      'query depth 4 exceeds the limit of 3',
    ]);
  });

  it('survives a fragment cycle without looping', () => {
    // graphql's own NoFragmentCycles rule reports the cycle; the depth rule must simply terminate.
    expect(errorsOf('{ unit { ...A } } fragment A on Unit { parent { ...A } }', depthLimitRule(10))).toEqual([]);
  });
});

describe('alias limit', () => {
  it('refuses a document with more aliases than allowed', () => {
    const query = `{ ${Array.from({ length: 4 }, (_, i) => `a${i}: unit { name }`).join(' ')} }`;
    expect(validate(schema, parse(query), [aliasLimitRule(4)])).toHaveLength(0);
    expect(validate(schema, parse(query), [aliasLimitRule(3)]).map((e) => e.message)).toEqual(['the document uses 4 aliases; the limit is 3']);
  });
});

describe('depth limit on a fragment fan-out', () => {
  it('walks each fragment once: eight spreads per level, ten levels deep, in milliseconds', () => {
    const levels = 10;
    const fragments = Array.from({ length: levels }, (_, i) =>
      `fragment F${i} on Unit { parent { ${i + 1 < levels ? Array.from({ length: 8 }, () => `...F${i + 1}`).join(' ') : 'name'} } }`,
    ).join('\n');
    const started = Date.now();
    expect(errorsOf(`{ unit { ...F0 } } ${fragments}`, depthLimitRule(12))).toEqual([]);
    expect(errorsOf(`{ unit { ...F0 } } ${fragments}`, depthLimitRule(5))).toEqual(['query depth 12 exceeds the limit of 5']);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('root-field limit', () => {
  it('counts top-level fields through fragments, not __typename, and refuses past the limit', () => {
    expect(errorsOf('{ a: unit { name } b: unit { name } __typename }', rootFieldLimitRule(2))).toEqual([]);
    expect(errorsOf('{ a: unit { name } ...R } fragment R on Query { b: unit { name } c: unit { name } }', rootFieldLimitRule(2))).toEqual([
      'the operation selects 3 top-level fields; the limit is 2',
    ]);
    const [error] = validate(schema, parse('{ a: unit { name } b: unit { name } c: unit { name } }'), [rootFieldLimitRule(2)]);
    expect(error!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', rule: 'GATEWAY.ROOT_FIELD_LIMIT' });
  });
});

describe('operation cost', () => {
  const graph = buildSchema(`
    type Query { unit(code: String!): Unit, units(limit: Int): [Unit!]! }
    type Unit { name: String, tags: [String!]!, parent: Unit, committees: [Committee!]!, people(first: Int = 20, after: String): PersonConnection! }
    type Committee { kind: String, members: [Person!]! }
    type PersonConnection { totalCount: Int!, nodes: [Person!]!, edges: [PersonEdge!]!, pageInfo: PageInfo! }
    type PersonEdge { cursor: String!, node: Person! }
    type PageInfo { hasNextPage: Boolean! }
    type Person { name: String, unit: Unit }
  `);
  const options = { defaultPageSize: 20, defaultListSize: 10 };
  const costOf = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    expect(validate(graph, document)).toEqual([]);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
    return operationCost(graph, document, operation, variables, options);
  };

  it('counts objects, not scalars', () => {
    expect(costOf('{ unit(code: "1") { name tags parent { name } } }')).toBe(2);
  });

  it("multiplies a connection's nodes and edges by first (literal, variable, variable default, schema default)", () => {
    // unit 1 + people 1 + 50 × (node 1 + its unit 1) + pageInfo 1
    expect(costOf('{ unit(code: "1") { people(first: 50) { totalCount nodes { name unit { name } } pageInfo { hasNextPage } } } }')).toBe(103);
    expect(costOf('query($n: Int) { unit(code: "1") { people(first: $n) { nodes { name } } } }', { n: 7 })).toBe(9);
    expect(costOf('query($n: Int = 5) { unit(code: "1") { people(first: $n) { nodes { name } } } }', {})).toBe(7);
    expect(costOf('{ unit(code: "1") { people { edges { node { name } } } } }')).toBe(2 + 20 * 2);
  });

  it('counts a list without a size argument as defaultListSize, and a limit argument on a list itself', () => {
    expect(costOf('{ unit(code: "1") { committees { kind members { name } } } }')).toBe(1 + 10 * (1 + 10));
    expect(costOf('{ units(limit: 3) { name } }')).toBe(3);
    expect(costOf('{ units { name } }')).toBe(20);
  });

  it('multiplies nested pages and follows fragments', () => {
    const query = `query($a: Int, $b: Int) { unit(code: "1") { people(first: $a) { nodes { unit { ...U } } } } }
      fragment U on Unit { people(first: $b) { nodes { name } } }`;
    // 1 + 1 + a × (node 1 + unit 1 + people 1 + b)
    expect(costOf(query, { a: 10, b: 10 })).toBe(2 + 10 * 13);
    expect(costOf(query, { a: 100, b: 100 })).toBe(2 + 100 * 103);
  });

  it('costs a fragment fan-out once per fragment', () => {
    const levels = 10;
    const fragments = Array.from({ length: levels }, (_, i) =>
      `fragment F${i} on Unit { parent { ${i + 1 < levels ? Array.from({ length: 8 }, () => `...F${i + 1}`).join(' ') : 'name'} } }`,
    ).join('\n');
    const started = Date.now();
    // unit 1 + F0, where F9 = 1 (parent) and F(i) = 1 + 8 × F(i+1): 8^10 walks without the memo.
    expect(costOf(`{ unit(code: "1") { ...F0 } } ${fragments}`)).toBe(1 + (8 ** 10 - 1) / 7);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('rate limiter (a token bucket per user)', () => {
  it('lets a burst through, refuses the next with the wait, refills with time, and keeps users apart', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 60, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').ok).toBe(true);
    now += 1000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    now += 60_000;
    expect(limiter.take('a', 3).ok).toBe(true);
    expect(limiter.take('a', 2)).toEqual({ ok: false, retryAfterSeconds: 2 });
  });
});

describe('operations manifest', () => {
  const graph = buildSchema('type Query { unit(code: String!): Unit } type Unit { name: String, parent: Unit }');
  const sources = [
    { name: 'a.graphql', text: 'query Unit($code: String!) { unit(code: $code) { ...Bits } }\nquery Parent { unit(code: "1") { parent { name } } }' },
    { name: 'f.graphql', text: '# shared\nfragment Bits on Unit { name }' },
  ];

  it('registers each named operation with its fragments, keyed by the sha256 of the printed text', () => {
    const manifest = buildOperationManifest(sources, graph);
    expect(Object.values(manifest)).toEqual([
      'query Parent {\n  unit(code: "1") {\n    parent {\n      name\n    }\n  }\n}',
      'query Unit($code: String!) {\n  unit(code: $code) {\n    ...Bits\n  }\n}\n\nfragment Bits on Unit {\n  name\n}',
    ]);
    for (const [hash, text] of Object.entries(manifest)) expect(hash).toBe(sha256Hex(text));
    expect(parseOperationManifest(manifest).size).toBe(2);
  });

  it('refuses anonymous, duplicate and invalid operations, naming the file', () => {
    expect(() => buildOperationManifest([{ name: 'x.graphql', text: '{ unit(code: "1") { name } }' }], graph)).toThrow(/x\.graphql: an operation without a name/);
    expect(() => buildOperationManifest([...sources, { name: 'b.graphql', text: 'query Parent { unit(code: "2") { name } }' }], graph)).toThrow(/b\.graphql: operation Parent is also in a\.graphql/);
    expect(() => buildOperationManifest([{ name: 'y.graphql', text: 'query Y { unit(code: "1") { nope } }' }], graph)).toThrow(/y\.graphql: Y: Cannot query field "nope"/);
  });

  it('reads Apollo persisted-query manifests too, and refuses a hash that is not its document', () => {
    const body = 'query Q { unit(code: "1") { name } }';
    const apollo = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256Hex(body), name: 'Q', type: 'query', body }] };
    expect([...parseOperationManifest(apollo).values()]).toEqual([body]);
    expect(() => parseOperationManifest({ [sha256Hex('x')]: body }, 'ops.json')).toThrow(/ops\.json: the entry .* is not the sha256 of its document/);
  });
});
