import { z } from 'zod';
import { defineEvent } from './define-event';
import { committeeKind, isoDate, isoDateTime, partyOrgForm, positionRole, regionPath, uuid } from './common';

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
    // Added within v1: optional, so events recorded before it still parse.
    role: positionRole.optional().describe('竞选职务 — the seat stood for (the secretary age rule of 联审 needs it)'),
  }),
  consumers: ['vetting', 'complaints'],
});

// elections.election.v1 is keyed by the election id: a result and its voiding travel on one
// partition, so personnel never sees a void before the result it voids.

/** Where the election was held: the committee it fills. */
const electionFacts = {
  electionId: uuid.describe('选举 — the election (also the Kafka key)'),
  orgUnitId: uuid.describe('the village or community that held the election'),
  regionPath,
  committeeKind: committeeKind.describe('两委 — which committee the election filled'),
};

export const ElectionResultCertified = defineEvent({
  name: 'ElectionResultCertified',
  service: 'elections',
  aggregate: 'election',
  version: 1,
  description:
    '选举结果确认 — the result of an election was certified: the winners form the new term of the committee, which replaces the current one',
  schema: z.object({
    ...electionFacts,
    partyOrgForm: partyOrgForm.nullable().describe('党组织形式 — for a PARTY election, the form of the organisation elected; null otherwise'),
    termStartsOn: isoDate.describe('任期开始 — first day of the new term'),
    termEndsOn: isoDate.describe('任期届满 — last day of the new term (five years on)'),
    elected: z
      .array(z.object({ personId: uuid, role: positionRole }))
      .min(1)
      .describe('当选人 — the winners and the seats they won; ids only'),
    certifiedAt: isoDateTime.describe('确认时间 — when the result was certified'),
  }),
  consumers: ['personnel'],
});

export const ElectionVoided = defineEvent({
  name: 'ElectionVoided',
  service: 'elections',
  aggregate: 'election',
  version: 1,
  description:
    '选举结果无效 — a certified result was declared void (三个一律: a winner found to have bought votes, or interference by clan or criminal forces); the named winners leave their seats',
  schema: z.object({
    ...electionFacts,
    personIds: z
      .array(uuid)
      .min(1)
      .describe('当选无效 — the winners whose election is void: every winner when the whole election is void'),
    reason: z
      .enum(['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'PROCEDURE_VIOLATION', 'OTHER'])
      .describe('无效原因 — VOTE_BUYING 拉票贿选 / CLAN_INTERFERENCE 宗族宗派干扰 / CRIMINAL_INTERFERENCE 涉黑涉恶 / PROCEDURE_VIOLATION 违反法定程序 / OTHER 其他'),
    voidedAt: isoDateTime.describe('宣布无效时间 — when the result was declared void'),
  }),
  consumers: ['personnel'],
});
