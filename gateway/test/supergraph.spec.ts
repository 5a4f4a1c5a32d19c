import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from '../src';

describe('supergraph', () => {
  it('is what the subgraphs compose to today (run `npm run compose` after changing a schema)', () => {
    const root = join(__dirname, '..', '..');
    const committed = readFileSync(join(root, 'gateway', 'supergraph.graphql'), 'utf8');
    expect(committed).toBe(composeSupergraph(root));
  });
});
