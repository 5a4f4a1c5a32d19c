import { AuditLogRolesAndImmutability1700000000003, CreateAuditLog1700000000000 } from '@huanjie/platform';
import { AddOutboxTraceparent1700000000002, CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateTrainingRecords1700000005000 } from './1700000005000-create-training-records';
import { CreateCoursesAndOnboarding1700000005100 } from './1700000005100-create-courses-and-onboarding';

export const migrations = [CreateAuditLog1700000000000, CreateOutboxAndInbox1700000000001, AddOutboxTraceparent1700000000002, AuditLogRolesAndImmutability1700000000003, CreateTrainingRecords1700000005000, CreateCoursesAndOnboarding1700000005100];
