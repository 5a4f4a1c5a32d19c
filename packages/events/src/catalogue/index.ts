import type { EventDefinition } from './define-event';
import { CandidateNominated } from './elections.events';
import { PersonRegistered, PersonUpdated } from './personnel.events';
import { ReviewConcluded } from './vetting.events';

export * from './define-event';
export * from './elections.events';
export * from './personnel.events';
export * from './vetting.events';

/** Every event the platform publishes. Adding one here puts it in proto-docs on the next `npm run docs`. */
export const eventCatalogue: readonly EventDefinition[] = [PersonRegistered, PersonUpdated, CandidateNominated, ReviewConcluded];

export function findEvent(name: string): EventDefinition | undefined {
  return eventCatalogue.find((e) => e.name === name);
}
