export { createGateway, readSupergraph, type GatewayContext, type GatewayOptions } from './gateway';
export { composeSupergraph } from './compose';
export { SUBGRAPHS, subgraphUrlsFromEnv, type SubgraphName } from './subgraphs';
export { aliasLimitRule, depthLimitRule } from './limits';
