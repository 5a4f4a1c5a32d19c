import { badInput, isIsoDate, isUuid } from '@huanjie/platform';
import { length } from './complaint.rules';

/**
 * 风险防控 — the risk register, 一村一策 (one plan per village; Wuhou listed 56 risk points before
 * its Party elections, Chenghua kept "一账一策一人": a ledger, a plan and a person responsible).
 * Pure rules: kinds, levels, states, and the highest open level of a unit.
 */
export const RISK_TYPES = [
  'WEAK_ORGANISATION',
  'PETITIONS',
  'CLAN_INFLUENCE',
  'CRIMINAL_INFLUENCE',
  'VOTE_BUYING',
  'CANDIDATE_DISPUTE',
  'FINANCES',
  'PUBLIC_OPINION',
  'EPIDEMIC',
  'OTHER',
] as const;
export type RiskType = (typeof RISK_TYPES)[number];
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_STATUSES = ['OPEN', 'MITIGATING', 'RESOLVED'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];
export const OPEN_RISK_STATUSES: readonly RiskStatus[] = ['OPEN', 'MITIGATING'];

export const PLAN_MAX = 2000;
export const TITLE_MAX = 100;

/** The highest of some levels, or null for none. */
export function highestLevel(levels: readonly RiskLevel[]): RiskLevel | null {
  return levels.reduce<RiskLevel | null>((best, l) => (best === null || RISK_LEVELS.indexOf(l) > RISK_LEVELS.indexOf(best) ? l : best), null);
}

export interface RiskItemInput {
  type: RiskType;
  level: RiskLevel;
  title: string;
  ownerPersonId: string;
  mitigationPlan: string;
  reviewOn: string;
}

export interface RiskItemPlan {
  type: RiskType;
  level: RiskLevel;
  title: string;
  ownerPersonId: string;
  mitigationPlan: string;
  reviewOn: string;
}

/** Checks a risk item (new, or the fields of one being updated merged over the current ones). */
export function checkRiskItem(input: RiskItemInput, today: string): RiskItemPlan {
  if (!(RISK_TYPES as readonly string[]).includes(input.type)) throw badInput('RISK.TYPE', `type must be one of ${RISK_TYPES.join(', ')}`);
  if (!(RISK_LEVELS as readonly string[]).includes(input.level)) throw badInput('RISK.LEVEL', 'level is LOW, MEDIUM or HIGH');
  const title = input.title.trim();
  if (length(title) < 1 || length(title) > TITLE_MAX) throw badInput('RISK.TITLE', `title (风险点) must be 1–${TITLE_MAX} characters`);
  if (!isUuid(input.ownerPersonId)) throw badInput('RISK.OWNER', 'ownerPersonId (责任人) must be the id (a UUID) of a person');
  const mitigationPlan = input.mitigationPlan.trim();
  if (length(mitigationPlan) < 1 || length(mitigationPlan) > PLAN_MAX) throw badInput('RISK.PLAN', `mitigationPlan (防控措施) must be 1–${PLAN_MAX} characters`);
  if (!isIsoDate(input.reviewOn)) throw badInput('RISK.REVIEW_ON', 'reviewOn must be a date (yyyy-mm-dd)');
  if (input.reviewOn < today) throw badInput('RISK.REVIEW_ON', `reviewOn (复核日期) must be today (${today}) or later`);
  return { type: input.type, level: input.level, title, ownerPersonId: input.ownerPersonId.toLowerCase(), mitigationPlan, reviewOn: input.reviewOn };
}

/** A risk item whose review date has passed while it is still open. */
export function reviewOverdue(item: { status: RiskStatus; reviewOn: string }, today: string): boolean {
  return OPEN_RISK_STATUSES.includes(item.status) && item.reviewOn < today;
}
