import type { DataSource } from 'typeorm';
import type { BaseRequestContext, PiiCipher } from '@huanjie/platform';
import type { ComplaintStore } from './db/complaint.store';
import type { DeadlinePolicy } from './domain/deadlines.rules';
import type { ComplaintsLoaders } from './resolvers';
import type { AttemptLimiter } from './commands/attempt-limiter';

export interface ComplaintsDeps {
  dataSource: DataSource;
  /** The clock for "now" and "today" (deadlines, escalation, review dates); tests fix it. */
  now: () => Date;
  newId: () => string;
  /** Encrypts the complainant at rest; without it identified complaints are refused (anonymous ones still taken). */
  pii: PiiCipher | null;
  /** The deadline policies per region (data; domain/deadlines.rules DEADLINE_POLICIES by default). */
  deadlinePolicies: readonly DeadlinePolicy[];
  /** Failed receipt-code look-ups per caller. */
  receiptLookups: AttemptLimiter;
  /** Wakes the outbox relay after a transaction that recorded events has committed. */
  onEventsRecorded: () => void;
}

export interface ComplaintsContext extends BaseRequestContext {
  deps: ComplaintsDeps;
  complaints: ComplaintStore;
  loaders: ComplaintsLoaders;
}
