import type { DataSource } from 'typeorm';
import type { BaseRequestContext } from '@huanjie/platform';
import type { ElectionCycleStore } from './db/election-cycle.store';
import type { ElectionsLoaders } from './resolvers';

export interface ElectionsDeps {
  dataSource: DataSource;
  newId: () => string;
}

export interface ElectionsContext extends BaseRequestContext {
  deps: ElectionsDeps;
  cycles: ElectionCycleStore;
  loaders: ElectionsLoaders;
}
