import { z } from 'zod';
import { defineEvent } from './define-event';
import { regionPath, uuid } from './common';

// vetting.review.v1 is keyed by the review id. The payloads carry ids, the region path and the
// state of the review; never what a department found (its note) nor any personal data.

/** 联审层级 — the level of the 三级联审 a review is at. */
const reviewLevel = z
  .enum(['TOWN_FIRST_REVIEW', 'COUNTY_JOINT_REVIEW', 'CITY_RE_REVIEW'])
  .describe('联审层级 — TOWN_FIRST_REVIEW 乡镇初审 / COUNTY_JOINT_REVIEW 县级联审 / CITY_RE_REVIEW 市级复审');

export const ReviewOpened = defineEvent({
  name: 'ReviewOpened',
  service: 'vetting',
  aggregate: 'review',
  version: 1,
  description: '启动联审 — the joint qualification review of a candidate opened (on the nomination, or by hand)',
  schema: z.object({
    reviewId: uuid,
    candidateId: uuid,
    electionId: uuid,
    personId: uuid,
    orgUnitId: uuid,
    regionPath,
    level: reviewLevel.describe('the level it opens at'),
    policyId: z.string().describe('负面清单版本 — the policy (region and version) the review runs under, e.g. 150123000000@2020'),
    openedBy: z.enum(['NOMINATION', 'HAND']).describe('NOMINATION 提名自动启动 / HAND 人工启动'),
  }),
  consumers: [],
});

export const ReviewConcluded = defineEvent({
  name: 'ReviewConcluded',
  service: 'vetting',
  aggregate: 'review',
  version: 1,
  description: '联审结论 — the joint qualification review of a candidate concluded',
  schema: z.object({
    reviewId: uuid,
    candidateId: uuid,
    personId: uuid,
    regionPath,
    outcome: z.enum(['CLEARED', 'DISQUALIFIED']).describe('CLEARED 通过 / DISQUALIFIED 取消资格'),
    negativeListCodes: z.array(z.string()).describe('负面清单 items that applied (empty when cleared)'),
  }),
  consumers: ['elections'],
});

export const ReviewReopened = defineEvent({
  name: 'ReviewReopened',
  service: 'vetting',
  aggregate: 'review',
  version: 1,
  description: '重新审查 — a concluded review opened again (a substantiated complaint about a cleared candidate, or by hand); a new conclusion follows as ReviewConcluded',
  schema: z.object({
    reviewId: uuid,
    candidateId: uuid,
    personId: uuid,
    regionPath,
    level: reviewLevel.describe('the level it reopens at'),
    round: z.number().int().min(2).describe('审查轮次 — the round the review is now in'),
    previousOutcome: z.enum(['CLEARED', 'DISQUALIFIED']).describe('the conclusion set aside'),
    reason: z.enum(['COMPLAINT_SUBSTANTIATED', 'BY_HAND']).describe('COMPLAINT_SUBSTANTIATED 举报查实 / BY_HAND 组织部门决定'),
    complaintId: uuid.nullable().describe('举报件 — the substantiated complaint, when that is the reason'),
  }),
  consumers: [],
});
