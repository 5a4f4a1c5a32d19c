import { AuditLogRolesAndImmutability1700000000003, CreateAuditLog1700000000000 } from '@huanjie/platform';
import { AddOutboxTraceparent1700000000002, CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateComplaints1700000004000 } from './1700000004000-create-complaints';
import { ComplaintWorkflow1700000004100 } from './1700000004100-complaint-workflow';
import { ComplaintVersion1700000004200 } from './1700000004200-complaint-version';

export const migrations = [CreateAuditLog1700000000000, CreateOutboxAndInbox1700000000001, AddOutboxTraceparent1700000000002, AuditLogRolesAndImmutability1700000000003, CreateComplaints1700000004000, ComplaintWorkflow1700000004100, ComplaintVersion1700000004200];
