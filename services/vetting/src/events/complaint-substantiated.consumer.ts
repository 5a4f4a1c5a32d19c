import { ComplaintSubstantiated, inboxSubscription, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { applyFinding } from '../commands/review.commands';

/**
 * A substantiated complaint (信访举报查实) about a candidate: on a 三个一律 ground the review concludes
 * DISQUALIFIED at once (ReviewConcluded: elections takes the candidate off); on another ground a
 * cleared review reopens (ReviewReopened). Once, however often the event arrives. The safeguards
 * area consumes the same event in its own group for its pre-check facts.
 */
export function complaintSubstantiatedConsumer(deps: { dataSource: DataSource; newId: () => string; now: () => Date; onEventsRecorded: () => void }): SubscribeOptions {
  const subscription = inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'vetting.reopen-on-finding',
    event: ComplaintSubstantiated,
    handle: async (data, manager, event) => {
      await applyFinding(manager, { userId: 'system:ComplaintSubstantiated', requestId: event.id, newId: deps.newId, now: deps.now }, data);
    },
  });
  return {
    ...subscription,
    handler: async (event) => {
      await subscription.handler(event);
      deps.onEventsRecorded();
    },
  };
}
