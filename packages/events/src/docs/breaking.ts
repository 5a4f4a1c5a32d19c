/**
 * Breaking-change check of the event contracts: the JSON Schemas of the current catalogue against
 * the baseline (proto-docs/baseline/, the contracts as last released). Consumers read payloads
 * with the schema they were built with, and topics retain messages written under the old one, so
 * for a topic of the same major version:
 *   breaking  — a field removed, a type changed (widened or narrowed, null included), a field newly
 *               required or no longer required, an enum value removed, a const / format / pattern
 *               changed, a length or range tightened, an event removed from its topic;
 *   compatible — an optional field added, an enum value added, a constraint loosened, a new event
 *               or topic (reported as notes).
 * The way to break is a new major version of the topic (`<service>.<aggregate>.v<N+1>`), or an
 * entry in proto-docs/ANNOUNCED-BREAKS.json naming the break's id.
 */

type Schema = Record<string, unknown>;

export interface SchemaChange {
  /** JSON Pointer-like path inside the payload schema, '' for the root. */
  path: string;
  breaking: boolean;
  message: string;
}

export interface ContractBreak {
  /** Stable id, quoted in ANNOUNCED-BREAKS.json to announce it: `<topic>/<Event><path>: <what>`. */
  id: string;
  message: string;
}

interface Normal {
  types: Set<string>;
  enum?: Set<string>;
  constValue?: string;
  format?: string;
  pattern?: string;
  properties: Map<string, Schema>;
  required: Set<string>;
  items?: Schema;
  bounds: Record<string, number>;
}

const LOWER_BOUNDS = ['minLength', 'minItems', 'minimum', 'exclusiveMinimum', 'minProperties'];
const UPPER_BOUNDS = ['maxLength', 'maxItems', 'maximum', 'exclusiveMaximum', 'maxProperties'];

function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Folds `type` arrays and anyOf/oneOf branches (how zod writes nullable and unions) into one view. */
function normalise(schema: Schema): Normal {
  const branches = [...((schema.anyOf ?? []) as Schema[]), ...((schema.oneOf ?? []) as Schema[])];
  const out: Normal = { types: new Set(), properties: new Map(), required: new Set(), bounds: {} };
  const parts: Schema[] = branches.length ? branches.map((b) => ({ ...schema, anyOf: undefined, oneOf: undefined, ...b })) : [schema];
  const enums: Set<string>[] = [];
  let unrestricted = false;
  for (const part of parts) {
    const types = Array.isArray(part.type) ? (part.type as string[]) : typeof part.type === 'string' ? [part.type] : [];
    if ('const' in part) {
      out.constValue = JSON.stringify(part.const);
      types.push(typeOfValue(part.const));
    }
    if (Array.isArray(part.enum)) {
      for (const v of part.enum as unknown[]) types.push(typeOfValue(v));
      enums.push(new Set((part.enum as unknown[]).map((v) => JSON.stringify(v))));
    } else if (!types.every((t) => t === 'null')) unrestricted = true;
    types.forEach((t) => out.types.add(t));
    if (typeof part.format === 'string') out.format = part.format;
    if (typeof part.pattern === 'string') out.pattern = part.pattern;
    for (const [k, v] of Object.entries((part.properties ?? {}) as Record<string, Schema>)) out.properties.set(k, v);
    for (const r of (part.required ?? []) as string[]) out.required.add(r);
    if (part.items && typeof part.items === 'object') out.items = part.items as Schema;
    for (const b of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) if (typeof part[b] === 'number') out.bounds[b] = part[b] as number;
  }
  if (enums.length && !unrestricted) out.enum = new Set(enums.flatMap((e) => [...e]));
  if (out.types.has('integer') && out.types.has('number')) out.types.delete('integer');
  return out;
}

const list = (s: Iterable<string>) => [...s].sort().join('|') || 'any';

