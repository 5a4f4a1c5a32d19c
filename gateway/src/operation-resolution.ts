import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A document whose operation cannot be picked (several operations and no operationName, or an
 * operationName the document does not define) or that asks for an operation type the graph does
 * not have (subscriptions) is the client's mistake: a 400 with a typed code, not the 500 the
 * gateway's executor would otherwise produce. Nothing runs either way.
 */
export function operationResolutionPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName, schema }) {
          if (!operation) {
            throw new GraphQLError(
              operationName ? `the document has no operation named ${JSON.stringify(operationName).slice(0, 80)}` : 'the document has several operations: name the one to run (operationName)',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
          const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
          if (!root) {
            throw new GraphQLError(`this graph has no ${operation.operation} operations`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
