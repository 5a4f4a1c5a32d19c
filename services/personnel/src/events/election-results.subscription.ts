import { ElectionResultCertified, topicOf, type SubscribeOptions } from '@huanjie/events';
import { electionResultCertifiedHandler, type ElectionConsumerDeps } from './election-result-certified.consumer';
import { electionVoidedHandler } from './election-voided.consumer';

/**
 * What personnel takes from elections.election.v1. One consumer group for both events: a result
 * and its void share a key, hence a partition, and one group handles them in that order — two
 * groups could void seats before they existed.
 */
export function electionResultsSubscription(deps: ElectionConsumerDeps & { onEventsRecorded: () => void }): SubscribeOptions {
  const handlers = [electionResultCertifiedHandler(deps), electionVoidedHandler(deps)];
  return {
    group: 'personnel.election-results',
    topics: [topicOf(ElectionResultCertified)],
    handler: async (event) => {
      // Each handler skips events of other names.
      for (const handle of handlers) await handle(event);
      deps.onEventsRecorded();
    },
  };
}