/** Every difference between two payload schemas that matters to a consumer, breaking or not. */
export function compareSchemas(before: Schema, after: Schema, path = ''): SchemaChange[] {
  const b = normalise(before);
  const a = normalise(after);
  const changes: SchemaChange[] = [];
  const add = (breaking: boolean, message: string) => changes.push({ path, breaking, message });

  if (b.types.size && list(b.types) !== list(a.types)) add(true, `type changed from ${list(b.types)} to ${list(a.types)}`);
  if (b.constValue !== a.constValue) add(true, `const changed from ${b.constValue ?? 'none'} to ${a.constValue ?? 'none'}`);
  if (b.enum || a.enum) {
    if (!a.enum) add(false, 'enum lifted (any value allowed now)');
    else if (!b.enum) add(true, `enum introduced (${[...a.enum].join(', ')}): values outside it no longer allowed`);
    else {
      const removed = [...b.enum].filter((v) => !a.enum!.has(v));
      const added = [...a.enum].filter((v) => !b.enum!.has(v));
      if (removed.length) add(true, `enum narrowed: ${removed.join(', ')} removed`);
      if (added.length) add(false, `enum widened: ${added.join(', ')} added (consumers should accept unknown values)`);
    }
  }
  if (b.format !== a.format) add(true, `format changed from ${b.format ?? 'none'} to ${a.format ?? 'none'}`);
  if (b.pattern !== a.pattern) add(true, `pattern changed from ${b.pattern ?? 'none'} to ${a.pattern ?? 'none'}`);
  for (const k of LOWER_BOUNDS) {
    const [was, now] = [b.bounds[k], a.bounds[k]];
    if (was === now) continue;
    const tightened = now !== undefined && (was === undefined || now > was);
    add(tightened, `${k} ${tightened ? 'tightened' : 'loosened'} from ${was ?? 'none'} to ${now ?? 'none'}`);
  }
  for (const k of UPPER_BOUNDS) {
    const [was, now] = [b.bounds[k], a.bounds[k]];
    if (was === now) continue;
    const tightened = now !== undefined && (was === undefined || now < was);
    add(tightened, `${k} ${tightened ? 'tightened' : 'loosened'} from ${was ?? 'none'} to ${now ?? 'none'}`);
  }

  for (const [name, was] of b.properties) {
    const at = `${path}/${name}`;
    const now = a.properties.get(name);
    if (!now) {
      changes.push({ path: at, breaking: true, message: 'field removed' });
      continue;
    }
    if (!b.required.has(name) && a.required.has(name)) changes.push({ path: at, breaking: true, message: 'field newly required' });
    if (b.required.has(name) && !a.required.has(name)) changes.push({ path: at, breaking: true, message: 'field no longer required (may be missing now)' });
    changes.push(...compareSchemas(was, now, at));
  }
  for (const [name] of a.properties) {
    if (b.properties.has(name)) continue;
    const at = `${path}/${name}`;
    if (a.required.has(name)) changes.push({ path: at, breaking: true, message: 'field added as required (messages already on the topic lack it)' });
    else changes.push({ path: at, breaking: false, message: 'optional field added' });
  }
  if (b.items && a.items) changes.push(...compareSchemas(b.items, a.items, `${path}[]`));
  else if (b.items || a.items) add(true, 'array items changed');
  return changes;
}

const streamOf = (topic: string) => topic.replace(/\.v\d+$/, '');
const majorOf = (topic: string) => Number(/\.v(\d+)$/.exec(topic)?.[1] ?? 0);

/**
 * Compares every event of the baseline with the current contracts. Keys are `<topic>/<Event>`,
 * values the payload JSON Schemas. An event may change incompatibly only on a new major topic.
 */
export function eventContractChanges(
  baseline: ReadonlyMap<string, Schema>,
  current: ReadonlyMap<string, Schema>,
): { breaks: ContractBreak[]; notes: string[] } {
  const breaks: ContractBreak[] = [];
  const notes: string[] = [];
  const currentTopics = [...current.keys()].map((k) => k.split('/')[0]!);
  for (const [key, before] of baseline) {
    const [topic, event] = key.split('/') as [string, string];
    const after = current.get(key);
    if (!after) {
      const successor = currentTopics.find((t) => streamOf(t) === streamOf(topic) && majorOf(t) > majorOf(topic));
      if (successor && [...current.keys()].some((k) => k === `${successor}/${event}`)) notes.push(`${key}: now on ${successor} (new major version)`);
      else if (successor) notes.push(`${key}: gone with ${topic}, superseded by ${successor} (new major version)`);
      else breaks.push({ id: `${key}: event removed`, message: `${event} is no longer published on ${topic}` });
      continue;
    }
    for (const change of compareSchemas(before, after)) {
      const text = `${key}${change.path}: ${change.message}`;
      if (change.breaking) breaks.push({ id: text, message: text });
      else notes.push(text);
    }
  }
  for (const key of current.keys()) if (!baseline.has(key)) notes.push(`${key}: new event`);
  return { breaks, notes };
}

export interface Announcement {
  id: string;
  reason: string;
  announced: string;
}

/** The breaks that no announcement names. */
export function unannounced(breaks: readonly ContractBreak[], announcements: readonly Announcement[]): ContractBreak[] {
  const named = new Set(announcements.map((a) => a.id));
  return breaks.filter((b) => !named.has(b.id));
}
