import type { AccessTable } from './types';
import { personnelAccess } from './personnel';
import { electionsAccess } from './elections';
import { vettingAccess } from './vetting';
import { complaintsAccess } from './complaints';
import { trainingAccess } from './training';

export type { Access, AccessTable, ServiceName } from './types';

/** Every query and mutation of the supergraph, keyed by root field name. */
export const ACCESS: AccessTable = {
  ...personnelAccess,
  ...electionsAccess,
  ...vettingAccess,
  ...complaintsAccess,
  ...trainingAccess,
};
