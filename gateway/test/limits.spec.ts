import { buildSchema, parse, validate } from 'graphql';
import { aliasLimitRule, depthLimitRule } from '../src';

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
