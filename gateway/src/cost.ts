import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface CostOptions {
  /** Page size assumed when a `first`/`last`/`limit` argument is absent and has no schema default (the subgraphs' default page: 20). */
  defaultPageSize: number;
  /** Length assumed for a list field without a size argument (a unit's committees, an election's candidates). */
  defaultListSize: number;
}

/** The arguments that bound how many items a field returns (Relay `first`/`last`, a plain `limit`). */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

/**
 * The static cost of an operation, an upper bound on the objects it can make the subgraphs
 * produce: every field returning an object costs 1 (scalars and enums are free), and a list
 * multiplies everything below it by its size. A field with a `first`/`last`/`limit` argument sets
 * the size of the lists directly under it (a connection's `nodes` and `edges`) or, if it is a list
 * itself, its own; the argument's value comes from the literal, the variable's value, the
 * variable's default, the schema's default, then `defaultPageSize`. A list without such an
 * argument counts `defaultListSize`. Fragments are followed (each fragment costed once per page
 * size, so a document cannot make this walk explode); type conditions are all counted, so
 * abstract selections are over- rather than under-estimated.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  options: CostOptions,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const variableDefaults = new Map<string, unknown>();
  for (const def of operation.variableDefinitions ?? []) {
    if (def.defaultValue?.kind === Kind.INT) variableDefaults.set(def.variable.name.value, Number(def.defaultValue.value));
  }
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const sizeOf = (node: FieldNode, field: GraphQLField<unknown, unknown>): number | undefined => {
    for (const name of SIZE_ARGUMENTS) {
      const arg = field.args.find((a) => a.name === name);
      if (!arg) continue;
      const given = node.arguments?.find((a) => a.name.value === name)?.value;
      let value: unknown;
      if (given?.kind === Kind.INT) value = Number(given.value);
      else if (given?.kind === Kind.VARIABLE) value = variables?.[given.name.value] ?? variableDefaults.get(given.name.value);
      if (typeof value !== 'number' || !Number.isFinite(value))
        value = typeof arg.defaultValue === 'number' ? arg.defaultValue : options.defaultPageSize;
      return Math.max(0, Math.floor(value as number));
    }
    return undefined;
  };

  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, page: number | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue; // __typename and introspection
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue; // unknown fields are the validation rules' business
        const type = getNamedType(field.type);
        if (!isCompositeType(type)) continue;
        const size = sizeOf(selection, field);
        const list = isListType(getNullableType(field.type));
        const multiplier = list ? (size ?? page ?? options.defaultListSize) : 1;
        const below = selection.selectionSet ? costOf(selection.selectionSet, type, list ? undefined : size) : 0;
        total += multiplier * (1 + below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += costOf(selection.selectionSet, type, page);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const key = `${name}@${page ?? ''}`;
        if (!fragment || inProgress.has(key)) continue; // a cycle: refused by NoFragmentCycles anyway
        if (!memo.has(key)) {
          inProgress.add(key);
          memo.set(key, costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), page));
          inProgress.delete(key);
        }
        total += memo.get(key)!;
      }
    }
    return total;
  };

  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return costOf(operation.selectionSet, root ?? undefined, undefined);
}

/** The error for an operation over the cost limit: a 400 with the cost and the limit. */
export function costLimitError(cost: number, limit: number, options: CostOptions): GraphQLError {
  const shown = Number.isFinite(cost) && cost < 1e15 ? String(cost) : 'too large to count';
  return new GraphQLError(
    `the operation's cost ${shown} exceeds the limit of ${limit}: every object counts 1, multiplied by the size of each list above it ` +
      `(first/last/limit, ${options.defaultPageSize} when absent; ${options.defaultListSize} for a list without one); ask for smaller pages or fewer nested lists`,
    {
      extensions: {
        code: 'GRAPHQL_VALIDATION_FAILED',
        rule: 'GATEWAY.COST_LIMIT',
        cost: Number.isFinite(cost) ? cost : null,
        limit,
        http: { status: 400 },
      },
    },
  );
}

/**
 * Refuses an operation whose cost (operationCost) exceeds `limit`, after validation and before
 * any subgraph is called. A plugin rather than a validation rule because the cost depends on the
 * variables (`first: $n`), which validation does not see, and Apollo keeps a document's validation
 * result for every later request with other variables.
 */
export function costLimitPlugin<T extends object>(limit: number, options: CostOptions): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return; // operationResolutionPlugin answers that
          const cost = operationCost(schema, document, operation, request.variables, options);
          if (cost > limit) throw costLimitError(cost, limit, options);
        },
      };
    },
  };
}
