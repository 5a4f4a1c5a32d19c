import { DomainError } from '@huanjie/platform';
import {
  allowedElectionEvents,
  ELECTION_EVENTS,
  ELECTION_STATUSES,
  ELECTION_TRANSITIONS,
  isBallotLocked,
  TERMINAL_ELECTION_STATUSES,
  transition,
  type ElectionEvent,
  type ElectionStatus,
} from '../src/domain/election.state-machine';

const lawful: [ElectionStatus, ElectionEvent, ElectionStatus][] = [
  ['PLANNED', 'OPEN_NOMINATIONS', 'NOMINATING'],
  ['NOMINATING', 'START_VETTING', 'VETTING'],
  ['VETTING', 'OPEN_VOTER_REGISTRATION', 'VOTER_REGISTRATION'],
  ['VOTER_REGISTRATION', 'SCHEDULE', 'SCHEDULED'],
  ['SCHEDULED', 'OPEN_POLLS', 'POLLING'],
  ['POLLING', 'RECORD_TALLY', 'TALLIED'],
  ['POLLING', 'FAIL', 'FAILED'],
  ['TALLIED', 'CERTIFY', 'CERTIFIED'],
  ['TALLIED', 'FAIL', 'FAILED'],
  ['CERTIFIED', 'VOID', 'VOIDED'],
];
const isLawful = (s: ElectionStatus, e: ElectionEvent) => lawful.some(([from, ev]) => from === s && ev === e);
const refused = ELECTION_STATUSES.flatMap((s) => ELECTION_EVENTS.filter((e) => !isLawful(s, e)).map((e) => [s, e] as const));

describe('election state machine', () => {
  it('has exactly the lawful transitions in its table', () => {
    const table = ELECTION_STATUSES.flatMap((s) => Object.entries(ELECTION_TRANSITIONS[s]).map(([e, to]) => [s, e, to]));
    expect(table).toHaveLength(lawful.length);
    expect(refused).toHaveLength(ELECTION_STATUSES.length * ELECTION_EVENTS.length - lawful.length);
  });

  it.each(lawful)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  it.each(refused)('refuses %s --%s-- with CONFLICT naming the status and allowed events', (from, event) => {
    let error: unknown;
    try {
      transition(from, event);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe('CONFLICT');
    expect(domain.rule).toBe('ELECTION.ILLEGAL_TRANSITION');
    expect(domain.message).toContain(`status ${from}`);
    expect(domain.message).toContain(event);
    const allowed = allowedElectionEvents(from);
    expect(domain.message).toContain(allowed.length > 0 ? allowed.join(', ') : 'allowed events: none');
  });

  it('walks the happy path from planned to certified', () => {
    const path: ElectionEvent[] = ['OPEN_NOMINATIONS', 'START_VETTING', 'OPEN_VOTER_REGISTRATION', 'SCHEDULE', 'OPEN_POLLS', 'RECORD_TALLY', 'CERTIFY'];
    expect(path.reduce<ElectionStatus>(transition, 'PLANNED')).toBe('CERTIFIED');
  });

  it('ends only in failed or voided; voiding only from certified, failing only from polling or tallied', () => {
    expect(TERMINAL_ELECTION_STATUSES).toEqual(['FAILED', 'VOIDED']);
    expect(ELECTION_STATUSES.filter((s) => ELECTION_TRANSITIONS[s].VOID)).toEqual(['CERTIFIED']);
    expect(ELECTION_STATUSES.filter((s) => ELECTION_TRANSITIONS[s].FAIL)).toEqual(['POLLING', 'TALLIED']);
  });

  it.each(ELECTION_STATUSES.map((s) => [s, ['POLLING', 'TALLIED', 'CERTIFIED', 'FAILED', 'VOIDED'].includes(s)] as const))(
    'ballot locked in %s: %s',
    (status, locked) => {
      expect(isBallotLocked(status)).toBe(locked);
    },
  );
});
