import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS } from '../src/access';
import { FIELD_ACCESS } from '../src/access/fields';
import { committedOperations } from '../src/access/operations';
import { renderAccessPage } from '../src/access/page';

// The access table is the statement of who may do what: it covers the whole supergraph, names
// only real operations, never lets AUDITOR change anything, and the page is generated from it.

const operations = committedOperations();

it('has one row for every query and mutation of the supergraph, with the owning service', () => {
  expect(operations.length).toBeGreaterThan(100);
  expect(operations.filter((o) => ACCESS[o.name]?.service !== o.service).map((o) => o.name)).toEqual([]);
  const names = new Set(operations.map((o) => o.name));
  expect(Object.keys(ACCESS).filter((n) => !names.has(n))).toEqual([]);
});

it('keeps AUDITOR read-only and gives every row at least one role', () => {
  expect(operations.filter((o) => o.kind === 'mutation' && ACCESS[o.name]?.roles.includes('AUDITOR')).map((o) => o.name)).toEqual([]);
  expect(Object.entries(ACCESS).filter(([, a]) => a.roles.length === 0).map(([n]) => n)).toEqual([]);
});

it('proto-docs/ACCESS.md is the page generated from the table (npm run docs:access)', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'proto-docs', 'ACCESS.md'), 'utf8');
  expect(committed).toBe(renderAccessPage(ACCESS, operations, FIELD_ACCESS));
});

it('names only fields that exist in the supergraph', () => {
  const sdl = readFileSync(join(__dirname, '..', '..', 'gateway', 'supergraph.graphql'), 'utf8');
  const missing = Object.keys(FIELD_ACCESS).filter((name) => {
    const [type, field] = name.split('.');
    const body = new RegExp(`\\ntype ${type}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(sdl)?.[1] ?? '';
    return !new RegExp(`\\n\\s+${field}\\b[(:]`).test(body);
  });
  expect(missing).toEqual([]);
});
