import { conflict } from '@huanjie/platform';
import { isBallotLocked, type ElectionStatus } from './election.state-machine';

/**
 * A candidate (候选人) from nomination to result. Nominated (推荐提名, 两推一选 / 一户一票) →
 * under review (资格审查 / 县级联审, concluded by vetting's ReviewConcluded) → eligible or
 * ineligible (the negative lists: 十不选, 四个不准) → only the eligible reach the ballot → elected
 * or not elected. A candidate may withdraw at any point before polling; once polling starts the
 * ballot is locked. An elected candidate whose election is set aside under 三个一律 is voided;
 * the record stays.
 */
export const CANDIDATE_STATUSES = [
  'NOMINATED',
  'UNDER_REVIEW',
  'ELIGIBLE',
  'INELIGIBLE',
  'ON_BALLOT',
  'ELECTED',
  'NOT_ELECTED',
  'WITHDRAWN',
  'VOIDED',
] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export const CANDIDATE_EVENTS = [
  'START_REVIEW',
  'CLEAR',
  'DISQUALIFY',
  'PUT_ON_BALLOT',
  'DECLARE_ELECTED',
  'DECLARE_NOT_ELECTED',
  'WITHDRAW',
  'VOID',
] as const;
export type CandidateEvent = (typeof CANDIDATE_EVENTS)[number];

/** Every lawful move, as data. */
export const CANDIDATE_TRANSITIONS: Readonly<Record<CandidateStatus, Readonly<Partial<Record<CandidateEvent, CandidateStatus>>>>> = {
  NOMINATED: { START_REVIEW: 'UNDER_REVIEW', WITHDRAW: 'WITHDRAWN' },
  UNDER_REVIEW: { CLEAR: 'ELIGIBLE', DISQUALIFY: 'INELIGIBLE', WITHDRAW: 'WITHDRAWN' },
  // A review reopened and concluded again (e.g. on a substantiated complaint) moves a candidate
  // between eligible and ineligible, and off the ballot, until the ballot locks.
  ELIGIBLE: { PUT_ON_BALLOT: 'ON_BALLOT', WITHDRAW: 'WITHDRAWN', DISQUALIFY: 'INELIGIBLE' },
  INELIGIBLE: { CLEAR: 'ELIGIBLE', WITHDRAW: 'WITHDRAWN' },
  ON_BALLOT: { DECLARE_ELECTED: 'ELECTED', DECLARE_NOT_ELECTED: 'NOT_ELECTED', WITHDRAW: 'WITHDRAWN', DISQUALIFY: 'INELIGIBLE' },
  // 三个一律: "一律宣布当选无效".
  ELECTED: { VOID: 'VOIDED' },
  NOT_ELECTED: {},
  WITHDRAWN: {},
  VOIDED: {},
};

/**
 * Events that change the ballot: refused once the election is polling (the ballot is locked). A
 * disqualification found after that is dealt with by voiding the result (三个一律), not the ballot.
 */
export const BALLOT_EVENTS: readonly CandidateEvent[] = ['PUT_ON_BALLOT', 'WITHDRAW', 'DISQUALIFY'];

/** Results are declared from the count: only once the election is tallied. */
export const RESULT_EVENTS: readonly CandidateEvent[] = ['DECLARE_ELECTED', 'DECLARE_NOT_ELECTED'];
const RESULT_ELECTION_STATUSES: readonly ElectionStatus[] = ['TALLIED'];

/** A win is declared invalid against a certified result, or with the voided election it belonged to. */
const VOID_ELECTION_STATUSES: readonly ElectionStatus[] = ['CERTIFIED', 'VOIDED'];

export function allowedCandidateEvents(current: CandidateStatus): CandidateEvent[] {
  return CANDIDATE_EVENTS.filter((event) => CANDIDATE_TRANSITIONS[current][event] !== undefined);
}

/**
 * The candidate's status after `event`, given the status of the election it stands in.
 * CONFLICT when the candidate's status does not accept the event, when the event would change a
 * locked ballot, or when a result is declared before the count.
 */
export function transitionCandidate(current: CandidateStatus, event: CandidateEvent, election: ElectionStatus): CandidateStatus {
  const next = CANDIDATE_TRANSITIONS[current]?.[event];
  if (next === undefined) {
    const allowed = allowedCandidateEvents(current);
    throw conflict(
      'CANDIDATE.ILLEGAL_TRANSITION',
      `CANDIDATE.ILLEGAL_TRANSITION: a candidate in status ${current} cannot take event ${event}; ` +
        `allowed events: ${allowed.length > 0 ? allowed.join(', ') : `none (${current} is final)`}`,
    );
  }
  if (BALLOT_EVENTS.includes(event) && isBallotLocked(election)) {
    throw conflict(
      'CANDIDATE.BALLOT_LOCKED',
      `CANDIDATE.BALLOT_LOCKED: the ballot is locked once polling starts; the election is ${election}, ` +
        `so ${event} is refused (allowed only while the election is PLANNED, NOMINATING, VETTING, VOTER_REGISTRATION or SCHEDULED)`,
    );
  }
  if (RESULT_EVENTS.includes(event) && !RESULT_ELECTION_STATUSES.includes(election)) {
    throw conflict(
      'CANDIDATE.RESULT_BEFORE_TALLY',
      `CANDIDATE.RESULT_BEFORE_TALLY: ${event} is declared from the count; the election is ${election}, allowed only when it is ${RESULT_ELECTION_STATUSES.join(', ')}`,
    );
  }
  if (event === 'VOID' && !VOID_ELECTION_STATUSES.includes(election)) {
    throw conflict(
      'CANDIDATE.VOID_BEFORE_CERTIFIED',
      `CANDIDATE.VOID_BEFORE_CERTIFIED: a win is declared invalid (三个一律) once the result is certified; the election is ${election}, allowed only when it is ${VOID_ELECTION_STATUSES.join(' or ')}`,
    );
  }
  return next;
}
