import type { EntityManager } from 'typeorm';
import { mergeResolvers } from '@huanjie/platform';
import { ElectionCycleStore } from '../db/election-cycle.store';
import { createCycleLoaders, cycleResolvers } from './cycles.resolvers';
import { createElectionLoaders, electionResolvers } from './elections.resolvers';
import { createProgressLoaders, progressResolvers } from './progress.resolvers';
import { createVoterLoaders, voterResolvers } from './voters.resolvers';

export const resolvers = mergeResolvers(cycleResolvers, electionResolvers, progressResolvers, voterResolvers);

/** The request's DataLoaders, one set per area, all reading within the caller's region scope. */
export function createLoaders(db: EntityManager, scopePath: string) {
  return {
    ...createCycleLoaders(new ElectionCycleStore(db, scopePath)),
    ...createElectionLoaders(db, scopePath),
    ...createProgressLoaders(db, scopePath),
    ...createVoterLoaders(db, scopePath),
  };
}

export type ElectionsLoaders = ReturnType<typeof createLoaders>;
