import { z } from 'zod';
import { defineEvent } from './define-event';
import { regionPath, uuid } from './common';

export const CandidateNominated = defineEvent({
  name: 'CandidateNominated',
  service: 'elections',
  aggregate: 'candidate',
  version: 1,
  description: '推荐提名 — a person was nominated as a candidate in an election; qualification review must follow',
  schema: z.object({
    candidateId: uuid,
    electionId: uuid,
    personId: uuid,
    orgUnitId: uuid,
    regionPath,
    committeeKind: z.enum(['PARTY', 'VILLAGERS', 'RESIDENTS']).describe('两委 — which committee the election fills'),
    nominatedBy: z.enum(['PARTY_MEMBERS', 'VILLAGERS', 'HOUSEHOLDS', 'ORGANISATION', 'SELF']).describe('提名方式 — how the nomination was made'),
  }),
  consumers: ['vetting', 'complaints'],
});
