import type { DataSource } from 'typeorm';
import type { BaseRequestContext, PiiCipher } from '@huanjie/platform';
import type { ElectionCycleStore } from './db/election-cycle.store';
import type { ElectionsLoaders } from './resolvers';

export interface ElectionsDeps {
  dataSource: DataSource;
  newId: () => string;
  /** The clock for "now" and "today" (transition steps, the progress report); tests fix it. Default: new Date(). */
  now?: () => Date;
  /** Wakes the outbox relay after a transaction that recorded events has committed. */
  onEventsRecorded: () => void;
  /** The PII keys (personnel's): the voter roll's blind index of national ID numbers; voter rolls refuse to work without them. */
  pii?: PiiCipher;
}

export interface ElectionsContext extends BaseRequestContext {
  deps: ElectionsDeps;
  cycles: ElectionCycleStore;
  loaders: ElectionsLoaders;
}
