import { z } from 'zod';
import { defineEvent } from './define-event';
import { divisionCode, isoDate, regionPath, uuid } from './common';

/** What other services may know of a person: no national ID number, no phone (DESIGN: Security). */
const personFacts = {
  personId: uuid,
  orgUnitId: uuid.describe('the org unit (village/community) the person belongs to'),
  orgUnitCode: divisionCode,
  regionPath,
  name: z.string().min(1).max(50).describe('姓名 — name'),
  gender: z.enum(['MALE', 'FEMALE']).describe('性别 — gender'),
  birthDate: isoDate.describe('出生日期 — birth date'),
  ethnicity: z.string().nullable().describe('民族 — ethnic group, a GB/T 3304 name such as 汉族; null only for records made before it was recorded'),
  education: z.string().describe('学历 — highest education level (enum Education)'),
  collegeOrAbove: z.boolean().describe('大专及以上 — college education (大专) or above'),
  politicalStatus: z.string().describe('政治面貌 — political status (enum PoliticalStatus)'),
  partyJoinedOn: isoDate.nullable().describe('入党时间 — date admitted to the Party; null unless a member or probationary member'),
  professionalBackgrounds: z.array(z.string()).describe('专业背景 — professional backgrounds (enum ProfessionalBackground)'),
  sourceTags: z.array(z.string()).describe('来源 — where the person comes from (enum SourceTag), e.g. VETERAN'),
  reserve: z.boolean().describe('后备干部 — whether the person is a reserve cadre'),
  reserveSince: isoDate.nullable().describe('入库时间 — date the person entered the reserve pool; null unless a reserve cadre'),
  reserveOrgUnitId: uuid.nullable().describe('后备干部所属单位 — the unit whose reserve pool it is; null unless a reserve cadre'),
};

export const PersonRegistered = defineEvent({
  name: 'PersonRegistered',
  service: 'personnel',
  aggregate: 'person',
  version: 1,
  description: '人员登记 — a person (cadre, reserve cadre or prospective candidate) was registered',
  schema: z.object(personFacts),
  consumers: ['training', 'vetting'],
});

export const PersonUpdated = defineEvent({
  name: 'PersonUpdated',
  service: 'personnel',
  aggregate: 'person',
  version: 1,
  description: '人员信息变更 — a person\'s record changed; carries the full current facts',
  schema: z.object({ ...personFacts, changedFields: z.array(z.string()).describe('names of the fields that changed') }),
  consumers: ['vetting', 'training'],
});
