import { CandidateNominated, inboxSubscription, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { CandidateScreeningStore } from '../db/candidate-screening.store';

/**
 * Candidates with petitions against them are looked into before the vote (Dujiangyan found 24):
 * each nomination records how many complaints about the person are open, once, however often
 * the event arrives.
 */
export function candidateNominatedConsumer(deps: { dataSource: DataSource }): SubscribeOptions {
  return inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'complaints.screen-candidate',
    event: CandidateNominated,
    handle: async (data, manager, event) => {
      await new CandidateScreeningStore(manager).screen({
        candidate_id: data.candidateId,
        person_id: data.personId,
        region_path: data.regionPath,
        screened_at: new Date(event.time),
      });
    },
  });
}
