import { CandidateNominated, inboxSubscription, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { ReviewStore } from '../db/review.store';

/**
 * Every nominated candidate goes through 联审 (资格审查 before the ballot): the nomination opens
 * their review, once, however often the event arrives.
 */
export function candidateNominatedConsumer(deps: { dataSource: DataSource; newId: () => string }): SubscribeOptions {
  return inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'vetting.open-review',
    event: CandidateNominated,
    handle: async (data, manager, event) => {
      // The consumer acts for the system, not a user: no region scope on its own write.
      await new ReviewStore(manager, '').open({
        id: deps.newId(),
        candidate_id: data.candidateId,
        election_id: data.electionId,
        person_id: data.personId,
        org_unit_id: data.orgUnitId,
        region_path: data.regionPath,
        opened_at: new Date(event.time),
      });
    },
  });
}
