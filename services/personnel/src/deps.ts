import type { DataSource } from 'typeorm';
import type { BaseRequestContext, PiiCipher } from '@huanjie/platform';
import type { OrgUnitStore } from './db/org-unit.store';
import type { PersonStore } from './db/person.store';
import type { CommitteeLoaders } from './resolvers/committee.loaders';
import type { PersonnelLoaders } from './resolvers/loaders';

export interface PersonnelDeps {
  dataSource: DataSource;
  pii: PiiCipher;
  /** Called after a transaction that wrote to the outbox commits, so the relay publishes at once. */
  onEventsRecorded: () => void;
  /** Injected so tests control time. */
  clock: () => Date;
  newId: () => string;
}

export interface PersonnelContext extends BaseRequestContext {
  deps: PersonnelDeps;
  orgUnits: OrgUnitStore;
  people: PersonStore;
  loaders: PersonnelLoaders;
  /** Committees, terms and seats (committee.loaders.ts). */
  committeeLoaders: CommitteeLoaders;
}
