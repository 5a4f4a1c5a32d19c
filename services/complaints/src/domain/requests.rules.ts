import { badInput, conflict, isIsoDate, isUuid } from '@huanjie/platform';
import { length } from './complaint.rules';

/**
 * 我为群众办实事 — residents' requests raised during the 换届 and where they were resolved (Baoshan:
 * 13,554 problems, 90% resolved in the village or residential area). No resident's identity is
 * kept: a request is what was asked, where, and where it was settled.
 */
export const REQUEST_CATEGORIES = ['LIVELIHOOD', 'ENVIRONMENT', 'INFRASTRUCTURE', 'SOCIAL_SECURITY', 'DISPUTE', 'GOVERNANCE', 'OTHER'] as const;
export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];
export const RESOLUTION_LEVELS = ['VILLAGE', 'TOWN', 'DISTRICT'] as const;
export type ResolutionLevel = (typeof RESOLUTION_LEVELS)[number];

export interface RaiseRequestInput {
  orgUnitId: string;
  regionCode: string;
  category: RequestCategory;
  summary: string;
  raisedOn: string;
  cycleId?: string | null;
}

export function checkRequest(input: Omit<RaiseRequestInput, 'regionCode'>, today: string) {
  if (!isUuid(input.orgUnitId)) throw badInput('REQUEST.ORG_UNIT_ID', 'orgUnitId must be the id (a UUID) of the village or community');
  if (!(REQUEST_CATEGORIES as readonly string[]).includes(input.category)) throw badInput('REQUEST.CATEGORY', `category must be one of ${REQUEST_CATEGORIES.join(', ')}`);
  const summary = input.summary.trim();
  if (length(summary) < 1 || length(summary) > 500) throw badInput('REQUEST.SUMMARY', 'summary (诉求) must be 1–500 characters');
  if (!isIsoDate(input.raisedOn) || input.raisedOn > today) throw badInput('REQUEST.RAISED_ON', `raisedOn must be a date (yyyy-mm-dd) no later than today (${today})`);
  if (input.cycleId != null && !isUuid(input.cycleId)) throw badInput('REQUEST.CYCLE_ID', 'cycleId must be the id (a UUID) of an election cycle, or omitted');
  return { orgUnitId: input.orgUnitId.toLowerCase(), category: input.category, summary, raisedOn: input.raisedOn, cycleId: input.cycleId ?? null };
}

export function checkResolution(request: { resolvedOn: string | null; raisedOn: string }, level: ResolutionLevel, resolvedOn: string, today: string) {
  if (request.resolvedOn !== null) throw conflict('REQUEST.ALREADY_RESOLVED', 'REQUEST.ALREADY_RESOLVED: the request is resolved already');
  if (!(RESOLUTION_LEVELS as readonly string[]).includes(level)) throw badInput('REQUEST.LEVEL', 'level is VILLAGE, TOWN or DISTRICT');
  if (!isIsoDate(resolvedOn) || resolvedOn < request.raisedOn || resolvedOn > today) {
    throw badInput('REQUEST.RESOLVED_ON', `resolvedOn must be a date between the day it was raised (${request.raisedOn}) and today (${today})`);
  }
}

/** The share resolved in the village (居村): of the resolved requests, those settled at VILLAGE level. Null when none is resolved. */
export function villageShare(counts: { resolved: number; resolvedInVillage: number }): number | null {
  return counts.resolved === 0 ? null : counts.resolvedInVillage / counts.resolved;
}
