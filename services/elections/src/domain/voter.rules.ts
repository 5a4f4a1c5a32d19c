import { DomainError, badInput, conflict, fullYearsBetween, isIsoDate, parseNationalId } from '@huanjie/platform';
import { rulesFor, type CommitteeKind, type ElectionRuleSet, type Rule } from './election-rules.data';
import type { ElectionStatus } from './election.state-machine';

/**
 * 选民登记 — voter registration for a villagers' or residents' committee election, as plain
 * rules: who may be registered (age on election day, the three bases of 村民委员会组织法 第十三条),
 * when the roll may change, and how objections (申诉) change it. No I/O: the commands and the
 * bulk import call these and store what they return.
 */

/**
 * 登记依据 — on what ground a person is on the roll (村民委员会组织法 第十三条 第二款):
 * HUKOU_RESIDENT (一) 户籍在本村并且在本村居住; HUKOU (二) 户籍在本村、不在本村居住，本人表示参加选举;
 * NON_HUKOU_RESIDENT (三) 户籍不在本村、在本村居住一年以上，本人申请参加选举，并经村民会议或者村民代表会议同意.
 */
export const VOTER_BASES = ['HUKOU', 'HUKOU_RESIDENT', 'NON_HUKOU_RESIDENT'] as const;
export type VoterBasis = (typeof VOTER_BASES)[number];

/** Voter-roll rules beside the counting rules of election-rules.data.ts, per committee kind: data, with their articles. */
export interface VoterRuleSet {
  kind: Exclude<CommitteeKind, 'PARTY'>;
  lawVersion: string;
  /** full years (周岁) a voter must have reached on election day. */
  minAge: Rule<number>;
  /** full years a non-hukou resident must have lived here by election day. */
  nonHukouResidenceYears: Rule<number>;
  /** the list published at least this many days before election day (from the election rule set). */
  voterListLeadDays: ElectionRuleSet['voterListLeadDays'];
}

/** The voter-roll articles per committee kind; the law versions of election-rules.data.ts share them. */
const VOTER_ARTICLES: Record<VoterRuleSet['kind'], { minAge: Rule<number>; nonHukouResidenceYears: Rule<number> }> = {
  VILLAGERS: {
    minAge: { value: 18, article: '村民委员会组织法 第十三条: 年满十八周岁的村民…都有选举权和被选举权 (宪法 第三十四条)' },
    nonHukouResidenceYears: {
      value: 1,
      article: '村民委员会组织法 第十三条 第二款(三): 户籍不在本村，在本村居住一年以上，本人申请参加选举，并且经村民会议或者村民代表会议同意参加选举的公民',
    },
  },
  RESIDENTS: {
    minAge: { value: 18, article: '城市居民委员会组织法 第八条: 年满十八周岁的本居住地区居民…都有选举权和被选举权' },
    nonHukouResidenceYears: {
      value: 1,
      article: '城市居民委员会组织法 第八条 with the provincial 居民委员会选举办法: 居住一年以上的非户籍居民经居民会议同意可以参加选举',
    },
  },
};

/**
 * The voter-roll rules for an election of `kind` on `electionDay`. A Party election has no voter
 * roll: its electors are the members entitled to attend the meeting (应到会有选举权的党员), counted
 * there, so asking for one is refused with VOTER.PARTY_NO_ROLL.
 */
export function voterRulesFor(kind: CommitteeKind, electionDay: string): VoterRuleSet {
  if (kind === 'PARTY') {
    throw badInput(
      'VOTER.PARTY_NO_ROLL',
      'a Party committee election has no voter roll: its electors are the Party members entitled to attend the meeting (中国共产党基层组织选举工作条例), counted there',
    );
  }
  const rules = rulesFor(kind, electionDay);
  return { kind, lawVersion: rules.lawVersion, ...VOTER_ARTICLES[kind], voterListLeadDays: rules.voterListLeadDays };
}

/** Election statuses in which voters may be registered (and imported): until the election is scheduled. */
export const REGISTRATION_OPEN: readonly ElectionStatus[] = ['PLANNED', 'NOMINATING', 'VETTING', 'VOTER_REGISTRATION'];
/** Objections may still be decided once the election is scheduled (申诉 within 5 days of publication, decided within 3), not once polling opens. */
export const OBJECTIONS_OPEN: readonly ElectionStatus[] = [...REGISTRATION_OPEN, 'SCHEDULED'];

export function checkRegistrationOpen(status: ElectionStatus): void {
  if (!REGISTRATION_OPEN.includes(status)) {
    throw conflict(
      'VOTER.REGISTRATION_CLOSED',
      `voters are registered only while the election is ${REGISTRATION_OPEN.join(', ')}; this election is ${status}`,
    );
  }
}

export function checkObjectionsOpen(status: ElectionStatus): void {
  if (!OBJECTIONS_OPEN.includes(status)) {
    throw conflict('VOTER.OBJECTIONS_CLOSED', `objections to the voter list are handled only while the election is ${OBJECTIONS_OPEN.join(', ')}; this election is ${status}`);
  }
}

