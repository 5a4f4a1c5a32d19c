import { randomUUID } from 'node:crypto';
import { createSubgraphService, type ServiceDeps } from '@huanjie/service-kit';
import { TrainingRecordStore } from './db/training-record.store';
import { personRegisteredConsumer } from './events/person-registered.consumer';
import { createLoaders, resolvers, type TrainingContext } from './resolvers';
import { sdl } from './schema';

export const SERVICE_NAME = 'training';

/** The training subgraph: training files now; courses, onboarding and mentoring to come. */
export async function createServer(options: ServiceDeps & { newId?: () => string }) {
  const newId = options.newId ?? randomUUID;
  return createSubgraphService<TrainingContext>({
    ...options,
    name: SERVICE_NAME,
    sdl,
    resolvers,
    publishes: [],
    subscriptions: [personRegisteredConsumer({ dataSource: options.dataSource, newId })],
    extendContext: (base) => {
      const records = new TrainingRecordStore(options.dataSource.manager, base.auth.regionPath);
      return { ...base, records, loaders: createLoaders(records) };
    },
  });
}
