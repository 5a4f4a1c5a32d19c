// Hive Gateway's configuration for `npm run bench` (loaded by `hive-gateway supergraph <file> -c
// <this file>` in a child process: gateway-processes.ts). The same supergraph file as our gateway,
// the same subgraph URLs, and the same two headers on every subgraph request: the caller's bearer
// token (each subgraph verifies it again) and, when the stack runs with SUBGRAPH_SHARED_SECRET, the
// gateway's credential, without which the subgraphs refuse GraphQL. Everything else is Hive's
// default. Only a type is imported: the file must load without the bench's TypeScript paths.
import type { GatewayCLIConfig } from '@graphql-hive/gateway';

/** The header name comes from the bench (GATEWAY_CREDENTIAL_HEADER in @huanjie/platform). */
const credentialHeader = process.env.BENCH_GATEWAY_CREDENTIAL_HEADER;
const credential = process.env.SUBGRAPH_SHARED_SECRET;

export const gatewayConfig: GatewayCLIConfig = {
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const headers: Record<string, string> = {};
      const authorization = request.headers.get('authorization');
      if (authorization) headers.authorization = authorization;
      if (credentialHeader && credential) headers[credentialHeader] = credential;
      return headers;
    },
  },
  // As ours runs in production: no GraphiQL or landing page, warnings only.
  graphiql: false,
  landingPage: false,
  logging: 'warn',
};
