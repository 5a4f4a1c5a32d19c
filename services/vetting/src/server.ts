import { randomUUID } from 'node:crypto';
import { ReviewConcluded, topicOf } from '@huanjie/events';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { ReviewStore } from './db/review.store';
import type { VettingContext, VettingDeps } from './deps';
import { candidateNominatedConsumer } from './events/candidate-nominated.consumer';
import { complaintSubstantiatedConsumer } from './events/complaint-substantiated.consumer';
import { complaintFactsSubscription, personFactsSubscription, seatFactsSubscription } from './events/safeguard-facts.consumers';
import { createLoaders, resolvers } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'vetting';
/** Topics vetting publishes to through its outbox. */
export const PUBLISHED_TOPICS: string[] = [
  topicOf(ReviewConcluded), // vetting.review.v1: ReviewOpened, ReviewConcluded, ReviewReopened
];

/** The vetting subgraph: 联审 reviews, the negative lists, pre-checks, pledges and departure audits. */
export async function createServer(options: ServiceDeps & { newId?: () => string; now?: () => Date }) {
  const deps: VettingDeps = {
    dataSource: options.dataSource,
    newId: options.newId ?? randomUUID,
    now: options.now ?? (() => new Date()),
    onEventsRecorded: () => service.nudge(),
  };
  const service = await createSubgraphService<VettingContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    publishes: PUBLISHED_TOPICS,
    subscriptions: [
      candidateNominatedConsumer(deps),
      complaintSubstantiatedConsumer(deps),
      personFactsSubscription(deps),
      seatFactsSubscription(deps),
      complaintFactsSubscription(deps),
    ],
    extendContext: (base) => ({
      ...base,
      deps,
      reviews: new ReviewStore(options.dataSource.manager, base.auth.regionPath),
      loaders: createLoaders(options.dataSource.manager, base.auth.regionPath),
    }),
  });
  return service;
}
