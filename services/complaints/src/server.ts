import { randomUUID } from 'node:crypto';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { ComplaintStore } from './db/complaint.store';
import type { ComplaintsContext, ComplaintsDeps } from './deps';
import { candidateNominatedConsumer } from './events/candidate-nominated.consumer';
import { createLoaders, resolvers } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'complaints';

/** The complaints subgraph: 信访举报 cases and candidate screening now; investigations, SLA and the risk register to come. */
export async function createServer(options: ServiceDeps & { clock?: () => Date; newId?: () => string }) {
  const deps: ComplaintsDeps = {
    dataSource: options.dataSource,
    clock: options.clock ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
  };
  return createSubgraphService<ComplaintsContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    // ComplaintReceived and the rest go out once the catalogue has them; nothing is published yet.
    publishes: [],
    subscriptions: [candidateNominatedConsumer({ dataSource: options.dataSource })],
    extendContext: (base) => {
      const complaints = new ComplaintStore(options.dataSource.manager, base.auth.regionPath);
      return { ...base, deps, complaints, loaders: createLoaders(complaints) };
    },
  });
}
