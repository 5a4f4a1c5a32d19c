// npm run baseline [-- --ref <git ref>]: records the contracts as released in proto-docs/baseline/
// (every event's JSON Schema and the graph's API schema). Run it when a release goes out; the
// breaking-change tests compare the current contracts with this baseline. Without --ref it takes
// the current code and the committed gateway/supergraph.graphql; with --ref (e.g. a release tag)
// it takes proto-docs/events and gateway/supergraph.graphql as they were at that commit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eventCatalogue, topicOf } from '../src/catalogue';
import { jsonSchemaOf } from '../src/docs/contract-docs';
import { apiSchemaSdl, graphDocs } from '../../../gateway/scripts/graph-reference';

const root = join(__dirname, '..', '..', '..');
const out = join(root, 'proto-docs', 'baseline');
const refIndex = process.argv.indexOf('--ref');
const ref = refIndex > 0 ? process.argv[refIndex + 1] : undefined;
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

const files = new Map<string, string>();
if (ref) {
  for (const path of git('ls-tree', '-r', '--name-only', ref, 'proto-docs/events').split('\n').filter((p) => p.endsWith('.schema.json'))) {
    files.set(path.replace(/^proto-docs\//, ''), git('show', `${ref}:${path}`));
  }
  files.set('schema.graphql', apiSchemaSdl(git('show', `${ref}:gateway/supergraph.graphql`)));
} else {
  for (const def of eventCatalogue) files.set(`events/${topicOf(def)}/${def.name}.schema.json`, `${JSON.stringify(jsonSchemaOf(def), null, 2)}\n`);
  files.set('schema.graphql', graphDocs(root).get('schema.graphql')!);
}
if (![...files.keys()].some((p) => p.startsWith('events/'))) throw new Error(`no event schemas found${ref ? ` at ${ref}` : ''}`);

rmSync(join(out, 'events'), { recursive: true, force: true });
for (const [path, content] of files) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), content);
}
const source = ref ? `git ${ref} (${git('rev-parse', '--short', ref).trim()})` : 'the working tree';
writeFileSync(
  join(out, 'SOURCE.md'),
  `# Contract baseline\n\nThe contracts as last released, recorded by \`npm run baseline\` from ${source}.\n` +
    'The breaking-change tests (packages/events/test/breaking-changes.spec.ts, gateway/test/graph-breaking-changes.spec.ts)\n' +
    'compare the current contracts with these files. Do not edit by hand; refresh at a release.\n',
);
process.stdout.write(
  `wrote ${files.size} baseline files to ${out} from ${source}\n` +
    'Announcements in proto-docs/ANNOUNCED-BREAKS.json now refer to released changes: remove them in the release commit.\n',
);
