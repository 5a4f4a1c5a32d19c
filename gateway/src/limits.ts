import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

/**
 * Validation rules that refuse expensive documents before any subgraph is called: a depth limit
 * (nested selections, following fragments), an alias limit (aliases multiply work cheaply) and a
 * root-field limit (each top-level field is a separate entry point, often a separate subgraph
 * fetch). The cost limit, which needs the variables, is a plugin (cost.ts).
 */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    // Each fragment's depth is computed once: walking a fragment again at every spread would let a
    // small document (fragments spreading the next one eight times, ten deep) take hours.
    const fragmentDepth = new Map<string, number>();
    const inProgress = new Set<string>();
    const depthOf = (set: SelectionSetNode | undefined): number => {
      if (!set) return 0;
      let max = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue; // introspection meta-fields
          max = Math.max(max, sel.selectionSet ? 1 + depthOf(sel.selectionSet) : 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          max = Math.max(max, depthOf(sel.selectionSet));
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          if (!fragment || inProgress.has(name)) continue; // a cycle: NoFragmentCycles reports it
          if (!fragmentDepth.has(name)) {
            inProgress.add(name);
            fragmentDepth.set(name, depthOf(fragment.selectionSet));
            inProgress.delete(name);
          }
          max = Math.max(max, fragmentDepth.get(name)!);
        }
      }
      return max;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, {
              nodes: [node],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', rule: 'GATEWAY.DEPTH_LIMIT' },
            }),
          );
        }
      },
    };
  };
}

export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias) count++;
      },
      Document: {
        leave() {
          if (count > maxAliases) {
            context.reportError(
              new GraphQLError(`the document uses ${count} aliases; the limit is ${maxAliases}`, {
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED', rule: 'GATEWAY.ALIAS_LIMIT' },
              }),
            );
          }
        },
      },
    };
  };
}

/** Refuses an operation with more top-level fields than allowed (fragments followed, __typename not counted). */
export function rootFieldLimitRule(maxRootFields: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const countOf = (set: SelectionSetNode, seen: Set<string>): number => {
      let count = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (!sel.name.value.startsWith('__')) count++;
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          count += countOf(sel.selectionSet, seen);
        } else {
          const fragment = fragments.get(sel.name.value);
          if (fragment && !seen.has(sel.name.value)) {
            seen.add(sel.name.value); // a fragment spread twice at the root selects the same fields
            count += countOf(fragment.selectionSet, seen);
          }
        }
      }
      return count;
    };
    return {
      OperationDefinition(node) {
        const count = countOf(node.selectionSet, new Set());
        if (count > maxRootFields) {
          context.reportError(
            new GraphQLError(`the operation selects ${count} top-level fields; the limit is ${maxRootFields}`, {
              nodes: [node],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', rule: 'GATEWAY.ROOT_FIELD_LIMIT' },
            }),
          );
        }
      },
    };
  };
}
