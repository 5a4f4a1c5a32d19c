export { createGateway, readSupergraph, type GatewayContext, type GatewayOptions } from './gateway';
export { composeSupergraph } from './compose';
export { SUBGRAPHS, subgraphUrlsFromEnv, type SubgraphName } from './subgraphs';
export { aliasLimitRule, depthLimitRule, rootFieldLimitRule } from './limits';
export { operationCost, costLimitPlugin, type CostOptions } from './cost';
export { createRateLimiter, type RateLimitOptions } from './rate-limit';
export { loadOperationManifest, parseOperationManifest, sha256Hex, type OperationManifest } from './persisted';
export { envSchema, gatewayOptionsFromEnv, LIMIT_DEFAULTS, type GatewayEnv } from './env';
