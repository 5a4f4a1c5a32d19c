import { badInput, conflict, isIsoDate, notFound } from '@huanjie/platform';
import { checkRoleForKind, HEAD_ROLE, kindName, sizeRangeOf, type CommitteeKind, type PartyOrgForm, type PositionRole } from './committee.rules';
import { checkSeatHolder, type SeatHolder } from './position.rules';

/**
 * 任期 five years, for every committee since this cycle (three before it):
 * 村民委员会组织法 第十一条: 村民委员会每届任期五年; 城市居民委员会组织法 第八条: 居民委员会每届任期五年;
 * 中国共产党农村基层组织工作条例 (2019): 村党的委员会、总支部委员会、支部委员会每届任期5年.
 */
export const TERM_YEARS = 5;

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return toIso(d);
}

/** The last day of a term that starts on `startsOn`: five years on, less a day (29 Feb rolls to 28 Feb). */
export function scheduledTermEnd(startsOn: string): string {
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  const anniversary = new Date(Date.UTC(y + TERM_YEARS, m - 1, d));
  // Date.UTC turns 29 Feb of a common year into 1 March; the day before is then 28 Feb, as wanted.
  anniversary.setUTCDate(anniversary.getUTCDate() - 1);
  return toIso(anniversary);
}

export interface Seat {
  personId: string;
  role: PositionRole;
}

export interface ExistingTerm {
  id: string;
  startsOn: string;
  endsOn: string;
  status: 'ACTIVE' | 'ENDED';
}

export interface TermPlanInput {
  kind: CommitteeKind;
  partyOrgForm: PartyOrgForm | null;
  startsOn: string;
  /** Default: five years on, less a day. */
  endsOn?: string | null;
  roster: readonly Seat[];
  /** The people the roster names, as far as they were found. */
  holders: ReadonlyMap<string, SeatHolder>;
  /** Every term of the committee on record. */
  existingTerms: readonly ExistingTerm[];
  /** Start dates of the seats still held in the current term. */
  currentSeatStarts: readonly string[];
}

export interface TermPlan {
  startsOn: string;
  endsOn: string;
  /** The active term the new one replaces, and the day it ends on (the day before the new start). */
  previous: { id: string; endsOn: string } | null;
}

function checkTermDates(startsOn: string, endsOn: string | null | undefined): { startsOn: string; endsOn: string } {
  if (!isIsoDate(startsOn)) throw badInput('TERM.DATES', `startsOn (任期开始) must be a date written yyyy-mm-dd, got ${JSON.stringify(startsOn)}`);
  const latest = scheduledTermEnd(startsOn);
  const end = endsOn ?? latest;
  if (!isIsoDate(end)) throw badInput('TERM.DATES', `endsOn (任期届满) must be a date written yyyy-mm-dd, got ${JSON.stringify(end)}`);
  if (end <= startsOn || end > latest) {
    throw badInput(
      'TERM.DATES',
      `任期 at most ${TERM_YEARS} years (村民委员会组织法 第十一条, 城市居民委员会组织法 第八条): a term starting ${startsOn} ends after it and on or before ${latest}, not ${end}`,
    );
  }
  return { startsOn, endsOn: end };
}

/**
 * The roster of a new term against the rules of its committee: size, one seat per person, one
 * head, each seat valid for the committee and its holder.
 */
export function checkRoster(input: Pick<TermPlanInput, 'kind' | 'partyOrgForm' | 'roster' | 'holders'>): void {
  const { kind, roster } = input;
  const range = sizeRangeOf(kind, input.partyOrgForm);
  if (roster.length < range.min || roster.length > range.max) {
    throw badInput(
      'TERM.SIZE',
      `委员会职数 (${range.source}): a ${kindName(kind)} has ${range.min}–${range.max} members, the roster names ${roster.length}`,
    );
  }
  const seen = new Set<string>();
  for (const seat of roster) {
    checkRoleForKind(kind, seat.role);
    if (seen.has(seat.personId)) {
      throw badInput('POSITION.ONE_PER_PERSON', `一人一职: person ${seat.personId} is named for more than one seat on the same ${kindName(kind)}`);
    }
    seen.add(seat.personId);
    const holder = input.holders.get(seat.personId);
    if (!holder) throw notFound('POSITION.PERSON_EXISTS', `person ${seat.personId} does not exist or lies outside your scope`);
    checkSeatHolder(kind, seat.role, holder);
  }
  const head = HEAD_ROLE[kind];
  const heads = roster.filter((s) => s.role === head).length;
  if (heads !== 1) {
    throw badInput(
      head === 'SECRETARY' ? 'TERM.ONE_SECRETARY' : 'TERM.ONE_DIRECTOR',
      `a ${kindName(kind)} term has exactly one ${head === 'SECRETARY' ? '书记' : '主任'} (${head}); the roster names ${heads}`,
    );
  }
}

/**
 * 换届: plans a new term of a committee. Terms of one committee never overlap: the new one starts
 * after every term on record has started and after every ended one's last day; the current term
 * (and its seats) end the day before the new one starts.
 */
export function planTerm(input: TermPlanInput): TermPlan {
  const dates = checkTermDates(input.startsOn, input.endsOn);
  checkRoster(input);
  let previous: TermPlan['previous'] = null;
  for (const term of input.existingTerms) {
    const mustFollow = term.status === 'ENDED' ? term.endsOn : term.startsOn;
    if (dates.startsOn <= mustFollow) {
      throw conflict(
        'TERM.NO_OVERLAP',
        `terms of a committee do not overlap: the ${term.status === 'ACTIVE' ? 'current' : 'earlier'} term runs from ${term.startsOn}` +
          `${term.status === 'ENDED' ? ` to ${term.endsOn}` : ''}, so a new term starts after ${mustFollow}, not on ${dates.startsOn}`,
      );
    }
    if (term.status === 'ACTIVE') previous = { id: term.id, endsOn: addDays(dates.startsOn, -1) };
  }
  const lastSeatStart = input.currentSeatStarts.reduce((a, b) => (a > b ? a : b), '');
  if (previous && dates.startsOn <= lastSeatStart) {
    throw conflict(
      'TERM.NO_OVERLAP',
      `terms of a committee do not overlap: a seat of the current term began on ${lastSeatStart}, so a new term starts after it, not on ${dates.startsOn}`,
    );
  }
  return { ...dates, previous };
}
