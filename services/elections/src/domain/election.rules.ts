import { badInput, isIsoDate } from '@huanjie/platform';
import { checkSeatCount, minimumCandidates, rulesForRegion, type CommitteeKind, type ElectionRuleSet, type RegionalRules } from './election-rules.data';

/**
 * Planning an election (选举) of one committee of one unit: the seats per role, the day, the
 * method, and the law version that will govern it (picked by election day and the unit's region, see rulesForRegion).
 */

/** The seats (职数) each committee elects; the first role is the head, elected alone. */
export const ROLES_BY_KIND: Readonly<Record<CommitteeKind, readonly string[]>> = {
  PARTY: ['SECRETARY', 'DEPUTY_SECRETARY', 'PARTY_MEMBER_SEAT'],
  VILLAGERS: ['DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER'],
  RESIDENTS: ['DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER'],
};
/** The role of the separate election of the women's seat (专职专选). */
export const WOMEN_SEAT_ROLE = 'WOMEN_MEMBER';

/**
 * 选举方式: PARTY_ASSEMBLY 党员大会; VOTERS_ASSEMBLY 选举大会 (villagers/residents voting together);
 * POLLING_STATIONS 设立投票站; HOUSEHOLD_REPRESENTATIVES 户代表选举 and RESIDENT_REPRESENTATIVES
 * 居民代表选举 (residents' committees only, as the residents' committee law allows).
 */
export const METHODS_BY_KIND: Readonly<Record<CommitteeKind, readonly string[]>> = {
  PARTY: ['PARTY_ASSEMBLY'],
  VILLAGERS: ['VOTERS_ASSEMBLY', 'POLLING_STATIONS'],
  RESIDENTS: ['VOTERS_ASSEMBLY', 'POLLING_STATIONS', 'HOUSEHOLD_REPRESENTATIVES', 'RESIDENT_REPRESENTATIVES'],
};

export const PARTY_ORG_FORMS = ['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE'] as const;
export type PartyOrgForm = (typeof PARTY_ORG_FORMS)[number];

export interface NewElectionInput {
  committeeKind: CommitteeKind;
  seats: readonly { role: string; count: number }[];
  /** yyyy-mm-dd. */
  electionDay: string;
  method: string;
  /** PARTY: the form of the organisation, and the members entitled to attend (应到会有选举权人数). */
  partyOrgForm?: PartyOrgForm | null;
  entitledMembers?: number | null;
}

export interface ElectionPlan {
  committeeKind: CommitteeKind;
  seats: Record<string, number>;
  seatTotal: number;
  electionDay: string;
  method: string;
  lawVersion: string;
  partyOrgForm: PartyOrgForm | null;
  entitledMembers: number | null;
}

/**
 * Checks a new election against the rule set in force on its day and returns what to store.
 * `cycle` bounds the day: an election belongs to the cycle it is held in.
 */
