import { badInput, conflict, forbidden, isIsoDate } from '@huanjie/platform';
import { itemOf, levelPolicy, type DepartmentCode, type ReviewLevel, type ReviewPolicy, isDepartmentCode } from './negative-lists.data';

/**
 * The 联审 of one candidate as a state machine, without I/O. A review is open (OPEN, or REOPENED
 * after a conclusion) at one level of the policy's 三级联审 (town first review → county joint review
 * → city re-review where the policy has it); the departments the policy names for that level give
 * their opinions; the organisation department advances it level by level and concludes it CLEARED
 * or DISQUALIFIED. A conclusion can be reopened: the review goes back to the policy's `reopenAt`
 * level in a new round, and the opinions of earlier rounds stay on record but no longer count.
 */
export const REVIEW_STATUSES = ['OPEN', 'REOPENED', 'CLEARED', 'DISQUALIFIED'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const DECISIONS = ['CLEAR', 'CONCERN', 'BAR'] as const;
export type Decision = (typeof DECISIONS)[number];
export type Outcome = 'CLEARED' | 'DISQUALIFIED';

export const isOpen = (status: ReviewStatus) => status === 'OPEN' || status === 'REOPENED';

export interface ReviewState {
  status: ReviewStatus;
  level: ReviewLevel;
  round: number;
}

/** An opinion as the rules see it. `current`: the latest of its department at its level in the review's current round. */
export interface OpinionFact {
  id: string;
  level: ReviewLevel;
  department: DepartmentCode;
  decision: Decision;
  itemCodes: readonly string[];
  current: boolean;
}

/** Who the caller is for 联审: a REVIEWER speaks for the department in their token, a TOWN_OFFICER for the township. */
export function callerDepartment(auth: { roles: readonly string[]; department?: string }): DepartmentCode | null {
  if (auth.roles.includes('REVIEWER') && auth.department && isDepartmentCode(auth.department)) return auth.department;
  if (auth.roles.includes('TOWN_OFFICER')) return 'TOWNSHIP';
  return null;
}

const MAX_NOTE = 2000;

export interface OpinionInput {
  /** The department the opinion is for; the caller's own when omitted. */
  department?: string | null;
  decision: Decision;
  itemCodes: readonly string[];
  note: string;
}

/**
 * Checks an opinion before it is recorded: only a department's own reviewer gives its opinion
 * (FORBIDDEN REVIEW.OWN_DEPARTMENT_ONLY, for an ORG_ADMIN too: the organisation department
 * concludes, its REVIEWER gives its opinion); only while the review is open and only a department
 * the level requires; items from the review's policy; a BAR names at least one negative item, a
 * CLEAR none; a CONCERN or BAR says why.
 */
export function checkOpinion(
  policy: ReviewPolicy,
  review: ReviewState,
  caller: { roles: readonly string[]; department?: string },
  input: OpinionInput,
): { department: DepartmentCode; decision: Decision; itemCodes: string[]; note: string } {
  const own = callerDepartment(caller);
  const department = input.department ?? own;
  if (own === null || department !== own) {
    throw forbidden(
      'REVIEW.OWN_DEPARTMENT_ONLY',
      `REVIEW.OWN_DEPARTMENT_ONLY: an opinion is given by its own department's reviewer; you speak for ${own ?? 'no 联审 department'}, not ${department ?? 'another department'}`,
    );
  }
  if (!isOpen(review.status)) {
    throw conflict('REVIEW.CONCLUDED', `REVIEW.CONCLUDED: the review is ${review.status}; opinions are taken only while it is open`);
  }
  const level = levelPolicy(policy, review.level);
  if (!level?.departments.includes(department)) {
    throw conflict(
      'REVIEW.DEPARTMENT_NOT_AT_LEVEL',
      `REVIEW.DEPARTMENT_NOT_AT_LEVEL: the ${review.level} of this review asks ${level?.departments.join(', ') ?? 'nobody'}; ${department} is not one of them`,
    );
  }
  if (!(DECISIONS as readonly string[]).includes(input.decision)) {
    throw badInput('REVIEW.DECISION', `REVIEW.DECISION: an opinion is CLEAR, CONCERN or BAR, got ${input.decision}`);
  }
  const itemCodes = [...new Set(input.itemCodes.map((c) => c.trim()))];
  const unknown = itemCodes.filter((c) => !itemOf(policy, c));
  if (unknown.length > 0) {
    throw badInput('REVIEW.UNKNOWN_ITEM', `REVIEW.UNKNOWN_ITEM: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not on the list of policy ${policy.id}`);
  }
  const negative = itemCodes.filter((c) => itemOf(policy, c)!.kind === 'NEGATIVE');
  if (input.decision === 'BAR' && negative.length === 0) {
    throw badInput('REVIEW.BAR_NEEDS_ITEM', 'REVIEW.BAR_NEEDS_ITEM: a BAR opinion names at least one negative-list item it finds');
  }
  if (input.decision === 'CLEAR' && negative.length > 0) {
    throw badInput('REVIEW.CLEAR_CITES_NEGATIVE', `REVIEW.CLEAR_CITES_NEGATIVE: a CLEAR opinion cannot find negative-list items (${negative.join(', ')}); give CONCERN or BAR`);
  }
  const note = input.note.trim();
  if (Array.from(note).length > MAX_NOTE) throw badInput('REVIEW.NOTE', `REVIEW.NOTE: the note is at most ${MAX_NOTE} characters`);
  if (input.decision !== 'CLEAR' && note.length === 0) {
    throw badInput('REVIEW.NOTE_REQUIRED', `REVIEW.NOTE_REQUIRED: a ${input.decision} opinion says what was found`);
  }
  return { department, decision: input.decision, itemCodes, note };
}

/** The required departments of a level that have no current opinion there. */
export function missingDepartments(policy: ReviewPolicy, level: ReviewLevel, opinions: readonly OpinionFact[]): DepartmentCode[] {
  const answered = new Set(opinions.filter((o) => o.current && o.level === level).map((o) => o.department));
  return (levelPolicy(policy, level)?.departments ?? []).filter((d) => !answered.has(d));
}

/** The level after `level` in the policy, or null at the last. */
export function nextLevel(policy: ReviewPolicy, level: ReviewLevel): ReviewLevel | null {
  const i = policy.levels.findIndex((l) => l.level === level);
  return policy.levels[i + 1]?.level ?? null;
}

/** 逐级审查: the review moves on when every department the level requires has answered. */
export function advance(policy: ReviewPolicy, review: ReviewState, opinions: readonly OpinionFact[]): ReviewLevel {
  if (!isOpen(review.status)) throw conflict('REVIEW.CONCLUDED', `REVIEW.CONCLUDED: the review is ${review.status}`);
  const missing = missingDepartments(policy, review.level, opinions);
  if (missing.length > 0) {
    throw conflict('REVIEW.OPINIONS_MISSING', `REVIEW.OPINIONS_MISSING: the ${review.level} still waits for ${missing.join(', ')}`);
  }
  const next = nextLevel(policy, review.level);
  if (next === null) {
    throw conflict('REVIEW.LAST_LEVEL', `REVIEW.LAST_LEVEL: ${review.level} is the last level of policy ${policy.id}; conclude the review`);
  }
  return next;
}

export interface ConclusionInput {
  outcome: Outcome;
  itemCodes: readonly string[];
  opinionIds: readonly string[];
  /** To clear over a standing BAR on items that need a decision: why (at least 10 characters). */
  overruleReason?: string | null;
}

export interface Conclusion {
  outcome: Outcome;
  itemCodes: string[];
  opinionIds: string[];
  complaintIds: string[];
  overruleReason: string | null;
}

const MIN_OVERRULE_REASON = 10;

/**
 * 审查结论 by the organisation department.
 *
 * CLEARED: only at the policy's last level with every department there answered (CONFLICT
 * REVIEW.LEVELS_REMAINING / REVIEW.OPINIONS_MISSING). A standing BAR (a current BAR opinion of
 * any level of this round) blocks it: a BAR on an item that BARS cannot be overruled (CONFLICT
 * REVIEW.BARRED: the department itself must revise its opinion); a BAR only on items that need a
 * decision can be overruled with a written reason (CONFLICT REVIEW.BAR_STANDS without one).
 *
 * DISQUALIFIED: at any level (a BAR found at the town's first review need not wait for the county),
 * citing at least one negative-list item and at least one current opinion of this review that is a
 * CONCERN or BAR (BAD_USER_INPUT REVIEW.CITATION_REQUIRED), and every cited item found by one of the
 * cited opinions (REVIEW.CITATION_UNSUPPORTED).
 */
export function checkConclusion(policy: ReviewPolicy, review: ReviewState, opinions: readonly OpinionFact[], input: ConclusionInput): Conclusion {
  if (!isOpen(review.status)) throw conflict('REVIEW.CONCLUDED', `REVIEW.CONCLUDED: the review is already ${review.status}`);
  const itemCodes = [...new Set(input.itemCodes.map((c) => c.trim()))];
  const opinionIds = [...new Set(input.opinionIds)];
  const current = opinions.filter((o) => o.current);
  if (input.outcome === 'CLEARED') {
    if (itemCodes.length > 0) throw badInput('REVIEW.CLEARED_CITES_ITEMS', 'REVIEW.CLEARED_CITES_ITEMS: a CLEARED conclusion cites no negative-list items');
    if (nextLevel(policy, review.level) !== null) {
      throw conflict(
        'REVIEW.LEVELS_REMAINING',
        `REVIEW.LEVELS_REMAINING: the review is at ${review.level}; it is cleared only after ${policy.levels.at(-1)!.level}`,
      );
    }
    const missing = missingDepartments(policy, review.level, opinions);
    if (missing.length > 0) {
      throw conflict('REVIEW.OPINIONS_MISSING', `REVIEW.OPINIONS_MISSING: the ${review.level} still waits for ${missing.join(', ')}`);
    }
    const bars = current.filter((o) => o.decision === 'BAR');
    const barring = bars.filter((o) => o.itemCodes.some((c) => itemOf(policy, c)?.effect === 'BARS'));
    if (barring.length > 0) {
      throw conflict(
        'REVIEW.BARRED',
        `REVIEW.BARRED: ${barring.map((o) => `${o.department} found ${o.itemCodes.join(', ')}`).join('; ')} — items that bar outright; the department must revise its opinion before the review can clear`,
      );
    }
    const reason = input.overruleReason?.trim() ?? '';
    if (bars.length > 0 && Array.from(reason).length < MIN_OVERRULE_REASON) {
      throw conflict(
        'REVIEW.BAR_STANDS',
        `REVIEW.BAR_STANDS: ${bars.map((o) => o.department).join(', ')} barred the candidate; clearing over it needs an overrule reason of at least ${MIN_OVERRULE_REASON} characters`,
      );
    }
    return { outcome: 'CLEARED', itemCodes: [], opinionIds: [], complaintIds: [], overruleReason: bars.length > 0 ? reason : null };
  }
  if (input.outcome !== 'DISQUALIFIED') throw badInput('REVIEW.OUTCOME', `REVIEW.OUTCOME: a review concludes CLEARED or DISQUALIFIED, got ${input.outcome}`);
  if (itemCodes.length === 0 || opinionIds.length === 0) {
    throw badInput(
      'REVIEW.CITATION_REQUIRED',
      'REVIEW.CITATION_REQUIRED: a DISQUALIFIED conclusion cites at least one negative-list item and at least one opinion that found it',
    );
  }
  const notNegative = itemCodes.filter((c) => itemOf(policy, c)?.kind !== 'NEGATIVE');
  if (notNegative.length > 0) {
    throw badInput('REVIEW.UNKNOWN_ITEM', `REVIEW.UNKNOWN_ITEM: ${notNegative.join(', ')} ${notNegative.length > 1 ? 'are' : 'is'} not a negative-list item of policy ${policy.id}`);
  }
  const cited = opinionIds.map((id) => current.find((o) => o.id === id));
  const bad = opinionIds.filter((_, i) => !cited[i] || cited[i]!.decision === 'CLEAR');
  if (bad.length > 0) {
    throw badInput(
      'REVIEW.CITATION_REQUIRED',
      `REVIEW.CITATION_REQUIRED: ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not a current CONCERN or BAR opinion of this review`,
    );
  }
  const found = new Set(cited.flatMap((o) => o!.itemCodes));
  const unsupported = itemCodes.filter((c) => !found.has(c));
  if (unsupported.length > 0) {
    throw badInput('REVIEW.CITATION_UNSUPPORTED', `REVIEW.CITATION_UNSUPPORTED: no cited opinion found ${unsupported.join(', ')}`);
  }
  return { outcome: 'DISQUALIFIED', itemCodes, opinionIds, complaintIds: [], overruleReason: null };
}

/**
 * 三个一律 (domain source 002): a candidate found to have bought votes, or to have used clan or
 * criminal forces to interfere, "一律取消参选资格" — disqualified at once, citing the item and the
 * complaint. Other findings reopen a cleared review for the departments to weigh.
 */
export const DISQUALIFYING_FINDINGS: Readonly<Record<string, string>> = {
  VOTE_BUYING: 'SBX-05',
  CLAN_INTERFERENCE: 'SBX-04',
  CRIMINAL_INTERFERENCE: 'SBX-02',
};

/** A substantiated finding of a 三个一律 ground: the conclusion, whatever the review's state (a disqualified one stays as it is: null). */
export function disqualifyOnFinding(policy: ReviewPolicy, review: ReviewState, finding: { category: string; complaintId: string }): Conclusion | null {
  const code = DISQUALIFYING_FINDINGS[finding.category];
  if (!code || review.status === 'DISQUALIFIED') return null;
  if (!itemOf(policy, code)) throw new Error(`policy ${policy.id} lacks ${code}`);
  return { outcome: 'DISQUALIFIED', itemCodes: [code], opinionIds: [], complaintIds: [finding.complaintId], overruleReason: null };
}

/** 重新审查: a concluded review opens again, in a new round, at the policy's reopening level. */
export function reopen(policy: ReviewPolicy, review: ReviewState): ReviewState {
  if (isOpen(review.status)) throw conflict('REVIEW.NOT_CONCLUDED', `REVIEW.NOT_CONCLUDED: the review is ${review.status}; only a concluded review is reopened`);
  const level = levelPolicy(policy, policy.reopenAt) ? policy.reopenAt : policy.levels.at(-1)!.level;
  return { status: 'REOPENED', level, round: review.round + 1 };
}

/** yyyy-mm-dd plus whole days. */
export function addDays(date: string, days: number): string {
  if (!isIsoDate(date)) throw new Error(`not an ISO date: ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last day a department may answer at a level the review reached on `enteredOn` (both Asia/Shanghai dates). */
export function opinionDeadline(policy: ReviewPolicy, level: ReviewLevel, enteredOn: string): string | null {
  const l = levelPolicy(policy, level);
  return l ? addDays(enteredOn, l.deadlineDays) : null;
}

/** Overdue from the day after the deadline. */
export const isOverdue = (deadline: string | null, today: string) => deadline !== null && today > deadline;
