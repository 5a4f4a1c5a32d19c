// npm run compose: writes gateway/supergraph.graphql from the subgraphs' schema files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../src/compose';

const root = join(__dirname, '..', '..');
const target = join(root, 'gateway', 'supergraph.graphql');
writeFileSync(target, composeSupergraph(root));
process.stdout.write(`wrote ${target}\n`);
