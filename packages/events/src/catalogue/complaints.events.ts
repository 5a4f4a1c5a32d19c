import { z } from 'zod';
import { defineEvent } from './define-event';
import { isoDateTime, regionPath, uuid } from './common';

/**
 * 问题类别: what a complaint is about; the first three are the 三个一律 grounds. FINANCES and CONDUCT
 * were added later (consumers switch on the three 三个一律 values and treat the rest alike).
 */
export const complaintCategory = z
  .enum(['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'ELIGIBILITY', 'PROCEDURE', 'FINANCES', 'CONDUCT', 'OTHER'])
  .describe(
    '问题类别 — VOTE_BUYING 拉票贿选 / CLAN_INTERFERENCE 宗族宗派干扰 / CRIMINAL_INTERFERENCE 黑恶势力干扰 / ELIGIBILITY 候选人资格 / PROCEDURE 选举程序 / FINANCES 村(社区)财务 / CONDUCT 作风纪律 / OTHER 其他',
  );

/** 受理渠道: how a complaint came in. */
export const complaintChannel = z
  .enum(['HOTLINE', 'EMAIL', 'LETTER', 'VISIT', 'ONLINE', 'SUPERVISION_GROUP', 'REFERRAL_12345'])
  .describe('受理渠道 — HOTLINE 举报电话 / EMAIL 电子邮件 / LETTER 来信 / VISIT 来访 / ONLINE 网络举报 / SUPERVISION_GROUP 督导组 / REFERRAL_12345 12345热线转办');

/** 严重程度. */
export const complaintSeverity = z.enum(['LOW', 'MEDIUM', 'HIGH']).describe('严重程度 — LOW 一般 / MEDIUM 较重 / HIGH 严重');

// complaints.complaint.v1 is keyed by the complaint id. A payload never names the complainant (nor
// says whether there is one) and never carries the description: who reported and what they wrote
// are visible inside the complaints service only, the complainant to discipline inspection only.

export const ComplaintReceived = defineEvent({
  name: 'ComplaintReceived',
  service: 'complaints',
  aggregate: 'complaint',
  version: 1,
  description: '受理登记 — a complaint (信访举报) was received and registered; its first-response deadline is set',
  schema: z.object({
    complaintId: uuid.describe('举报件 — the complaint (also the Kafka key)'),
    orgUnitId: uuid.describe('the village or community the complaint concerns'),
    regionPath,
    category: complaintCategory,
    channel: complaintChannel,
    severity: complaintSeverity,
    electionId: uuid.nullable().describe('选举 — the election the complaint concerns, when it concerns one'),
    subjectPersonIds: z.array(uuid).describe('被反映人 — the people complained about; ids only'),
    electionPeriod: z.boolean().describe('换届期间 — handled under the election-period deadline (日结日清, first response within 24 hours)'),
    receivedAt: isoDateTime.describe('受理时间 — when it was received'),
    firstResponseDue: isoDateTime.describe('首次答复期限 — when the first response (accept, reject or merge) is due'),
  }),
  consumers: [],
});

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
    severity: complaintSeverity.optional().describe('严重程度 — added later; absent in older events'),
  }),
  consumers: ['elections', 'vetting'],
});

export const ComplaintClosed = defineEvent({
  name: 'ComplaintClosed',
  service: 'complaints',
  aggregate: 'complaint',
  version: 1,
  description: '办结 — a complaint left the workflow: closed after a finding, rejected (不予受理), or merged into another case (重复件合并)',
  schema: z.object({
    complaintId: uuid.describe('举报件 — the complaint (also the Kafka key)'),
    orgUnitId: uuid.describe('the village or community the complaint concerns'),
    regionPath,
    category: complaintCategory,
    outcome: z
      .enum(['SUBSTANTIATED', 'UNSUBSTANTIATED', 'REJECTED', 'MERGED'])
      .describe('办结方式 — SUBSTANTIATED 查实 / UNSUBSTANTIATED 查否 / REJECTED 不予受理 / MERGED 并入他件'),
    mergedIntoComplaintId: uuid.nullable().describe('并入 — the case it was merged into (MERGED only)'),
    overdue: z.boolean().describe('超期 — whether a deadline of the case was missed'),
    closedAt: isoDateTime.describe('办结时间'),
  }),
  consumers: [],
});
