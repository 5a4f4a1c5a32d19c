import { badInput, conflict, isIsoDate } from '@huanjie/platform';
import {
  checkRoleForKind,
  END_REASONS,
  HEAD_ROLE,
  kindName,
  sizeRangeOf,
  type CommitteeKind,
  type EndReason,
  type PartyOrgForm,
  type PositionRole,
} from './committee.rules';
import type { PoliticalStatus } from './person.rules';

/** What the rules need to know of the person taking a seat. */
export interface SeatHolder {
  gender: 'MALE' | 'FEMALE';
  politicalStatus: PoliticalStatus;
}

/** Who may hold a seat, beyond it existing on the committee. */
export function checkSeatHolder(kind: CommitteeKind, role: PositionRole, holder: SeatHolder): void {
  // 中国共产党章程 第七条: 预备党员…没有表决权、选举权和被选举权 — only a full member can be elected to the Party committee.
  if (kind === 'PARTY' && holder.politicalStatus !== 'PARTY_MEMBER') {
    throw badInput(
      'POSITION.FULL_PARTY_MEMBER',
      `党章 第七条: a seat on the Party committee needs a full Party member (PARTY_MEMBER), not ${holder.politicalStatus}`,
    );
  }
  // 村民委员会组织法 第六条: 村民委员会成员中，应当有妇女成员 — the seat reserved for that purpose is a woman's.
  if (role === 'WOMEN_MEMBER' && holder.gender !== 'FEMALE') {
    throw badInput('POSITION.WOMEN_MEMBER_IS_WOMAN', '妇女委员 (WOMEN_MEMBER) is held by a woman; name another person or the MEMBER seat');
  }
}

export interface ActiveSeat {
  personId: string;
  role: PositionRole;
}

export interface AssignmentInput {
  kind: CommitteeKind;
  partyOrgForm: PartyOrgForm | null;
  term: { status: 'ACTIVE' | 'ENDED'; startsOn: string; endsOn: string };
  /** The seats of the committee held now (they all belong to its active term). */
  activeSeats: readonly ActiveSeat[];
  seat: ActiveSeat;
  holder: SeatHolder;
  startsOn: string;
}

/** 补选/增补: a seat filled during a term — a vacancy, or a seat left open at the election. */
export function checkAssignment(input: AssignmentInput): void {
  const { kind, term, seat } = input;
  if (term.status !== 'ACTIVE') throw conflict('TERM.ACTIVE', `the term ${term.startsOn}–${term.endsOn} has ended; seats are filled in the current term`);
  checkRoleForKind(kind, seat.role);
  checkSeatHolder(kind, seat.role, input.holder);
  if (!isIsoDate(input.startsOn) || input.startsOn < term.startsOn || input.startsOn > term.endsOn) {
    throw badInput(
      'POSITION.WITHIN_TERM',
      `startsOn (任职日期) must be a date within the term, ${term.startsOn} to ${term.endsOn}; got ${JSON.stringify(input.startsOn)}`,
    );
  }
  if (input.activeSeats.some((s) => s.personId === seat.personId)) {
    throw conflict('POSITION.ONE_PER_PERSON', `一人一职: person ${seat.personId} already holds a seat on this ${kindName(kind)}; end it first`);
  }
  const head = HEAD_ROLE[kind];
  if (seat.role === head && input.activeSeats.some((s) => s.role === head)) {
    throw conflict(
      head === 'SECRETARY' ? 'TERM.ONE_SECRETARY' : 'TERM.ONE_DIRECTOR',
      `a ${kindName(kind)} term has one ${head === 'SECRETARY' ? '书记' : '主任'} (${head}), and the seat is held; end that position first`,
    );
  }
  const range = sizeRangeOf(kind, input.partyOrgForm);
  if (input.activeSeats.length + 1 > range.max) {
    throw conflict(
      'TERM.SIZE',
      `委员会职数 (${range.source}): a ${kindName(kind)} has ${range.min}–${range.max} members and this one has ${input.activeSeats.length} already`,
    );
  }
}

/** Reasons a person may be taken off a seat by hand; TERM_ENDED is the succession's alone. */
export const MANUAL_END_REASONS: readonly EndReason[] = END_REASONS.filter((r) => r !== 'TERM_ENDED');

/** 离任: checks the end of a seat and returns its last day (default: today). */
export function planPositionEnd(input: {
  position: { startsOn: string; endReason: EndReason | null };
  reason: EndReason;
  endsOn: string | null | undefined;
  today: string;
}): string {
  if (input.position.endReason !== null) {
    throw conflict('POSITION.ACTIVE', `the position has already ended (${input.position.endReason})`);
  }
  if (!MANUAL_END_REASONS.includes(input.reason)) {
    throw badInput(
      'POSITION.END_REASON',
      `a term's seats end with TERM_ENDED when the next term starts; by hand the reason is one of ${MANUAL_END_REASONS.join(', ')}`,
    );
  }
  const endsOn = input.endsOn ?? input.today;
  if (!isIsoDate(endsOn) || endsOn < input.position.startsOn || endsOn > input.today) {
    throw badInput(
      'POSITION.END_DATE',
      `endsOn (离任日期) must be a date from the start of the position, ${input.position.startsOn}, to today, ${input.today}; got ${JSON.stringify(endsOn)}`,
    );
  }
  return endsOn;
}

/**
 * 三个一律: 已经当选的一律宣布选举结果无效. The seat ends on the day the result was voided, or on
 * its first day when the void came before the term began.
 */
export function voidedSeatEnd(startsOn: string, voidedOn: string): string {
  return voidedOn < startsOn ? startsOn : voidedOn;
}
