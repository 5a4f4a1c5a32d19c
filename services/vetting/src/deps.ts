import type { DataSource } from 'typeorm';
import type { BaseRequestContext } from '@huanjie/platform';
import type { ReviewStore } from './db/review.store';
import type { VettingLoaders } from './resolvers';

export interface VettingDeps {
  dataSource: DataSource;
  newId: () => string;
  /** The clock for "now" and "today" (deadlines, overdue opinions); tests fix it. */
  now: () => Date;
  /** Wakes the outbox relay after a transaction that recorded events has committed. */
  onEventsRecorded: () => void;
}

export interface VettingContext extends BaseRequestContext {
  deps: VettingDeps;
  reviews: ReviewStore;
  loaders: VettingLoaders;
}
