import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphChanges, graphDocs } from '../scripts/graph-reference';

const root = join(__dirname, '..', '..');

const before = /* GraphQL */ `
  type Query { person(id: ID!): Person, people(first: Int = 20): [Person!]! }
  type Person { id: ID!, name: String!, gender: Gender, note: String }
  enum Gender { MALE FEMALE }
  input RegisterInput { name: String!, note: String }
  type Mutation { register(input: RegisterInput!): Person! }
`;

describe('supergraph breaking-change check (synthetic before/after pairs)', () => {
  it.each<[string, (sdl: string) => string, string]>([
    ['a removed type', (s) => s.replace('gender: Gender,', '').replace('enum Gender { MALE FEMALE }', ''), 'TYPE_REMOVED'],
    ['a removed field', (s) => s.replace(', note: String }', ' }'), 'FIELD_REMOVED'],
    ['a removed enum value', (s) => s.replace('MALE FEMALE', 'FEMALE'), 'ENUM_VALUE_REMOVED'],
    ['a removed argument', (s) => s.replace('people(first: Int = 20)', 'people'), 'FIELD_ARGUMENT_REMOVED'],
    ['a changed field type', (s) => s.replace('name: String!, gender', 'name: Int!, gender'), 'FIELD_TYPE_CHANGED'],
    ['a non-null field made nullable', (s) => s.replace('name: String!, gender', 'name: String, gender'), 'FIELD_TYPE_CHANGED'],
    ['a new required argument', (s) => s.replace('person(id: ID!)', 'person(id: ID!, region: String!)'), 'FIELD_ARGUMENT_ADDED'],
    ['a new required input field', (s) => s.replace('input RegisterInput { name: String!,', 'input RegisterInput { name: String!, region: String!,'), 'INPUT_FIELD_ADDED'],
  ])('catches %s', async (_kind, edit, type) => {
    const after = edit(before);
    expect(after).not.toBe(before);
    const { breaks } = await graphChanges(before, after);
    expect(breaks.map((b) => b.id.split(' ')[1])).toContain(type);
  });

  it('lets additions through: a new field, type, enum value, optional argument', async () => {
    const after = before
      .replace('note: String }', 'note: String, age: Int }')
      .replace('MALE FEMALE', 'MALE FEMALE UNKNOWN')
      .replace('person(id: ID!)', 'person(id: ID!, at: String)')
      .concat('\ntype Term { id: ID! }\nextend type Query { term(id: ID!): Term }');
    const { breaks, notes } = await graphChanges(before, after);
    expect(breaks).toEqual([]);
    expect(notes.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the graph against the released baseline (proto-docs/baseline/schema.graphql)', () => {
  it('has no unannounced breaking change (announce in proto-docs/ANNOUNCED-BREAKS.json)', async () => {
    const baseline = readFileSync(join(root, 'proto-docs', 'baseline', 'schema.graphql'), 'utf8');
    const announced = new Set(
      (JSON.parse(readFileSync(join(root, 'proto-docs', 'ANNOUNCED-BREAKS.json'), 'utf8')) as { breaks: { id: string }[] }).breaks.map((b) => b.id),
    );
    const { breaks } = await graphChanges(baseline, graphDocs(root).get('schema.graphql')!);
    expect(breaks.filter((b) => !announced.has(b.id)).map((b) => `${b.id} — ${b.message}`)).toEqual([]);
  });
});