export function planElection(
  input: NewElectionInput,
  cycle: { startsOn: string; endsOn: string },
  regionPath = '',
  regional?: readonly RegionalRules[],
): ElectionPlan {
  const kind = input.committeeKind;
  if (!isIsoDate(input.electionDay)) {
    throw badInput('ELECTION.DAY', `ELECTION.DAY: electionDay must be an ISO 8601 date (yyyy-mm-dd), got ${JSON.stringify(input.electionDay)}`);
  }
  if (input.electionDay < cycle.startsOn || input.electionDay > cycle.endsOn) {
    throw badInput(
      'ELECTION.DAY_OUTSIDE_CYCLE',
      `ELECTION.DAY_OUTSIDE_CYCLE: election day ${input.electionDay} lies outside the cycle (${cycle.startsOn} to ${cycle.endsOn})`,
    );
  }
  const rules = rulesForRegion(kind, input.electionDay, regionPath, regional);
  const roles = ROLES_BY_KIND[kind];
  const seats: Record<string, number> = {};
  for (const { role, count } of input.seats) {
    if (!roles.includes(role)) {
      throw badInput('ELECTION.ROLE', `ELECTION.ROLE: a ${kind} committee elects ${roles.join(', ')}; ${role} is not one of its seats`);
    }
    if (role in seats) throw badInput('ELECTION.ROLE', `ELECTION.ROLE: ${role} is listed twice; give each role once with its count`);
    if (!Number.isInteger(count) || count < 1) {
      throw badInput('ELECTION.SEATS', `ELECTION.SEATS: seats for ${role} must be a whole number ≥ 1, got ${count}`);
    }
    seats[role] = count;
  }
  const head = roles[0]!;
  if (seats[head] !== 1) {
    throw badInput('ELECTION.HEAD', `ELECTION.HEAD: a ${kind} committee has exactly one ${head}, got ${seats[head] ?? 0}`);
  }
  const seatTotal = Object.values(seats).reduce((a, b) => a + b, 0);
  checkSeatCount(rules, seatTotal);
  if (!METHODS_BY_KIND[kind].includes(input.method)) {
    throw badInput('ELECTION.METHOD', `ELECTION.METHOD: a ${kind} election is held by ${METHODS_BY_KIND[kind].join(', ')}; got ${JSON.stringify(input.method)}`);
  }
  let partyOrgForm: PartyOrgForm | null = null;
  let entitledMembers: number | null = null;
  if (kind === 'PARTY') {
    if (!input.partyOrgForm || !PARTY_ORG_FORMS.includes(input.partyOrgForm)) {
      throw badInput('ELECTION.PARTY_ORG_FORM', `ELECTION.PARTY_ORG_FORM: a PARTY election names the form of the organisation (${PARTY_ORG_FORMS.join(', ')})`);
    }
    const entitled = input.entitledMembers;
    if (typeof entitled !== 'number' || !Number.isInteger(entitled) || entitled < seatTotal) {
      throw badInput(
        'ELECTION.ENTITLED_MEMBERS',
        `ELECTION.ENTITLED_MEMBERS: a PARTY election needs the members entitled to attend (应到会有选举权人数), a whole number of at least the ${seatTotal} seats, got ${String(entitled)}`,
      );
    }
    partyOrgForm = input.partyOrgForm;
    entitledMembers = entitled;
  } else if (input.partyOrgForm || input.entitledMembers) {
    throw badInput('ELECTION.PARTY_ONLY', `ELECTION.PARTY_ONLY: partyOrgForm and entitledMembers belong to PARTY elections; a ${kind} election counts its registered voters`);
  }
  return { committeeKind: kind, seats, seatTotal, electionDay: input.electionDay, method: input.method, lawVersion: rules.lawVersion, partyOrgForm, entitledMembers };
}

/** Seats in the committee's order of roles (head first), whatever order they were stored in. */
export function orderedSeats(kind: CommitteeKind, seats: Record<string, number>): [string, number][] {
  const order = [...ROLES_BY_KIND[kind], WOMEN_SEAT_ROLE];
  const rank = (role: string) => (order.includes(role) ? order.indexOf(role) : order.length);
  return Object.entries(seats).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

/** The rule set an election was planned under: the one in force on its day with the stored version. */
export function rulesOfElection(
  election: { committee_kind: CommitteeKind; election_day: string; law_version: string; region_path: string },
  regional?: readonly RegionalRules[],
): ElectionRuleSet {
  const { committee_kind: kind, election_day: electionDay, law_version: lawVersion } = election;
  const rules = rulesForRegion(kind, electionDay, election.region_path, regional);
  // The table only grows: a version once picked for a day stays the one picked for it.
  if (rules.lawVersion !== lawVersion) {
    throw new Error(`rule table changed under a planned election: ${kind} on ${electionDay} was ${lawVersion}, now ${rules.lawVersion}`);
  }
  return rules;
}

/**
 * 差额: each role needs more candidates than seats (villagers'/residents') or 20% more (Party).
 * A single-seat head role of a Party committee is elected by the new committee (等额), so Party
 * roles other than PARTY_MEMBER_SEAT are exempt. Returns the roles that fall short, with numbers.
 */
export function candidateShortfalls(
  rules: ElectionRuleSet,
  seats: Record<string, number>,
  candidatesPerRole: Record<string, number>,
): { role: string; seats: number; needed: number; have: number }[] {
  const short: { role: string; seats: number; needed: number; have: number }[] = [];
  for (const [role, count] of Object.entries(seats)) {
    const needed = rules.kind === 'PARTY' && role !== 'PARTY_MEMBER_SEAT' ? count : minimumCandidates(rules, count);
    const have = candidatesPerRole[role] ?? 0;
    if (have < needed) short.push({ role, seats: count, needed, have });
  }
  return short;
}

export const describeShortfalls = (rules: ElectionRuleSet, short: ReturnType<typeof candidateShortfalls>) =>
  `${short.map((s) => `${s.role}: ${s.seats} seat(s) need ${s.needed} candidates, have ${s.have}`).join('; ')} (${rules.candidateSurplus.article})`;

/** The last day of a term that starts on `startsOn` and lasts `years` years (2026-01-15, 5 → 2031-01-14). */
export function termEndsOn(startsOn: string, years: number): string {
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d) - 86_400_000);
  return end.toISOString().slice(0, 10);
}
