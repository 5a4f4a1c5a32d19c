import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphDocs } from '../scripts/graph-reference';

const root = join(__dirname, '..', '..');

describe('proto-docs graph reference', () => {
  it('schema.graphql and GRAPH.md match the committed supergraph (run `npm run compose`)', () => {
    for (const [path, content] of graphDocs(root)) {
      expect({ path, content: readFileSync(join(root, 'proto-docs', path), 'utf8') }).toEqual({ path, content });
    }
  });

  it('lists every query and mutation with its arguments, and the public types without federation machinery', () => {
    const sdl = graphDocs(root).get('schema.graphql')!;
    const page = graphDocs(root).get('GRAPH.md')!;
    expect(sdl).not.toMatch(/join__|link__|@link/);
    expect(page).toMatch(/^### query `orgUnitByCode`$/m);
    expect(page).toMatch(/^### mutation `registerPerson`$/m);
    expect(page).toMatch(/^### OrgUnit$/m);
  });
});
