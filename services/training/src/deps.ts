import type { DataSource } from 'typeorm';
import type { BaseRequestContext } from '@huanjie/platform';
import type { TrainingLoaders } from './resolvers';

export interface TrainingDeps {
  dataSource: DataSource;
  newId: () => string;
  /** The clock for "now" and "today" (completion dates, the report's default window); tests fix it. */
  now: () => Date;
  /** Wakes the outbox relay after a transaction that recorded events has committed. */
  onEventsRecorded: () => void;
}

export interface TrainingContext extends BaseRequestContext {
  deps: TrainingDeps;
  loaders: TrainingLoaders;
}
