import { randomUUID } from 'node:crypto';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { ElectionCycleStore } from './db/election-cycle.store';
import type { ElectionsContext, ElectionsDeps } from './deps';
import { reviewConcludedConsumer } from './events/review-concluded.consumer';
import { createLoaders, resolvers } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'elections';

/** The elections subgraph: 换届 cycles and candidates' eligibility now; elections, nominations, rolls and tallies to come. */
export async function createServer(options: ServiceDeps & { newId?: () => string }) {
  const deps: ElectionsDeps = { dataSource: options.dataSource, newId: options.newId ?? randomUUID };
  return createSubgraphService<ElectionsContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    // CandidateNominated goes out once nominations are taken here; nothing is published yet.
    publishes: [],
    subscriptions: [reviewConcludedConsumer({ dataSource: options.dataSource })],
    extendContext: (base) => {
      const cycles = new ElectionCycleStore(options.dataSource.manager, base.auth.regionPath);
      return { ...base, deps, cycles, loaders: createLoaders(cycles) };
    },
  });
}
