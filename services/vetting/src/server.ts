import { randomUUID } from 'node:crypto';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { ReviewStore } from './db/review.store';
import { candidateNominatedConsumer } from './events/candidate-nominated.consumer';
import { createLoaders, resolvers, type VettingContext } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'vetting';

/** The vetting subgraph: joint qualification reviews now; opinions, negative list, pledges and departure audits to come. */
export async function createServer(options: ServiceDeps & { newId?: () => string }) {
  const newId = options.newId ?? randomUUID;
  return createSubgraphService<VettingContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    // ReviewConcluded goes out once reviews can be concluded; nothing is published yet.
    publishes: [],
    subscriptions: [candidateNominatedConsumer({ dataSource: options.dataSource, newId })],
    extendContext: (base) => {
      const reviews = new ReviewStore(options.dataSource.manager, base.auth.regionPath);
      return { ...base, reviews, loaders: createLoaders(reviews) };
    },
  });
}
