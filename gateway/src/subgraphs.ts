import { join } from 'node:path';

/** The five subgraphs, their schema files and their default local URLs (ports 4001–4005). */
export const SUBGRAPHS = [
  { name: 'personnel', port: 4001 },
  { name: 'vetting', port: 4002 },
  { name: 'elections', port: 4003 },
  { name: 'complaints', port: 4004 },
  { name: 'training', port: 4005 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Where a subgraph's SDL lives: src/schema.graphql and, when split, src/schema/*.graphql. */
export const schemaDirOf = (root: string, name: string) => join(root, 'services', name, 'src');
export const defaultUrlOf = (port: number) => `http://localhost:${port}/graphql`;

/** SUBGRAPH_PERSONNEL_URL etc. override where the gateway sends each subgraph's share of a plan. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<SubgraphName, string>> {
  const urls: Partial<Record<SubgraphName, string>> = {};
  for (const { name } of SUBGRAPHS) {
    const value = env[`SUBGRAPH_${name.toUpperCase()}_URL`];
    if (value) urls[name] = value;
  }
  return urls;
}
