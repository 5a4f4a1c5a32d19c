import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventCatalogue, topicOf } from '../src';
import { contractDocs } from '../src/docs/contract-docs';

const protoDocs = join(__dirname, '..', '..', '..', 'proto-docs');

describe('proto-docs', () => {
  it('matches the zod contracts (run `npm run docs` after changing an event)', () => {
    for (const [path, content] of contractDocs(eventCatalogue)) {
      expect({ path, content: readFileSync(join(protoDocs, path), 'utf8') }).toEqual({ path, content });
    }
  });

  it('documents every event of the catalogue on its topic, with its consumers', () => {
    const doc = JSON.parse(readFileSync(join(protoDocs, 'asyncapi.json'), 'utf8'));
    expect(doc.asyncapi).toBe('3.0.0');
    for (const event of eventCatalogue) {
      const channel = Object.values(doc.channels as Record<string, { address: string; messages: Record<string, unknown> }>).find(
        (c) => c.address === topicOf(event),
      );
      expect(channel?.messages[event.name]).toBeDefined();
      for (const consumer of event.consumers) expect(doc.operations[`${consumer}_receive_${event.name}`]).toBeDefined();
    }
  });

  it('keeps personal data out of every payload', () => {
    const forbidden = /idNumber|phone|complainant/i;
    for (const event of eventCatalogue) expect(Object.keys(event.schema.shape).filter((k) => forbidden.test(k))).toEqual([]);
  });
});