/** The list is published (公布选民名单) while registration is under way, and at least the lead days before election day. */
export function checkPublicationAllowed(status: ElectionStatus): void {
  if (status !== 'VOTER_REGISTRATION') {
    throw conflict('VOTER.PUBLISH_STATUS', `the voter list is published while the election is VOTER_REGISTRATION; this election is ${status}`);
  }
}

/** A registration as a person (or a row of a file) asks for it. */
export interface VoterInput {
  name: string;
  /** 公民身份号码, as typed: never stored, never echoed. */
  idNumber: string;
  /** 户号 / 户别: the household (a household-register number or a label such as 3组12号). */
  household: string;
  basis: string;
  /** yyyy-mm-dd: NON_HUKOU_RESIDENT only, the day they began living here. */
  residentSince?: string | null;
  /** yyyy-mm-dd: NON_HUKOU_RESIDENT only, the day 村民会议 / 村民代表会议 (居民会议) agreed. */
  approvedOn?: string | null;
}

/** What the roll keeps of a valid registration: the ID number only long enough to index and mask it. */
export interface CheckedVoter {
  name: string;
  /** normalised (upper-case X), for the blind index and the mask; drop it after. */
  idNumber: string;
  household: string;
  basis: VoterBasis;
  birthDate: string;
  residentSince: string | null;
  approvedOn: string | null;
}

export type VoterCheck = { ok: true; voter: CheckedVoter } | { ok: false; rule: string; message: string };

const NAME_MAX = 50;
const HOUSEHOLD_MAX = 40;
// Control characters in a name or household mean a broken file (or an attempt to break a printout).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Basis cells as people write them: the enum name or the Chinese of the article. Keys compare without spaces, in upper case. */
const BASIS_WORDS: Record<string, VoterBasis> = {
  HUKOU: 'HUKOU',
  HUKOU_RESIDENT: 'HUKOU_RESIDENT',
  NON_HUKOU_RESIDENT: 'NON_HUKOU_RESIDENT',
  户籍: 'HUKOU',
  户籍在本村: 'HUKOU',
  户籍在本社区: 'HUKOU',
  人户分离: 'HUKOU',
  户籍不在本村居住: 'HUKOU',
  户籍居住: 'HUKOU_RESIDENT',
  户籍且居住: 'HUKOU_RESIDENT',
  户籍在本村且居住: 'HUKOU_RESIDENT',
  户籍在本村并且在本村居住: 'HUKOU_RESIDENT',
  户籍在本社区且居住: 'HUKOU_RESIDENT',
  本村居住: 'HUKOU_RESIDENT',
  非户籍: 'NON_HUKOU_RESIDENT',
  非户籍居民: 'NON_HUKOU_RESIDENT',
  非户籍常住: 'NON_HUKOU_RESIDENT',
  居住一年以上: 'NON_HUKOU_RESIDENT',
};

export function parseVoterBasis(raw: string): VoterBasis | null {
  return BASIS_WORDS[raw.replace(/\s+/g, '').toUpperCase()] ?? null;
}

const fail = (rule: string, message: string): VoterCheck => ({ ok: false, rule, message });

/**
 * Checks one registration against the voter rules of its election. Never throws for bad input
 * (a file has many rows; each gets its verdict) and never quotes the ID number: messages name the
 * rule and, at most, the column.
 */
