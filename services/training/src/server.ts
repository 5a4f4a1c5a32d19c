import { randomUUID } from 'node:crypto';
import { TrainingCompleted, topicOf } from '@huanjie/events';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import type { TrainingContext, TrainingDeps } from './deps';
import { committeeSubscription } from './events/committee.subscription';
import { personFactsSubscription } from './events/person-facts.subscription';
import { createLoaders, resolvers } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'training';
/** training.enrolment.v1: TrainingCompleted, OnboardingChecklistCompleted. */
export const PUBLISHED_TOPICS = [topicOf(TrainingCompleted)];

/**
 * The training subgraph: training files, courses and sessions with enrolment and waiting lists,
 * automatic onboarding of new committees (初任培训 and the 十个一 checklist), 老带新 mentoring,
 * and the coverage report.
 */
export async function createServer(options: ServiceDeps & { newId?: () => string; now?: () => Date }) {
  const deps: TrainingDeps = {
    dataSource: options.dataSource,
    newId: options.newId ?? randomUUID,
    now: options.now ?? (() => new Date()),
    onEventsRecorded: () => service.nudge(),
  };
  const service = await createSubgraphService<TrainingContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    publishes: PUBLISHED_TOPICS,
    subscriptions: [personFactsSubscription(deps), committeeSubscription(deps)],
    extendContext: (base) => ({ ...base, deps, loaders: createLoaders(options.dataSource.manager, base.auth.regionPath) }),
  });
  return service;
}
