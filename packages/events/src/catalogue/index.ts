import type { EventDefinition } from './define-event';
import { PositionAssigned, PositionEnded, TermStarted } from './committee.events';
import { ComplaintClosed, ComplaintReceived, ComplaintSubstantiated } from './complaints.events';
import { CandidateNominated, ElectionResultCertified, ElectionVoided } from './elections.events';
import { PersonRegistered, PersonUpdated } from './personnel.events';
import { ReviewConcluded, ReviewOpened, ReviewReopened } from './vetting.events';
import { OnboardingChecklistCompleted, TrainingCompleted } from './training.events';

export * from './committee.events';
export * from './complaints.events';
export * from './define-event';
export * from './elections.events';
export * from './personnel.events';
export * from './vetting.events';
export * from './training.events';

/** Every event the platform publishes. Adding one here puts it in proto-docs on the next `npm run docs`. */
export const eventCatalogue: readonly EventDefinition[] = [
  PersonRegistered,
  PersonUpdated,
  TermStarted,
  PositionAssigned,
  PositionEnded,
  CandidateNominated,
  ElectionResultCertified,
  ElectionVoided,
  ReviewOpened,
  ReviewConcluded,
  ReviewReopened,
  ComplaintReceived,
  ComplaintSubstantiated,
  ComplaintClosed,
  TrainingCompleted,
  OnboardingChecklistCompleted,
];

export function findEvent(name: string): EventDefinition | undefined {
  return eventCatalogue.find((e) => e.name === name);
}
