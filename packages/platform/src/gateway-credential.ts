import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ConfigError } from './config';
import { DomainError } from './errors';

/**
 * The gateway's credential towards the subgraphs: SUBGRAPH_SHARED_SECRET, the same on the gateway
 * and on every subgraph, sent by the gateway on every subgraph request in this header. A subgraph
 * configured with the secret answers GraphQL only to requests that carry it, so a client holding
 * a valid token still cannot skip the gateway's limits (depth, cost, rate, registered operations)
 * by calling a subgraph directly. The value is the secret itself, compared in constant time: the
 * header travels only between the gateway and the subgraphs, on the same internal network (and
 * TLS, where the cluster provides it) as the bearer token that travels beside it; a signed
 * timestamp would add a clock dependency without protecting anything the token does not already
 * expose to whoever can read that traffic.
 */
export const GATEWAY_CREDENTIAL_HEADER = 'x-huanjie-gateway';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** For createHttpServer's `guard`: refuses (401 UNAUTHENTICATED) a request without the gateway's credential. */
export function gatewayCredentialGuard(secret: string): (req: IncomingMessage) => void {
  const expected = digest(secret);
  return (req) => {
    const given = req.headers[GATEWAY_CREDENTIAL_HEADER];
    // Digests of equal length, so neither the comparison's time nor its failure reveals the length.
    if (typeof given === 'string' && timingSafeEqual(digest(given), expected)) return;
    throw new DomainError(
      'UNAUTHENTICATED',
      'AUTH.GATEWAY_CREDENTIAL',
      `this subgraph answers GraphQL only through the gateway: the gateway's credential (${GATEWAY_CREDENTIAL_HEADER}) is missing or wrong`,
    );
  };
}

/**
 * In production (NODE_ENV=production) the gateway and every subgraph refuse to start without
 * SUBGRAPH_SHARED_SECRET; elsewhere (development, tests) it is optional and, when unset, the
 * subgraphs answer anyone with a valid token, as before.
 */
export function requireSubgraphSecretInProduction(env: { NODE_ENV?: string; SUBGRAPH_SHARED_SECRET?: string }): void {
  if (env.NODE_ENV === 'production' && !env.SUBGRAPH_SHARED_SECRET) {
    throw new ConfigError([
      'SUBGRAPH_SHARED_SECRET: required when NODE_ENV=production (at least 32 characters, the same on the gateway and every subgraph)',
    ]);
  }
}
