import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, defaultUrlOf, schemaPathOf } from './subgraphs';

/** Composes the supergraph from the subgraphs' SDL files; throws with every composition error. */
export function composeSupergraph(root: string): string {
  const result = composeServices(
    SUBGRAPHS.map(({ name, port }) => ({
      name,
      url: defaultUrlOf(port),
      typeDefs: parse(readFileSync(schemaPathOf(root, name), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
