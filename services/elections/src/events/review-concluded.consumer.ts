import { inboxSubscription, ReviewConcluded, type SubscribeOptions } from '@huanjie/events';
import type { DataSource } from 'typeorm';
import { applyEligibility } from '../commands/candidate.commands';
import { CandidateEligibilityStore } from '../db/candidate-eligibility.store';

/**
 * A concluded 联审 decides whether the candidate may go on the ballot: record the outcome and the
 * negative-list codes, and move a candidate under review to eligible or ineligible — once, however
 * often the event arrives.
 */
export function reviewConcludedConsumer(deps: { dataSource: DataSource }): SubscribeOptions {
  return inboxSubscription({
    dataSource: deps.dataSource,
    consumer: 'elections.record-eligibility',
    event: ReviewConcluded,
    handle: async (data, manager, event) => {
      await new CandidateEligibilityStore(manager).record({
        candidate_id: data.candidateId,
        person_id: data.personId,
        region_path: data.regionPath,
        outcome: data.outcome,
        negative_list_codes: data.negativeListCodes,
        decided_at: new Date(event.time),
      });
      await applyEligibility(manager, data.candidateId);
    },
  });
}
