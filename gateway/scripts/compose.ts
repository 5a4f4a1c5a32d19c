// npm run compose: writes gateway/supergraph.graphql from the subgraphs' schema files, then the
// graph's public contract from it: proto-docs/schema.graphql and proto-docs/GRAPH.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../src/compose';
import { graphDocs } from './graph-reference';

const root = join(__dirname, '..', '..');
const target = join(root, 'gateway', 'supergraph.graphql');
writeFileSync(target, composeSupergraph(root));
process.stdout.write(`wrote ${target}\n`);
for (const [path, content] of graphDocs(root)) {
  writeFileSync(join(root, 'proto-docs', path), content);
  process.stdout.write(`wrote ${join(root, 'proto-docs', path)}\n`);
}
