import { z } from 'zod';
import { defineEvent } from './define-event';
import { regionPath, uuid } from './common';

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
