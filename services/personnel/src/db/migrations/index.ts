import { AuditLogRolesAndImmutability1700000000003, CreateAuditLog1700000000000 } from '@huanjie/platform';
import { AddOutboxTraceparent1700000000002, CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateOrgUnitsAndPeople1700000001000 } from './1700000001000-create-org-units-and-people';
import { PersonProfileAndOrgUnitSearch1700000001100 } from './1700000001100-person-profile-and-org-unit-search';
import { CreateCommitteesTermsPositions1700000001200 } from './1700000001200-create-committees-terms-positions';

export const migrations = [
  CreateAuditLog1700000000000,
  CreateOutboxAndInbox1700000000001,
  AddOutboxTraceparent1700000000002,
  AuditLogRolesAndImmutability1700000000003,
  CreateOrgUnitsAndPeople1700000001000,
  PersonProfileAndOrgUnitSearch1700000001100,
  CreateCommitteesTermsPositions1700000001200,
];
