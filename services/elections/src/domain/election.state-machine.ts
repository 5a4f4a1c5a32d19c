import { conflict } from '@huanjie/platform';

/**
 * The life of one election (选举) of one committee of one unit, as an explicit state machine.
 *
 * The order follows the procedure of the sources and the two organic laws: nominations
 * (推荐提名, 两推一选 / 一户一票) → qualification review (资格审查, 县级联审) → voter registration
 * (选民登记, the list published 20 days before election day) → election day fixed → polling
 * (投票) → count (计票) → certification. A poll that misses its quorum or its majority ends
 * `FAILED`; a certified result set aside under 三个一律 (vote-buying, clan or organised-crime
 * interference: "一律宣布当选无效") ends `VOIDED`. Neither deletes anything: the record stays as
 * history, and a new round (另行选举 / 重新选举) is a new election.
 */
export const ELECTION_STATUSES = [
  'PLANNED',
  'NOMINATING',
  'VETTING',
  'VOTER_REGISTRATION',
  'SCHEDULED',
  'POLLING',
  'TALLIED',
  'CERTIFIED',
  'FAILED',
  'VOIDED',
] as const;
export type ElectionStatus = (typeof ELECTION_STATUSES)[number];

export const ELECTION_EVENTS = [
  'OPEN_NOMINATIONS',
  'START_VETTING',
  'OPEN_VOTER_REGISTRATION',
  'SCHEDULE',
  'OPEN_POLLS',
  'RECORD_TALLY',
  'CERTIFY',
  'FAIL',
  'VOID',
] as const;
export type ElectionEvent = (typeof ELECTION_EVENTS)[number];

/** Every lawful move, as data: from a status, the events it accepts and where each leads. */
export const ELECTION_TRANSITIONS: Readonly<Record<ElectionStatus, Readonly<Partial<Record<ElectionEvent, ElectionStatus>>>>> = {
  PLANNED: { OPEN_NOMINATIONS: 'NOMINATING' },
  NOMINATING: { START_VETTING: 'VETTING' },
  VETTING: { OPEN_VOTER_REGISTRATION: 'VOTER_REGISTRATION' },
  VOTER_REGISTRATION: { SCHEDULE: 'SCHEDULED' },
  SCHEDULED: { OPEN_POLLS: 'POLLING' },
  // A poll fails when fewer than the quorum voted (more than half of registered voters; Party:
  // more than 4/5 of the members entitled to attend) — seen at the close or when counting.
  POLLING: { RECORD_TALLY: 'TALLIED', FAIL: 'FAILED' },
  TALLIED: { CERTIFY: 'CERTIFIED', FAIL: 'FAILED' },
  // 三个一律: a won election obtained by vote-buying or interference is declared invalid.
  CERTIFIED: { VOID: 'VOIDED' },
  FAILED: {},
  VOIDED: {},
};

/** Statuses with no way out: a new round is a new election. */
export const TERMINAL_ELECTION_STATUSES: readonly ElectionStatus[] = ELECTION_STATUSES.filter(
  (status) => Object.keys(ELECTION_TRANSITIONS[status]).length === 0,
);

/** The events a status accepts, in the order of ELECTION_EVENTS. */
export function allowedElectionEvents(current: ElectionStatus): ElectionEvent[] {
  return ELECTION_EVENTS.filter((event) => ELECTION_TRANSITIONS[current][event] !== undefined);
}

/** The status after `event`, or CONFLICT naming the current status and what it allows. */
export function transition(current: ElectionStatus, event: ElectionEvent): ElectionStatus {
  const next = ELECTION_TRANSITIONS[current]?.[event];
  if (next !== undefined) return next;
  const allowed = allowedElectionEvents(current);
  throw conflict(
    'ELECTION.ILLEGAL_TRANSITION',
    `ELECTION.ILLEGAL_TRANSITION: an election in status ${current} cannot take event ${event}; ` +
      (allowed.length > 0
        ? `allowed events: ${allowed.join(', ')}`
        : `${current} is final (allowed events: none); a new round is a new election`),
  );
}

/**
 * The ballot is locked once polling starts (投票开始后候选人名单不得变更): no candidate is put on
 * or withdrawn from it in these statuses.
 */
export const BALLOT_LOCKED_STATUSES: readonly ElectionStatus[] = ['POLLING', 'TALLIED', 'CERTIFIED', 'FAILED', 'VOIDED'];
export const isBallotLocked = (status: ElectionStatus) => BALLOT_LOCKED_STATUSES.includes(status);
