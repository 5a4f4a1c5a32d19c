import { badInput, conflict, isIsoDate } from '@huanjie/platform';
import type { PledgeKind } from './safeguard-policy.data';

/**
 * The input rules of what vetting records by hand for its safeguards: 民主评议, 诫勉谈话, 处分,
 * 纪律承诺书 and 离任审计 findings. Pure; each refusal names its rule.
 */

/** 处分: 党纪处分 (中国共产党纪律处分条例) and 政务处分 (公职人员政务处分法). */
export const SANCTION_KINDS = [
  'PARTY_WARNING',
  'PARTY_SERIOUS_WARNING',
  'PARTY_POST_REMOVAL',
  'PARTY_PROBATION',
  'PARTY_EXPULSION',
  'GOV_WARNING',
  'GOV_DEMERIT',
  'GOV_MAJOR_DEMERIT',
  'GOV_DEMOTION',
  'GOV_DISMISSAL_FROM_POST',
  'GOV_DISCHARGE',
] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

export const FINDING_STATUSES = ['OPEN', 'RECTIFIED', 'WAIVED'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export function checkDate(rule: string, name: string, value: string): void {
  if (!isIsoDate(value)) throw badInput(rule, `${rule}: ${name} must be a date written yyyy-mm-dd, got ${JSON.stringify(value)}`);
}

function checkNotAfterToday(rule: string, name: string, value: string, today: string): void {
  checkDate(rule, name, value);
  if (value > today) throw badInput(rule, `${rule}: ${name} ${value} lies in the future (today is ${today})`);
}

/** 民主评议: three whole counts, at least one vote, taken on a day that has come. */
export function checkEvaluation(
  input: { evaluatedOn: string; satisfied: number; basicallySatisfied: number; dissatisfied: number },
  today: string,
): void {
  checkNotAfterToday('EVALUATION.DATE', 'evaluatedOn', input.evaluatedOn, today);
  for (const [name, n] of [
    ['satisfied', input.satisfied],
    ['basicallySatisfied', input.basicallySatisfied],
    ['dissatisfied', input.dissatisfied],
  ] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
      throw badInput('EVALUATION.COUNTS', `EVALUATION.COUNTS: ${name} must be a whole number from 0 to 1000000, got ${n}`);
    }
  }
  if (input.satisfied + input.basicallySatisfied + input.dissatisfied === 0) {
    throw badInput('EVALUATION.COUNTS', 'EVALUATION.COUNTS: an evaluation needs at least one vote (满意 + 基本满意 + 不满意 > 0)');
  }
}

/** 诫勉谈话: held on a day that has come, by someone named (a post or name, not an ID number). */
export function checkAdmonition(input: { heldOn: string; heldBy: string }, today: string): void {
  checkNotAfterToday('ADMONITION.DATE', 'heldOn', input.heldOn, today);
  const by = input.heldBy.trim();
  if (by.length < 1 || Array.from(by).length > 100)
    throw badInput('ADMONITION.HELD_BY', 'ADMONITION.HELD_BY: heldBy must be 1–100 characters');
}

/** 处分: a known kind; in force from a day, until a later day or (null) without an end. */
export function checkSanction(input: { kind: string; effectiveFrom: string; effectiveUntil: string | null }): void {
  if (!(SANCTION_KINDS as readonly string[]).includes(input.kind)) {
    throw badInput('SANCTION.KIND', `SANCTION.KIND: kind must be one of ${SANCTION_KINDS.join(', ')}, got ${JSON.stringify(input.kind)}`);
  }
  checkDate('SANCTION.DATES', 'effectiveFrom', input.effectiveFrom);
  if (input.effectiveUntil !== null) {
    checkDate('SANCTION.DATES', 'effectiveUntil', input.effectiveUntil);
    if (input.effectiveUntil < input.effectiveFrom) {
      throw badInput(
        'SANCTION.DATES',
        `SANCTION.DATES: effectiveUntil ${input.effectiveUntil} is before effectiveFrom ${input.effectiveFrom}`,
      );
    }
  }
}

/**
 * 纪律承诺书: a candidate's pledge is for one election (the review it clears); an election worker's
 * and a secretary's are for a 换届 cycle.
 */
export function checkPledge(
  input: { kind: PledgeKind; electionId: string | null; cycleId: string | null; signedOn: string },
  today: string,
): void {
  checkNotAfterToday('PLEDGE.SIGNED_ON', 'signedOn', input.signedOn, today);
  if (input.kind === 'CANDIDATE' && input.electionId === null) {
    throw badInput(
      'PLEDGE.ELECTION_REQUIRED',
      "PLEDGE.ELECTION_REQUIRED: a candidate's pledge (换届纪律承诺书) names the election it is signed for",
    );
  }
  if (input.kind !== 'CANDIDATE' && input.cycleId === null) {
    throw badInput('PLEDGE.CYCLE_REQUIRED', `PLEDGE.CYCLE_REQUIRED: a ${input.kind} pledge names the 换届 cycle it is signed for`);
  }
}

/** 审计发现: what was found, the sum involved (元, optional), and the deadline to put it right. */
export function checkFinding(input: { description: string; amount: number | null; deadline: string }): void {
  const d = input.description.trim();
  if (d.length < 1 || Array.from(d).length > 500)
    throw badInput('AUDIT.FINDING_DESCRIPTION', 'AUDIT.FINDING_DESCRIPTION: description must be 1–500 characters');
  if (
    input.amount !== null &&
    (!Number.isFinite(input.amount) || input.amount < 0 || input.amount > 1e12 || Math.round(input.amount * 100) !== input.amount * 100)
  ) {
    throw badInput(
      'AUDIT.FINDING_AMOUNT',
      `AUDIT.FINDING_AMOUNT: amount must be a non-negative sum in yuan with at most two decimals, got ${input.amount}`,
    );
  }
  checkDate('AUDIT.FINDING_DEADLINE', 'deadline', input.deadline);
}

/** A finding leaves OPEN once, to RECTIFIED (整改到位) or WAIVED (免于整改, by decision); it never reopens. */
export function resolveFinding(current: FindingStatus, next: FindingStatus): FindingStatus {
  if (next === 'OPEN')
    throw badInput('AUDIT.FINDING_STATUS', 'AUDIT.FINDING_STATUS: a finding is resolved as RECTIFIED or WAIVED, not OPEN');
  if (current !== 'OPEN') throw conflict('AUDIT.FINDING_RESOLVED', `AUDIT.FINDING_RESOLVED: the finding is already ${current}`);
  return next;
}
