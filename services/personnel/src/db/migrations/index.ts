import { CreateAuditLog1700000000000 } from '@huanjie/platform';
import { CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateOrgUnitsAndPeople1700000001000 } from './1700000001000-create-org-units-and-people';

export const migrations = [CreateAuditLog1700000000000, CreateOutboxAndInbox1700000000001, CreateOrgUnitsAndPeople1700000001000];
