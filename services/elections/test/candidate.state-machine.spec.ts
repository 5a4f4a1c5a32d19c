import { DomainError } from '@huanjie/platform';
import {
  allowedCandidateEvents,
  CANDIDATE_EVENTS,
  CANDIDATE_STATUSES,
  CANDIDATE_TRANSITIONS,
  transitionCandidate,
  type CandidateEvent,
  type CandidateStatus,
} from '../src/domain/candidate.state-machine';
import { ELECTION_STATUSES, type ElectionStatus } from '../src/domain/election.state-machine';

/** [from, event, to, an election status in which it is lawful] */
const lawful: [CandidateStatus, CandidateEvent, CandidateStatus, ElectionStatus][] = [
  ['NOMINATED', 'START_REVIEW', 'UNDER_REVIEW', 'VETTING'],
  ['NOMINATED', 'WITHDRAW', 'WITHDRAWN', 'NOMINATING'],
  ['UNDER_REVIEW', 'CLEAR', 'ELIGIBLE', 'VETTING'],
  ['UNDER_REVIEW', 'DISQUALIFY', 'INELIGIBLE', 'VETTING'],
  ['UNDER_REVIEW', 'WITHDRAW', 'WITHDRAWN', 'VETTING'],
  ['ELIGIBLE', 'PUT_ON_BALLOT', 'ON_BALLOT', 'SCHEDULED'],
  ['ELIGIBLE', 'WITHDRAW', 'WITHDRAWN', 'VOTER_REGISTRATION'],
  ['INELIGIBLE', 'WITHDRAW', 'WITHDRAWN', 'VETTING'],
  ['INELIGIBLE', 'CLEAR', 'ELIGIBLE', 'VOTER_REGISTRATION'],
  ['ELIGIBLE', 'DISQUALIFY', 'INELIGIBLE', 'VOTER_REGISTRATION'],
  ['ON_BALLOT', 'DISQUALIFY', 'INELIGIBLE', 'SCHEDULED'],
  ['ON_BALLOT', 'DECLARE_ELECTED', 'ELECTED', 'TALLIED'],
  ['ON_BALLOT', 'DECLARE_NOT_ELECTED', 'NOT_ELECTED', 'TALLIED'],
  ['ON_BALLOT', 'WITHDRAW', 'WITHDRAWN', 'SCHEDULED'],
  ['ELECTED', 'VOID', 'VOIDED', 'CERTIFIED'],
  ['ELECTED', 'VOID', 'VOIDED', 'VOIDED'],
];
const isLawful = (s: CandidateStatus, e: CandidateEvent) => lawful.some(([from, ev]) => from === s && ev === e);
const illegal = CANDIDATE_STATUSES.flatMap((s) => CANDIDATE_EVENTS.filter((e) => !isLawful(s, e)).map((e) => [s, e] as const));

const LOCKED: ElectionStatus[] = ['POLLING', 'TALLIED', 'CERTIFIED', 'FAILED', 'VOIDED'];
const OPEN: ElectionStatus[] = ['PLANNED', 'NOMINATING', 'VETTING', 'VOTER_REGISTRATION', 'SCHEDULED'];

function ruleOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'CONFLICT') return error.rule;
    throw error;
  }
  throw new Error('expected a CONFLICT');
}

describe('candidate state machine', () => {
  it('has exactly the lawful transitions in its table', () => {
    const table = CANDIDATE_STATUSES.flatMap((s) => Object.keys(CANDIDATE_TRANSITIONS[s]).map((e) => `${s}:${e}`));
    expect(new Set(table)).toEqual(new Set(lawful.map(([s, e]) => `${s}:${e}`)));
  });

  it.each(lawful)('%s --%s--> %s (election %s)', (from, event, to, election) => {
    expect(transitionCandidate(from, event, election)).toBe(to);
  });

  it.each(illegal)('refuses %s --%s-- in any election status', (from, event) => {
    for (const election of ELECTION_STATUSES) {
      expect(ruleOf(() => transitionCandidate(from, event, election))).toBe('CANDIDATE.ILLEGAL_TRANSITION');
    }
    let message = '';
    try {
      transitionCandidate(from, event, 'SCHEDULED');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`status ${from}`);
    const allowed = allowedCandidateEvents(from);
    expect(message).toContain(allowed.length > 0 ? allowed.join(', ') : 'none');
  });

  const ballotCases = (['ELIGIBLE', 'NOMINATED', 'UNDER_REVIEW', 'INELIGIBLE', 'ON_BALLOT'] as CandidateStatus[]).flatMap((from) =>
    (['PUT_ON_BALLOT', 'WITHDRAW', 'DISQUALIFY'] as CandidateEvent[]).filter((e) => isLawful(from, e)).map((e) => [from, e] as const),
  );

  it.each(ballotCases.flatMap(([from, e]) => LOCKED.map((election) => [from, e, election] as const)))(
    'ballot locked: refuses %s --%s-- while the election is %s',
    (from, event, election) => {
      expect(ruleOf(() => transitionCandidate(from, event, election))).toBe('CANDIDATE.BALLOT_LOCKED');
    },
  );

  it.each(ballotCases.flatMap(([from, e]) => OPEN.map((election) => [from, e, election] as const)))(
    'ballot open: allows %s --%s-- while the election is %s',
    (from, event, election) => {
      expect(() => transitionCandidate(from, event, election)).not.toThrow();
    },
  );

  it.each(
    (['DECLARE_ELECTED', 'DECLARE_NOT_ELECTED'] as CandidateEvent[]).flatMap((e) =>
      ELECTION_STATUSES.filter((s) => s !== 'TALLIED').map((s) => [e, s] as const),
    ),
  )('refuses %s before the count (election %s)', (event, election) => {
    expect(ruleOf(() => transitionCandidate('ON_BALLOT', event, election))).toBe('CANDIDATE.RESULT_BEFORE_TALLY');
  });

  it.each(ELECTION_STATUSES.filter((s) => s !== 'CERTIFIED' && s !== 'VOIDED'))('refuses VOID of an elected candidate while the election is %s', (election) => {
    expect(ruleOf(() => transitionCandidate('ELECTED', 'VOID', election))).toBe('CANDIDATE.VOID_BEFORE_CERTIFIED');
  });

  it('only eligible candidates reach the ballot', () => {
    expect(CANDIDATE_STATUSES.filter((s) => CANDIDATE_TRANSITIONS[s].PUT_ON_BALLOT)).toEqual(['ELIGIBLE']);
  });
});
