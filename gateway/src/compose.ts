import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { auditLogSdl, readSchemaFile } from '@huanjie/platform';
import { SUBGRAPHS, defaultUrlOf, schemaDirOf } from './subgraphs';

/** Composes the supergraph from the subgraphs' SDL files; throws with every composition error. */
export function composeSupergraph(root: string): string {
  const result = composeServices(
    SUBGRAPHS.map(({ name, port }) => ({
      name,
      url: defaultUrlOf(port),
      // The audit query is added to every subgraph by the service kit from the platform's text.
      typeDefs: parse(`${readSchemaFile(schemaDirOf(root, name))}\n${auditLogSdl(name, { withPageInfo: false })}`),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
