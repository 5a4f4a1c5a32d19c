import { CandidateNominated, inboxSubscription, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { openReviewFor } from '../commands/review.commands';

/**
 * Every nominated candidate goes through 联审 (资格审查 before the ballot): the nomination opens
 * their review (ReviewOpened, pre-checks run), once, however often the event arrives — the inbox
 * catches a repeated event id, the one-review-per-candidate key a nomination published again.
 */
export function candidateNominatedConsumer(deps: { dataSource: DataSource; newId: () => string; now: () => Date; onEventsRecorded: () => void }): SubscribeOptions {
  const subscription = inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'vetting.open-review',
    event: CandidateNominated,
    handle: async (data, manager, event) => {
      // The consumer acts for the system, not a user: no region scope on its own write.
      await openReviewFor(
        manager,
        { userId: 'system:CandidateNominated', requestId: event.id, newId: deps.newId, now: deps.now },
        {
          candidateId: data.candidateId,
          electionId: data.electionId,
          personId: data.personId,
          orgUnitId: data.orgUnitId,
          regionPath: data.regionPath,
          openedAt: new Date(event.time),
          openedBy: 'NOMINATION',
          role: data.role ?? null,
        },
      );
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
