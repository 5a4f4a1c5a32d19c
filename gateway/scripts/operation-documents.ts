import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { sha256Hex } from '../src/persisted';

export interface OperationSource {
  /** Where the text comes from (a file name), for messages. */
  name: string;
  text: string;
}

/**
 * The registered-operations manifest of a set of .graphql sources: one entry per named operation,
 * its document being the operation and every fragment it uses (from any of the sources, in name
 * order) as graphql-js `print` writes it, keyed by the sha256 of that text. A client sends that
 * exact text, or only its hash (`extensions.persistedQuery.sha256Hash`). Every document is
 * validated against the schema when one is given. Throws with every problem found.
 */
export function buildOperationManifest(sources: OperationSource[], schema?: GraphQLSchema): Record<string, string> {
  const problems: string[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations = new Map<string, { operation: OperationDefinitionNode; source: string }>();
  for (const source of sources) {
    let document: DocumentNode;
    try {
      document = parse(source.text, { noLocation: true });
    } catch (error) {
      problems.push(`${source.name}: ${(error as Error).message}`);
      continue;
    }
    for (const def of document.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(def.name.value)) problems.push(`${source.name}: fragment ${def.name.value} is defined twice`);
        fragments.set(def.name.value, def);
      } else if (def.kind === Kind.OPERATION_DEFINITION) {
        const name = def.name?.value;
        if (!name) problems.push(`${source.name}: an operation without a name (name every registered operation)`);
        else if (operations.has(name)) problems.push(`${source.name}: operation ${name} is also in ${operations.get(name)!.source}`);
        else operations.set(name, { operation: def, source: source.name });
      } else {
        problems.push(`${source.name}: only operations and fragments belong in an operations file (found ${def.kind})`);
      }
    }
  }

  const manifest: Record<string, string> = {};
  for (const [name, { operation, source }] of [...operations].sort(([a], [b]) => a.localeCompare(b))) {
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (!fragment) problems.push(`${source}: ${name} uses the unknown fragment ${spread.name.value}`);
          else if (!used.has(spread.name.value)) {
            used.set(spread.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(operation);
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [operation, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))],
    };
    if (schema) {
      for (const error of validate(schema, document)) problems.push(`${source}: ${name}: ${error.message}`);
    }
    const text = print(document);
    manifest[sha256Hex(text)] = text;
  }
  if (problems.length) throw new Error(`the operations cannot be registered:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return manifest;
}
