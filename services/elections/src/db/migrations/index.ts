import { CreateAuditLog1700000000000 } from '@huanjie/platform';
import { CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateElectionCyclesAndEligibility1700000003000 } from './1700000003000-create-election-cycles-and-eligibility';

export const migrations = [CreateAuditLog1700000000000, CreateOutboxAndInbox1700000000001, CreateElectionCyclesAndEligibility1700000003000];
