import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventCatalogue, topicOf } from '../src';
import { compareSchemas, eventContractChanges, unannounced, type Announcement } from '../src/docs/breaking';
import { jsonSchemaOf } from '../src/docs/contract-docs';

const protoDocs = join(__dirname, '..', '..', '..', 'proto-docs');
type Schema = Record<string, unknown>;

const uuid = { type: 'string', format: 'uuid' };
const base: Schema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string', maxLength: 50 },
    outcome: { type: 'string', enum: ['CLEARED', 'DISQUALIFIED'] },
    note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    codes: { type: 'array', items: { type: 'string' } },
    count: { type: 'integer', minimum: 0 },
    remark: { type: 'string' },
  },
  required: ['id', 'name', 'outcome', 'note', 'codes', 'count'],
  additionalProperties: false,
};
/** `base` with `edit` applied to a deep copy. */
function changed(edit: (s: { properties: Record<string, Schema>; required: string[] }) => void): Schema {
  const copy = structuredClone(base) as { properties: Record<string, Schema>; required: string[] };
  edit(copy);
  return copy;
}
const breaking = (after: Schema) => compareSchemas(base, after).filter((c) => c.breaking).map((c) => `${c.path}: ${c.message}`);
const compatible = (after: Schema) => compareSchemas(base, after).filter((c) => !c.breaking).map((c) => `${c.path}: ${c.message}`);

describe('event schema breaking-change check (synthetic before/after pairs)', () => {
  it('finds nothing in an unchanged schema, and ignores additionalProperties and descriptions', () => {
    expect(compareSchemas(base, structuredClone(base))).toEqual([]);
    expect(compareSchemas(base, changed((s) => {
      delete (s as Schema).additionalProperties;
      s.properties.name!.description = 'reworded';
    }))).toEqual([]);
  });

  it.each<[string, (s: { properties: Record<string, Schema>; required: string[] }) => void, string]>([
    ['a removed field', (s) => delete s.properties.name, '/name: field removed'],
    ['a removed optional field', (s) => delete s.properties.remark, '/remark: field removed'],
    ['a changed type', (s) => (s.properties.count = { type: 'string' }), '/count: type changed from integer to string'],
    ['a field made nullable', (s) => (s.properties.name = { type: ['string', 'null'], maxLength: 50 }), '/name: type changed from string to null|string'],
    ['a newly required field', (s) => s.required.push('remark'), '/remark: field newly required'],
    ['a new required field', (s) => { s.properties.region = { type: 'string' }; s.required.push('region'); }, '/region: field added as required (messages already on the topic lack it)'],
    ['a field no longer required', (s) => (s.required = s.required.filter((r) => r !== 'name')), '/name: field no longer required (may be missing now)'],
    ['a narrowed enum', (s) => (s.properties.outcome = { type: 'string', enum: ['CLEARED'] }), '/outcome: enum narrowed: "DISQUALIFIED" removed'],
    ['an enum where any string was allowed', (s) => (s.properties.remark = { type: 'string', enum: ['A'] }), '/remark: enum introduced ("A"): values outside it no longer allowed'],
    ['a changed format', (s) => (s.properties.id = { type: 'string', format: 'date' }), '/id: format changed from uuid to date'],
    ['a tightened length', (s) => (s.properties.name = { type: 'string', maxLength: 20 }), '/name: maxLength tightened from 50 to 20'],
    ['a changed array item type', (s) => (s.properties.codes = { type: 'array', items: { type: 'integer' } }), '/codes[]: type changed from string to integer'],
  ])('catches %s', (_kind, edit, expected) => {
    expect(breaking(changed(edit))).toEqual([expected]);
  });

  it('lets compatible changes through and names them', () => {
    expect(breaking(changed((s) => (s.properties.added = { type: 'string' })))).toEqual([]);
    expect(compatible(changed((s) => (s.properties.added = { type: 'string' })))).toEqual(['/added: optional field added']);
    expect(breaking(changed((s) => (s.properties.outcome = { type: 'string', enum: ['CLEARED', 'DISQUALIFIED', 'DEFERRED'] })))).toEqual([]);
    expect(breaking(changed((s) => (s.properties.name = { type: 'string', maxLength: 100 })))).toEqual([]);
    expect(breaking(changed((s) => (s.properties.note = { type: ['string', 'null'] })))).toEqual([]); // the same type, written differently
  });

  it('allows a break on a new major topic, not on the same one, and flags a removed event', () => {
    const before = new Map([['x.thing.v1/ThingHappened', base], ['x.thing.v1/ThingGone', base]]);
    const broken = changed((s) => delete s.properties.name);
    const sameTopic = eventContractChanges(before, new Map([['x.thing.v1/ThingHappened', broken]]));
    expect(sameTopic.breaks.map((b) => b.id)).toEqual(['x.thing.v1/ThingHappened/name: field removed', 'x.thing.v1/ThingGone: event removed']);
    const bumped = eventContractChanges(before, new Map([['x.thing.v2/ThingHappened', broken]]));
    expect(bumped.breaks).toEqual([]);
    expect(bumped.notes).toEqual(expect.arrayContaining(['x.thing.v1/ThingHappened: now on x.thing.v2 (new major version)', 'x.thing.v2/ThingHappened: new event']));
  });

  it('accepts a break once announced by its id', () => {
    const { breaks } = eventContractChanges(new Map([['x.thing.v1/T', base]]), new Map([['x.thing.v1/T', changed((s) => delete s.properties.name)]]));
    expect(unannounced(breaks, [])).toHaveLength(1);
    expect(unannounced(breaks, [{ id: 'x.thing.v1/T/name: field removed', reason: 'test', announced: '2026-11-22' }])).toEqual([]);
  });
});

describe('event contracts against the released baseline (proto-docs/baseline)', () => {
  it('have no unannounced breaking change (break on a new major topic, or announce in proto-docs/ANNOUNCED-BREAKS.json)', () => {
    const dir = join(protoDocs, 'baseline', 'events');
    const baseline = new Map<string, Schema>();
    for (const topic of readdirSync(dir)) {
      for (const file of readdirSync(join(dir, topic))) baseline.set(`${topic}/${file.replace(/\.schema\.json$/, '')}`, JSON.parse(readFileSync(join(dir, topic, file), 'utf8')));
    }
    expect(baseline.size).toBeGreaterThan(0);
    const current = new Map(eventCatalogue.map((e) => [`${topicOf(e)}/${e.name}`, jsonSchemaOf(e)]));
    const announced = (JSON.parse(readFileSync(join(protoDocs, 'ANNOUNCED-BREAKS.json'), 'utf8')) as { breaks: Announcement[] }).breaks;
    const { breaks } = eventContractChanges(baseline, current);
    expect(unannounced(breaks, announced).map((b) => b.id)).toEqual([]);
  });
});
