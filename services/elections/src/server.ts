import { randomUUID } from 'node:crypto';
import { CandidateNominated, ElectionResultCertified, topicOf } from '@huanjie/events';
import type { PiiCipher } from '@huanjie/platform';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { ElectionCycleStore } from './db/election-cycle.store';
import type { ElectionsContext, ElectionsDeps } from './deps';
import { complaintSubstantiatedConsumer } from './events/complaint-substantiated.consumer';
import { reviewConcludedConsumer } from './events/review-concluded.consumer';
import { createLoaders, resolvers } from './resolvers';
import { sdl } from './schema';
import { VOTER_IMPORT_PATH, voterImportRoute, type VoterImportRouteOptions } from './import/voter-import.route';

export const SERVICE_NAME = 'elections';
/** CandidateNominated on the candidate topic; ElectionResultCertified and ElectionVoided share the election topic. */
export const PUBLISHED_TOPICS = [topicOf(CandidateNominated), topicOf(ElectionResultCertified)];

/** The elections subgraph: 换届 cycles and their progress, elections, candidates, voter rolls, tallies and results. */
export async function createServer(
  options: ServiceDeps & { newId?: () => string; now?: () => Date; /** PII keys (voter blind index) */ pii?: PiiCipher; /** POST /voters/import */ voterImport?: VoterImportRouteOptions },
) {
  const deps: ElectionsDeps = { dataSource: options.dataSource, newId: options.newId ?? randomUUID, ...(options.now ? { now: options.now } : {}), onEventsRecorded: () => service.nudge() };
  if (options.pii) deps.pii = options.pii;
  const service = await createSubgraphService<ElectionsContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    publishes: PUBLISHED_TOPICS,
    extraRoutes: { [VOTER_IMPORT_PATH]: voterImportRoute(options.voterImport) },
    subscriptions: [
      reviewConcludedConsumer({ dataSource: options.dataSource }),
      complaintSubstantiatedConsumer(deps),
    ],
    extendContext: (base) => {
      const cycles = new ElectionCycleStore(options.dataSource.manager, base.auth.regionPath);
      return { ...base, deps, cycles, loaders: createLoaders(options.dataSource.manager, base.auth.regionPath) };
    },
  });
  return service;
}
