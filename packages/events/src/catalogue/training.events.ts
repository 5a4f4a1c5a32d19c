import { z } from 'zod';
import { defineEvent } from './define-event';
import { isoDate, regionPath, uuid } from './common';

// training.enrolment.v1: what training tells others about its enrolments and onboarding
// checklists. Ids, the region path and dates only: never a score, a certificate number, a name or
// any other personal data (DESIGN: Security). TrainingCompleted is keyed by the enrolment id,
// OnboardingChecklistCompleted by the checklist id.

/** 课程类别 — kinds of course (GLOSSARY: Training). */
export const courseType = z
  .enum(['ELECTION_WORKER', 'POLICY_BRIEFING', 'ONBOARDING', 'ROTATION', 'ADVANCED_SECRETARY', 'DEGREE_UPGRADE'])
  .describe(
    '课程类别 — ELECTION_WORKER 换届工作人员业务培训 / POLICY_BRIEFING 政策宣讲 / ONBOARDING 初任培训 / ROTATION 集中轮训 / ADVANCED_SECRETARY 优秀书记研修 / DEGREE_UPGRADE 学历提升',
  );

export const TrainingCompleted = defineEvent({
  name: 'TrainingCompleted',
  service: 'training',
  aggregate: 'enrolment',
  version: 1,
  description: '结业 — a person completed a course (attended and, where the course is scored, passed); the certificate was issued',
  schema: z.object({
    enrolmentId: uuid.describe('报名 — the enrolment (also the Kafka key)'),
    courseId: uuid,
    courseType,
    sessionId: uuid.describe('培训班次 — the session attended'),
    personId: uuid,
    orgUnitId: uuid.describe('the village or community (or other unit) the person belongs to'),
    regionPath,
    completedOn: isoDate.describe('结业日期 — the day of completion (Asia/Shanghai)'),
    onboarding: z.boolean().describe('初任培训 — whether this completes the onboarding of a new committee member'),
  }),
  consumers: [],
});

export const OnboardingChecklistCompleted = defineEvent({
  name: 'OnboardingChecklistCompleted',
  service: 'training',
  aggregate: 'enrolment',
  version: 1,
  description: '“十个一”履新任务完成 — a new committee finished all ten tasks of its onboarding checklist',
  schema: z.object({
    checklistId: uuid.describe('履新任务清单 — the checklist (also the Kafka key)'),
    committeeId: uuid,
    termId: uuid,
    orgUnitId: uuid,
    regionPath,
    completedOn: isoDate.describe('完成日期 — the day the last task was done'),
  }),
  consumers: [],
});
