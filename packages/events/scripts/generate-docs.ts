// npm run docs: regenerates proto-docs/asyncapi.json and proto-docs/events/**.schema.json from
// the zod contracts, and removes generated files of events that no longer exist.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { eventCatalogue } from '../src/catalogue';
import { contractDocs } from '../src/docs/contract-docs';

const out = join(__dirname, '..', '..', '..', 'proto-docs');
const files = contractDocs(eventCatalogue);
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
mkdirSync(join(out, 'events'), { recursive: true });
for (const stale of walk(join(out, 'events')).filter((f) => !files.has(relative(out, f)))) rmSync(stale);
for (const [path, content] of files) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), content);
}
process.stdout.write(`wrote ${files.size} files to ${out}\n`);
