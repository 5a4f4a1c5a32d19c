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
  education: z.string().describe('学历 — highest education level (enum Education)'),
  politicalStatus: z.string().describe('政治面貌 — political status (enum PoliticalStatus)'),
  reserve: z.boolean().describe('后备干部 — whether the person is a reserve cadre'),
};

export const PersonRegistered = defineEvent({
  name: 'PersonRegistered',
  service: 'personnel',
  aggregate: 'person',
  version: 1,
  description: '人员登记 — a person (cadre, reserve cadre or prospective candidate) was registered',
  schema: z.object(personFacts),
  consumers: ['training'],
});

export const PersonUpdated = defineEvent({
  name: 'PersonUpdated',
  service: 'personnel',
  aggregate: 'person',
  version: 1,
  description: '人员信息变更 — a person\'s record changed; carries the full current facts',
  schema: z.object({ ...personFacts, changedFields: z.array(z.string()).describe('names of the fields that changed') }),
  consumers: [],
});
