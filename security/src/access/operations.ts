import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type EnumValueNode, type ObjectTypeDefinitionNode } from 'graphql';
import type { ServiceName } from './types';

export interface Operation {
  name: string;
  kind: 'query' | 'mutation';
  service: ServiceName;
}

/** The root fields of a supergraph, each with the subgraph that owns it, in schema order. */
export function supergraphOperations(supergraphSdl: string): Operation[] {
  const out: Operation[] = [];
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== 'ObjectTypeDefinition' || (def.name.value !== 'Query' && def.name.value !== 'Mutation')) continue;
    for (const field of (def as ObjectTypeDefinitionNode).fields ?? []) {
      const join = field.directives?.find((d) => d.name.value === 'join__field');
      const graph = join?.arguments?.find((a) => a.name.value === 'graph')?.value as EnumValueNode | undefined;
      if (!graph) continue;
      out.push({ name: field.name.value, kind: def.name.value === 'Query' ? 'query' : 'mutation', service: graph.value.toLowerCase() as ServiceName });
    }
  }
  return out;
}

export const SUPERGRAPH_PATH = join(__dirname, '..', '..', '..', 'gateway', 'supergraph.graphql');

export const committedOperations = (): Operation[] => supergraphOperations(readFileSync(SUPERGRAPH_PATH, 'utf8'));
