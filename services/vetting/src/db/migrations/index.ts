import { AuditLogRolesAndImmutability1700000000003, CreateAuditLog1700000000000 } from '@huanjie/platform';
import { AddOutboxTraceparent1700000000002, CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateReviews1700000002000 } from './1700000002000-create-reviews';
import { CreatePolicyAndOpinions1700000002100 } from './1700000002100-create-policy-and-opinions';
import { CreateSafeguards1700000002200 } from './1700000002200-create-safeguards';

export const migrations = [
  CreateAuditLog1700000000000,
  CreateOutboxAndInbox1700000000001,
  AddOutboxTraceparent1700000000002,
  AuditLogRolesAndImmutability1700000000003,
  CreateReviews1700000002000,
  CreatePolicyAndOpinions1700000002100,
  CreateSafeguards1700000002200,
];
