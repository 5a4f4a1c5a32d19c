import { randomUUID } from 'node:crypto';
import type { PiiCipher } from '@huanjie/platform';
import { PersonRegistered, TermStarted, topicOf } from '@huanjie/events';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { OrgUnitStore } from './db/org-unit.store';
import { PersonStore } from './db/person.store';
import type { PersonnelContext, PersonnelDeps } from './deps';
import { electionResultsSubscription } from './events/election-results.subscription';
import { resolvers } from './resolvers';
import { createCommitteeLoaders } from './resolvers/committee.loaders';
import { createLoaders } from './resolvers/loaders';
import { importRoute, type ImportRouteOptions } from './import/import.route';
import { sdl } from './schema';

export interface PersonnelServerOptions extends ServiceDeps {
  pii: PiiCipher;
  clock?: () => Date;
  newId?: () => string;
  /** POST /import (bulk CSV import): size and row limits, rows per transaction. */
  import?: ImportRouteOptions;
}

export const SERVICE_NAME = 'personnel';
/** PersonRegistered and PersonUpdated share the person topic; TermStarted, PositionAssigned and PositionEnded the committee topic. */
export const PUBLISHED_TOPICS = [topicOf(PersonRegistered), topicOf(TermStarted)];

/** The personnel subgraph: the org tree and people. */
export async function createServer(options: PersonnelServerOptions) {
  const { dataSource } = options;
  const deps: PersonnelDeps = {
    dataSource,
    pii: options.pii,
    onEventsRecorded: () => service.nudge(),
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
  };
  const service = await createSubgraphService<PersonnelContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    publishes: PUBLISHED_TOPICS,
    subscriptions: [electionResultsSubscription(deps)],
    extraRoutes: { '/import': importRoute(options.import) },
    extendContext: (base) => {
      const orgUnits = new OrgUnitStore(dataSource.manager, base.auth.regionPath);
      const people = new PersonStore(dataSource.manager, base.auth.regionPath);
      const committeeLoaders = createCommitteeLoaders(dataSource.manager, base.auth.regionPath);
      return { ...base, deps, orgUnits, people, loaders: createLoaders(orgUnits, people), committeeLoaders };
    },
  });
  return service;
}
