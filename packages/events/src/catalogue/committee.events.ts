import { z } from 'zod';
import { defineEvent } from './define-event';
import { committeeKind, isoDate, partyOrgForm, positionEndReason, positionRole, regionPath, uuid } from './common';

// personnel.committee.v1 is keyed by the committee id, so the events of one committee — a term
// ending, the next one starting, its seats filled and vacated — reach every consumer in order.

/** Where a committee sits: consumers filter by region and unit without asking personnel. */
const committeeFacts = {
  committeeId: uuid.describe('两委班子 — the committee (also the Kafka key)'),
  committeeKind,
  orgUnitId: uuid.describe('the village or community the committee belongs to'),
  regionPath,
};

const electionId = uuid.nullable().describe('来源选举 — the election whose certified result formed this, or null when entered by hand');

export const TermStarted = defineEvent({
  name: 'TermStarted',
  service: 'personnel',
  aggregate: 'committee',
  version: 1,
  description:
    '新一届班子产生 — a new term (届) of a committee began; the previous term, if any, ended the day before (its seats follow as PositionEnded, the new seats as PositionAssigned)',
  schema: z.object({
    termId: uuid,
    ...committeeFacts,
    partyOrgForm: partyOrgForm.nullable().describe('党组织形式 — for a PARTY committee; null for the other committee'),
    startsOn: isoDate.describe('任期开始 — first day of the term'),
    endsOn: isoDate.describe('任期届满 — last day of the term as scheduled (five years)'),
    previousTermId: uuid.nullable().describe('上一届 — the term this one replaced, or null for the first term on record'),
    memberCount: z.number().int().min(1).describe('班子成员数 — seats filled when the term began'),
    electionId,
  }),
  consumers: ['training'],
});

/** A seat and its holder: ids only, never an ID number or a phone (DESIGN: Security). */
const positionFacts = {
  positionId: uuid,
  termId: uuid,
  ...committeeFacts,
  personId: uuid,
  role: positionRole,
  startsOn: isoDate.describe('任职日期 — first day in the seat'),
  electionId,
};

export const PositionAssigned = defineEvent({
  name: 'PositionAssigned',
  service: 'personnel',
  aggregate: 'committee',
  version: 1,
  description: '任职 — a person took a seat on a committee (elected with a new term, or filled a vacancy)',
  schema: z.object(positionFacts),
  consumers: ['vetting', 'training'],
});

export const PositionEnded = defineEvent({
  name: 'PositionEnded',
  service: 'personnel',
  aggregate: 'committee',
  version: 1,
  description: '离任 — a person left a seat on a committee: the term ended, transfer, resignation, removal, or a voided election',
  schema: z.object({
    ...positionFacts,
    endsOn: isoDate.describe('离任日期 — last day in the seat'),
    endReason: positionEndReason,
  }),
  consumers: ['vetting', 'training'],
});
