import { createHash } from 'node:crypto';

/**
 * Example payloads for the docs, generated deterministically from an event's JSON Schema (which
 * itself is generated from the zod contract), so a new event gets an example without anyone
 * writing one. Known field names get a realistic value; anything else gets the simplest value the
 * schema allows. A test checks every example against its own schema and zod contract.
 */

type Schema = Record<string, unknown>;

/** Realistic values by property name (used when they satisfy the property's schema). */
const BY_NAME: Record<string, unknown> = {
  name: '王秀英',
  orgUnitCode: '510107018003',
  divisionCode: '510107018003',
  regionPath: '51.5101.510107.510107018.510107018003',
  ethnicity: '汉族',
  education: 'COLLEGE',
  politicalStatus: 'PARTY_MEMBER',
  professionalBackgrounds: ['SOCIAL_GOVERNANCE'],
  negativeListCodes: [],
  changedFields: ['education'],
  sourceTags: [],
  birthDate: '1985-09-23',
  partyJoinedOn: '2010-07-01',
};

const DATE = '2026-11-21';
const DATE_TIME = '2026-11-21T09:30:00+08:00';

/** A uuid (v4 layout) derived from where it appears, so examples are stable across runs. */
function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function matches(schema: Schema, value: unknown): boolean {
  if (typeof value !== 'string') return true;
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false;
  if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return false;
  return true;
}

function stringExample(schema: Schema, seed: string): string {
  if (schema.format === 'uuid') return stableUuid(seed);
  if (schema.format === 'date') return DATE;
  if (schema.format === 'date-time') return DATE_TIME;
  const candidates = ['示例', 'EXAMPLE', '510107018003', '51.5101.510107', '0', '1', 'x', ''];
  const found = candidates.find((c) => matches(schema, c));
  if (found !== undefined) return found;
  throw new Error(`no example string for ${seed} (pattern ${String(schema.pattern)}): add one to BY_NAME in src/docs/examples.ts`);
}

/** The simplest value valid under `schema`; `key` is the property name, `seed` the path. */
function exampleOf(schema: Schema, key: string, seed: string): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    // Prefer the non-null branch: a null says little about the field.
    const branches = ((schema.anyOf ?? schema.oneOf) as Schema[]).filter((b) => b.type !== 'null');
    if (branches.length === 0) return null;
    return exampleOf(branches[0]!, key, seed);
  }
  if (Array.isArray(schema.type)) {
    const type = (schema.type as string[]).find((t) => t !== 'null') ?? 'null';
    return exampleOf({ ...schema, type }, key, seed);
  }
  if (key in BY_NAME && schema.type !== 'object' && matches(schema, BY_NAME[key])) {
    const value = BY_NAME[key];
    if (Array.isArray(value) === (schema.type === 'array')) return value;
  }
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, exampleOf(s, k, `${seed}.${k}`)]));
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = (schema.items ?? {}) as Schema;
      return Array.from({ length: count }, (_, i) => exampleOf(items, key, `${seed}[${i}]`));
    }
    case 'string':
      return stringExample(schema, seed);
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      return Math.max(min, 1);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return null;
  }
}

/** An example payload valid under the given payload schema; `seed` (the event name) makes ids stable. */
export function examplePayload(payloadSchema: Schema, seed: string): Record<string, unknown> {
  return exampleOf(payloadSchema, '', seed) as Record<string, unknown>;
}

/** Example CloudEvents headers of one message (binary mode). */
export function exampleHeaders(input: { type: string; source: string; subject: string; seed: string }): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: stableUuid(`${input.seed}#ce_id`),
    ce_type: input.type,
    ce_source: input.source,
    ce_time: '2026-11-21T01:30:00.000Z',
    ce_subject: input.subject,
    'content-type': 'application/json',
  };
}