export function checkVoter(input: VoterInput, rules: VoterRuleSet, electionDay: string): VoterCheck {
  const name = input.name.trim();
  if (name.length === 0 || name.length > NAME_MAX || CONTROL.test(name)) {
    return fail('VOTER.NAME', `姓名 (name) must be 1–${NAME_MAX} characters without control characters`);
  }
  const household = input.household.trim();
  if (household.length === 0 || household.length > HOUSEHOLD_MAX || CONTROL.test(household)) {
    return fail('VOTER.HOUSEHOLD', `户号 (household) must be 1–${HOUSEHOLD_MAX} characters without control characters`);
  }
  const basis = parseVoterBasis(input.basis);
  if (basis === null) {
    return fail('VOTER.BASIS', `登记依据 (basis) must be HUKOU_RESIDENT (户籍在本村且居住), HUKOU (户籍在本村、不在本村居住) or NON_HUKOU_RESIDENT (非户籍、居住一年以上)`);
  }
  let birthDate: string;
  const idNumber = input.idNumber.trim().toUpperCase();
  try {
    birthDate = parseNationalId(idNumber).birthDate;
  } catch (error) {
    if (error instanceof DomainError) return fail(error.rule, error.message);
    throw error;
  }
  const age = fullYearsBetween(birthDate, electionDay);
  if (age < rules.minAge.value) {
    return fail(
      'VOTER.AGE',
      `a voter must be ${rules.minAge.value} full years old on election day ${electionDay} (${rules.minAge.article}); this person would be ${Math.max(age, 0)}`,
    );
  }
  let residentSince: string | null = null;
  let approvedOn: string | null = null;
  const since = input.residentSince?.trim() || null;
  const approved = input.approvedOn?.trim() || null;
  if (basis === 'NON_HUKOU_RESIDENT') {
    if (since === null || !isIsoDate(since)) {
      return fail('VOTER.RESIDENT_SINCE', `a non-hukou resident needs residentSince (居住起始日期), yyyy-mm-dd (${rules.nonHukouResidenceYears.article})`);
    }
    const years = fullYearsBetween(since, electionDay);
    if (since > electionDay || years < rules.nonHukouResidenceYears.value) {
      return fail(
        'VOTER.RESIDENCE_PERIOD',
        `a non-hukou resident must have lived here ${rules.nonHukouResidenceYears.value} full year(s) by election day ${electionDay} (${rules.nonHukouResidenceYears.article}); resident since ${since}`,
      );
    }
    if (approved === null || !isIsoDate(approved) || approved > electionDay) {
      return fail(
        'VOTER.MEETING_APPROVAL',
        `a non-hukou resident needs approvedOn (村民会议/村民代表会议同意日期), yyyy-mm-dd, on or before election day (${rules.nonHukouResidenceYears.article})`,
      );
    }
    residentSince = since;
    approvedOn = approved;
  } else if (since !== null || approved !== null) {
    return fail('VOTER.NON_HUKOU_FIELDS', 'residentSince and approvedOn are for NON_HUKOU_RESIDENT voters only (户籍不在本村的居民)');
  }
  return { ok: true, voter: { name, idNumber, household, basis, birthDate, residentSince, approvedOn } };
}

/** Throwing form of checkVoter, for the single registration. */
export function requireValidVoter(input: VoterInput, rules: VoterRuleSet, electionDay: string): CheckedVoter {
  const result = checkVoter(input, rules, electionDay);
  if (!result.ok) throw badInput(result.rule, result.message);
  return result.voter;
}

/** 申诉 — the kinds of objection to a published list. */
export const OBJECTION_KINDS = ['WRONGLY_LISTED', 'MISSING', 'DETAILS_WRONG'] as const;
export type ObjectionKind = (typeof OBJECTION_KINDS)[number];
export const OBJECTION_DECISIONS = ['UPHELD', 'DISMISSED'] as const;
export type ObjectionDecision = (typeof OBJECTION_DECISIONS)[number];
export type ObjectionStatus = 'OPEN' | ObjectionDecision;

/** What an objection of each kind must name: a listed voter, or the person who is missing. */
export function checkObjectionShape(kind: ObjectionKind, hasVoter: boolean, hasPerson: boolean, hasCorrection: boolean, reason: string): void {
  if (!(OBJECTION_KINDS as readonly string[]).includes(kind)) {
    throw badInput('VOTER.OBJECTION_KIND', `kind must be one of ${OBJECTION_KINDS.join(', ')}`);
  }
  const text = reason.trim();
  if (text.length === 0 || text.length > 500) throw badInput('VOTER.OBJECTION_REASON', 'reason (申诉理由) must be 1–500 characters');
  if (kind === 'MISSING') {
    if (hasVoter) throw badInput('VOTER.OBJECTION_SHAPE', 'a MISSING objection names the person to add (person), not a listed voter');
    if (!hasPerson) throw badInput('VOTER.OBJECTION_SHAPE', 'a MISSING objection must give the person to register (person: name, ID number, household, basis)');
  } else {
    if (!hasVoter) throw badInput('VOTER.OBJECTION_SHAPE', `a ${kind} objection must name the listed voter (voterId)`);
    if (hasPerson) throw badInput('VOTER.OBJECTION_SHAPE', `a ${kind} objection names a listed voter, not a person to add`);
  }
  if (kind === 'DETAILS_WRONG' && !hasCorrection) {
    throw badInput('VOTER.OBJECTION_SHAPE', 'a DETAILS_WRONG objection must give the corrected details (correction: name, household or basis)');
  }
  if (kind !== 'DETAILS_WRONG' && hasCorrection) {
    throw badInput('VOTER.OBJECTION_SHAPE', 'only a DETAILS_WRONG objection carries corrected details');
  }
}

/** An objection is decided once. */
export function checkObjectionUndecided(status: ObjectionStatus): void {
  if (status !== 'OPEN') throw conflict('VOTER.OBJECTION_DECIDED', `the objection has already been decided (${status}); a decision is final`);
}

export function checkObjectionDecision(decision: string, note: string): asserts decision is ObjectionDecision {
  if (!(OBJECTION_DECISIONS as readonly string[]).includes(decision)) {
    throw badInput('VOTER.OBJECTION_DECISION', `decision must be one of ${OBJECTION_DECISIONS.join(', ')}`);
  }
  const text = note.trim();
  if (text.length === 0 || text.length > 500) throw badInput('VOTER.OBJECTION_NOTE', 'the decision needs a note (处理决定) of 1–500 characters');
}
