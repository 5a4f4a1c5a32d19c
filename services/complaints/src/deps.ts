import type { DataSource } from 'typeorm';
import type { BaseRequestContext } from '@huanjie/platform';
import type { ComplaintStore } from './db/complaint.store';
import type { ComplaintsLoaders } from './resolvers';

export interface ComplaintsDeps {
  dataSource: DataSource;
  /** Injected so tests control time. */
  clock: () => Date;
  newId: () => string;
}

export interface ComplaintsContext extends BaseRequestContext {
  deps: ComplaintsDeps;
  complaints: ComplaintStore;
  loaders: ComplaintsLoaders;
}
