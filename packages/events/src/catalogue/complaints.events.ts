import { z } from 'zod';
import { defineEvent } from './define-event';
import { isoDateTime, regionPath, uuid } from './common';

/** 问题类别: what a complaint is about; the first three are the 三个一律 grounds. */
export const complaintCategory = z
  .enum(['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'ELIGIBILITY', 'PROCEDURE', 'OTHER'])
  .describe(
    '问题类别 — VOTE_BUYING 拉票贿选 / CLAN_INTERFERENCE 宗族宗派干扰 / CRIMINAL_INTERFERENCE 黑恶势力干扰 / ELIGIBILITY 候选人资格 / PROCEDURE 选举程序 / OTHER 其他',
  );

// complaints.complaint.v1 is keyed by the complaint id. A payload never names the complainant:
// who reported is visible to discipline inspection only, inside the complaints service.

export const ComplaintSubstantiated = defineEvent({
  name: 'ComplaintSubstantiated',
  service: 'complaints',
  aggregate: 'complaint',
  version: 1,
  description:
    '查实 — the investigation of a complaint (信访举报) found it true. Against an elected candidate on a 三个一律 ground (vote-buying, clan or criminal interference) the election of that candidate is void',
  schema: z.object({
    complaintId: uuid.describe('举报件 — the complaint (also the Kafka key)'),
    orgUnitId: uuid.describe('the village or community the complaint concerns'),
    regionPath,
    category: complaintCategory,
    electionId: uuid.nullable().describe('选举 — the election the complaint concerns, when it concerns one'),
    subjectPersonIds: z.array(uuid).describe('被反映人 — the people found at fault; ids only'),
    substantiatedAt: isoDateTime.describe('查实时间 — when the finding was made'),
  }),
  consumers: ['elections', 'vetting'],
});
