import { AuditLogRolesAndImmutability1700000000003, CreateAuditLog1700000000000 } from '@huanjie/platform';
import { AddOutboxTraceparent1700000000002, CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateElectionCyclesAndEligibility1700000003000 } from './1700000003000-create-election-cycles-and-eligibility';
import { CreateElectionsAndCandidates1700000003100 } from './1700000003100-create-elections-and-candidates';
import { CreateTransitions1700000003200 } from './1700000003200-create-transitions';
import { CreateVoterRolls1700000003300 } from './1700000003300-create-voter-rolls';

export const migrations = [
  CreateAuditLog1700000000000,
  CreateOutboxAndInbox1700000000001,
  AddOutboxTraceparent1700000000002,
  AuditLogRolesAndImmutability1700000000003,
  CreateElectionCyclesAndEligibility1700000003000,
  CreateElectionsAndCandidates1700000003100,
  CreateTransitions1700000003200,
  CreateVoterRolls1700000003300,
];
