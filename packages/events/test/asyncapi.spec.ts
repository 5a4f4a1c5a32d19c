import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventCatalogue, topicOf } from '../src';
import { exampleMessageOf } from '../src/docs/contract-docs';

const protoDocs = join(__dirname, '..', '..', '..', 'proto-docs');
const read = (path: string) => readFileSync(join(protoDocs, path), 'utf8');

describe('proto-docs/asyncapi.json', () => {
  it('is a valid AsyncAPI 3.0 document for @asyncapi/parser (no errors, no warnings)', async () => {
    const { document, diagnostics } = await new Parser().parse(read('asyncapi.json'));
    // Severity 0 = error, 1 = warning; 2/3 are hints such as "3.1.0 exists" (the issue asks for 3.0).
    const problems = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
    expect(problems).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');

    const channels = new Map(document!.channels().all().map((c) => [c.address(), c]));
    const topics = new Set(eventCatalogue.map(topicOf));
    expect([...channels.keys()].sort()).toEqual([...topics].sort());
    for (const event of eventCatalogue) {
      const message = channels.get(topicOf(event))!.messages().all().find((m) => m.name() === event.name);
      expect(message).toBeDefined();
      expect(message!.hasPayload()).toBe(true);
      expect(message!.payload()!.type()).toBe('object');
      expect(message!.hasHeaders()).toBe(true);
      expect(message!.headers()!.required()).toEqual(expect.arrayContaining(['ce_id', 'ce_type', 'ce_source', 'ce_time', 'ce_specversion', 'content-type']));
      const kafka = message!.bindings().get('kafka');
      expect(kafka?.value()).toMatchObject({ key: { type: 'string' } });
      expect(message!.examples().length).toBeGreaterThan(0);
      const sends = document!.operations().all().filter((o) => o.action() === 'send' && o.messages().all().some((m) => m.name() === event.name));
      expect(sends).toHaveLength(1);
    }
  });
});

describe('example payloads', () => {
  /** A validator of one published schema file, as a consumer would build it (ajv, draft 2020-12, formats). */
  const validatorOf = (path: string) => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    return ajv.compile(JSON.parse(read(path)));
  };

  it.each(eventCatalogue.map((e) => [e.name, e] as const))('%s: the example validates against its published JSON Schema and its zod contract', (_name, event) => {
    const example = exampleMessageOf(event);
    const validate = validatorOf(`events/${topicOf(event)}/${event.name}.schema.json`);
    expect({ valid: validate(example.payload), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    expect(event.schema.safeParse(example.payload).success).toBe(true);
    expect(example.headers.ce_subject).toBe(example.key);
  });

  it('the published schemas reject a payload without a required field and accept fields added later', () => {
    const [event] = eventCatalogue;
    const validate = validatorOf(`events/${topicOf(event!)}/${event!.name}.schema.json`);
    const payload = exampleMessageOf(event!).payload;
    const [firstField] = Object.keys(payload);
    const { [firstField!]: _dropped, ...missing } = payload;
    expect(validate(missing)).toBe(false);
    // Fields added later (compatible) are accepted: consumers keep validating with the schema they have.
    expect(validate({ ...payload, addedLater: 'x' })).toBe(true);
  });
});
