import { badInput } from '@huanjie/platform';
import { exceedsShare, minimumCandidates, reachesShare, type ElectionRuleSet, type Fraction } from './election-rules.data';

/**
 * 计票: tally sheets per ballot box, the dual entry that accepts them, and the result of an
 * election computed by the rule set of its kind and law version (election-rules.data.ts).
 *
 * Counting choices, each from the law's wording:
 * - "参加投票的村民" (those who voted) is the number of ballots returned (收回选票), valid or not: an
 *   invalid ballot is still a vote cast. It is the base of the villagers'/residents' quorum and
 *   majority, and "已投选票数" (ballots cast) of the run-off floor.
 * - The Party quorum counts entitled members who attended (实到会有选举权人数), entered by the
 *   meeting, not derived from ballots; the Party majority counts against those entitled to attend
 *   (应到会有选举权人数), never those present.
 * - All shares are compared in integers: 2·voted > registered, 5·attended > 4·entitled,
 *   2·votes > base, 3·votes ≥ cast ("不得少于三分之一" = at least one third, so exactly one third wins).
 * - Write-in votes (另选他人) are counted in the per-ballot limit; a write-in person who must compete
 *   for a seat is entered as a candidate.
 */

export type Gender = 'MALE' | 'FEMALE';

/** One clerk's entry of the sheet of one ballot box (票箱). */
export interface TallySheet {
  boxId: string;
  clerkId: string;
  ballotsIssued: number;
  ballotsReturned: number;
  ballotsInvalid: number;
  /** votes per role, per candidate id, on the valid ballots. */
  votes: Record<string, Record<string, number>>;
  /** votes for write-in names (另选他人), per role. */
  writeIns: Record<string, number>;
}

export interface Candidate {
  id: string;
  role: string;
  gender: Gender;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * Refuses a sheet that cannot be true: counts not whole and non-negative, more ballots returned
 * than issued, more invalid than returned, votes for a role the election does not fill, a
 * candidate with more votes than valid ballots, or more votes in a role than the valid ballots
 * could carry (each ballot marks at most as many names as the role has seats).
 */
export function validateTallySheet(sheet: TallySheet, seatsPerRole: Record<string, number>): void {
  for (const field of ['ballotsIssued', 'ballotsReturned', 'ballotsInvalid'] as const) {
    if (!isCount(sheet[field])) throw badInput('TALLY.COUNT', `${field} must be a whole number ≥ 0, got ${String(sheet[field])}`);
  }
  if (sheet.ballotsReturned > sheet.ballotsIssued) {
    throw badInput(
      'TALLY.RETURNED_OVER_ISSUED',
      `ballots returned (收回选票 ${sheet.ballotsReturned}) must not exceed ballots issued (发出选票 ${sheet.ballotsIssued}) in box ${sheet.boxId}`,
    );
  }
  if (sheet.ballotsInvalid > sheet.ballotsReturned) {
    throw badInput(
      'TALLY.INVALID_OVER_RETURNED',
      `invalid ballots (无效票 ${sheet.ballotsInvalid}) must not exceed ballots returned (${sheet.ballotsReturned}) in box ${sheet.boxId}`,
    );
  }
  const valid = sheet.ballotsReturned - sheet.ballotsInvalid;
  const roles = new Set([...Object.keys(sheet.votes), ...Object.keys(sheet.writeIns)]);
  for (const role of roles) {
    const seats = seatsPerRole[role];
    if (seats === undefined) {
      throw badInput('TALLY.UNKNOWN_ROLE', `votes for role ${role} but the election fills only ${Object.keys(seatsPerRole).join(', ')}`);
    }
    const writeIns = sheet.writeIns[role] ?? 0;
    if (!isCount(writeIns)) throw badInput('TALLY.COUNT', `writeIns.${role} must be a whole number ≥ 0, got ${String(writeIns)}`);
    let total = writeIns;
    for (const [candidateId, votes] of Object.entries(sheet.votes[role] ?? {})) {
      if (!isCount(votes)) throw badInput('TALLY.COUNT', `votes.${role}.${candidateId} must be a whole number ≥ 0, got ${String(votes)}`);
      if (votes > valid) {
        throw badInput(
          'TALLY.CANDIDATE_OVER_VALID',
          `candidate ${candidateId} (${role}) has ${votes} votes, more than the ${valid} valid ballots in box ${sheet.boxId}`,
        );
      }
      total += votes;
    }
    if (total > valid * seats) {
      throw badInput(
        'TALLY.VOTES_OVER_SEATS',
        `${role}: ${total} votes on ${valid} valid ballots exceed ${seats} vote(s) per ballot (one per seat) in box ${sheet.boxId}`,
      );
    }
  }
}

export type DualEntryComparison = { outcome: 'MATCH' } | { outcome: 'MISMATCH'; fields: string[] };

/**
 * 双人录入: two clerks enter the same sheet; it is accepted only when every count agrees. A
 * mismatch names each differing field and is never merged — the sheet goes back to be re-entered.
 * An absent count and 0 are the same count (no votes).
 */
export function compareEntries(first: TallySheet, second: TallySheet): DualEntryComparison {
  if (first.boxId !== second.boxId) {
    throw badInput('TALLY.DIFFERENT_BOX', `both entries must be of the same ballot box, got ${first.boxId} and ${second.boxId}`);
  }
  if (first.clerkId === second.clerkId) {
    throw badInput('TALLY.SAME_CLERK', `the two entries must be made by two different clerks, both by ${first.clerkId}`);
  }
  const fields: string[] = [];
  for (const field of ['ballotsIssued', 'ballotsReturned', 'ballotsInvalid'] as const) {
    if (first[field] !== second[field]) fields.push(field);
  }
  const roles = [...new Set([...Object.keys(first.votes), ...Object.keys(second.votes)])].sort();
  for (const role of roles) {
    const a = first.votes[role] ?? {};
    const b = second.votes[role] ?? {};
    for (const id of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if ((a[id] ?? 0) !== (b[id] ?? 0)) fields.push(`votes.${role}.${id}`);
    }
  }
  for (const role of [...new Set([...Object.keys(first.writeIns), ...Object.keys(second.writeIns)])].sort()) {
    if ((first.writeIns[role] ?? 0) !== (second.writeIns[role] ?? 0)) fields.push(`writeIns.${role}`);
  }
  return fields.length === 0 ? { outcome: 'MATCH' } : { outcome: 'MISMATCH', fields };
}

export interface ElectionCountInput {
  rules: ElectionRuleSet;
  /** accepted sheets (both entries matched), one per ballot box. */
  sheets: readonly TallySheet[];
  /** villagers'/residents': registered voters (登记参加选举的选民); Party: members entitled to attend (应到会有选举权人数). */
  registered: number;
  /** Party: entitled members who attended (实到会有选举权人数). Not used for villagers'/residents'. */
  attended?: number;
  seatsPerRole: Record<string, number>;
  candidates: readonly Candidate[];
}

export interface RankedCandidate {
  id: string;
  role: string;
  gender: Gender;
  votes: number;
}

export interface RunOffNeed {
  role: string;
  /** seats still to fill in the run-off. */
  seats: number;
  reason: 'TIE_AT_LAST_SEAT' | 'UNFILLED';
  /** TIE: the tied candidates; UNFILLED: the best placed not elected (得票多的为候选人). */
  candidateIds: string[];
}

export interface Turnout {
  /** voted (villagers'/residents') or attended (Party). */
  count: number;
  /** registered voters or entitled members. */
  base: number;
  /** ballots returned in all boxes (参加投票 / 已投选票数). */
  ballotsCast: number;
}

export type FollowUp = 'RUN_OFF' | 'WOMEN_SEAT_ELECTION';

export type ElectionResult =
  | { validity: 'INVALID'; reason: 'QUORUM_MISSED'; turnout: Turnout; rule: string }
  | {
      validity: 'VALID';
      turnout: Turnout;
      /** every candidate by role, most votes first. */
      ranked: RankedCandidate[];
      elected: RankedCandidate[];
      runOffs: RunOffNeed[];
      /** no woman elected nor in a pending run-off: the women's seat is elected separately (专职专选). */
      womenSeatElection: boolean;
      followUps: FollowUp[];
    };

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Turnout and quorum (VCOL 第十五条: 过半数投票; PBOER: 到会超过应到会人数的五分之四). */
function turnoutOf(input: Pick<ElectionCountInput, 'rules' | 'sheets' | 'registered' | 'attended'>): {
  turnout: Turnout;
  quorate: boolean;
} {
  const { rules, sheets, registered } = input;
  if (!isCount(registered) || registered === 0) {
    throw badInput('TALLY.REGISTERED', `registered voters / entitled members must be a whole number > 0, got ${String(registered)}`);
  }
  const ballotsCast = sum(sheets.map((s) => s.ballotsReturned));
  const quorum = rules.quorum.value;
  let count: number;
  if (quorum.basis === 'ENTITLED_ATTENDED') {
    const attended = input.attended;
    if (!isCount(attended) || attended > registered) {
      throw badInput(
        'TALLY.ATTENDED',
        `a ${rules.kind} election needs the entitled members who attended, a whole number from 0 to ${registered} (${rules.quorum.article}), got ${String(attended)}`,
      );
    }
    const issued = sum(sheets.map((s) => s.ballotsIssued));
    if (issued > attended) {
      throw badInput('TALLY.BALLOTS_OVER_ATTENDED', `${issued} ballots issued but only ${attended} entitled members attended`);
    }
    count = attended;
  } else {
    if (ballotsCast > registered) {
      throw badInput('TALLY.BALLOTS_OVER_REGISTERED', `${ballotsCast} ballots returned but only ${registered} voters registered`);
    }
    count = ballotsCast;
  }
  return { turnout: { count, base: registered, ballotsCast }, quorate: exceedsShare(count, registered, quorum.moreThan) };
}

/** Votes of each candidate of a role over all sheets, most votes first (ties by id, for a stable order). */
function rankRole(sheets: readonly TallySheet[], candidates: readonly Candidate[], role: string): RankedCandidate[] {
  return candidates
    .filter((c) => c.role === role)
    .map((c) => ({ id: c.id, role, gender: c.gender, votes: sum(sheets.map((s) => s.votes[role]?.[c.id] ?? 0)) }))
    .sort((a, b) => b.votes - a.votes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function checkCandidatesKnown(sheets: readonly TallySheet[], candidates: readonly Candidate[]): void {
  const known = new Set(candidates.map((c) => `${c.role}\u0000${c.id}`));
  for (const sheet of sheets) {
    for (const [role, votes] of Object.entries(sheet.votes)) {
      for (const id of Object.keys(votes)) {
        if (!known.has(`${role}\u0000${id}`)) {
          throw badInput(
            'TALLY.UNKNOWN_CANDIDATE',
            `box ${sheet.boxId} has votes for ${id} (${role}), who is not a candidate for that role`,
          );
        }
      }
    }
  }
}

/**
 * Fills `seats` from `ranked` (most votes first) with those who `qualify`. More qualifiers than
 * seats are taken by votes; a tie across the last seat elects nobody of the tied group (they go to
 * a run-off for the seats left); fewer qualifiers than seats leave seats unfilled, whose run-off
 * candidates are the best placed of the rest, as many as a contested election needs (差额), and
 * all of those tied with the last of them.
 */
function fillSeats(
  rules: ElectionRuleSet,
  role: string,
  seats: number,
  ranked: readonly RankedCandidate[],
  qualify: (votes: number) => boolean,
): { elected: RankedCandidate[]; runOff: RunOffNeed | null } {
  const qualified = ranked.filter((c) => qualify(c.votes));
  if (qualified.length > seats) {
    const lastSeatVotes = qualified[seats - 1]?.votes;
    const firstOutVotes = qualified[seats]?.votes;
    if (seats > 0 && lastSeatVotes === firstOutVotes) {
      const elected = qualified.filter((c) => c.votes > (lastSeatVotes ?? 0));
      const tied = qualified.filter((c) => c.votes === lastSeatVotes);
      return { elected, runOff: { role, seats: seats - elected.length, reason: 'TIE_AT_LAST_SEAT', candidateIds: tied.map((c) => c.id) } };
    }
    return { elected: qualified.slice(0, seats), runOff: null };
  }
  if (qualified.length === seats) return { elected: qualified, runOff: null };
  const left = seats - qualified.length;
  const rest = ranked.filter((c) => !qualified.includes(c));
  const wanted = Math.min(rest.length, minimumCandidates(rules, left));
  const cutoff = rest[wanted - 1]?.votes;
  const candidateIds = rest.filter((c, i) => i < wanted || c.votes === cutoff).map((c) => c.id);
  return { elected: qualified, runOff: { role, seats: left, reason: 'UNFILLED', candidateIds } };
}

/** The winning test of the first ballot: more than the share of those who voted (VCOL) or of those entitled (PBOER). */
function firstRoundQualifies(rules: ElectionRuleSet, turnout: Turnout): (votes: number) => boolean {
  const { basis, moreThan } = rules.winning.value;
  const base = basis === 'VOTED' ? turnout.ballotsCast : turnout.base;
  return (votes) => exceedsShare(votes, base, moreThan);
}

/**
 * 专职专选: a villagers'/residents' committee must have a woman member (VCOL 第六条). When none is
 * elected and no woman can still win a pending run-off, the women's seat is elected separately.
 * After the run-offs, ask again with everyone elected and nothing pending.
 */
export function womenSeatElectionNeeded(
  rules: ElectionRuleSet,
  elected: readonly { gender: Gender }[],
  pendingRunOff: readonly { gender: Gender }[] = [],
): boolean {
  if (!rules.womenSeat.value) return false;
  return !elected.some((c) => c.gender === 'FEMALE') && !pendingRunOff.some((c) => c.gender === 'FEMALE');
}

function validateAll(input: Pick<ElectionCountInput, 'sheets' | 'seatsPerRole' | 'candidates'>): void {
  const boxes = new Set<string>();
  for (const sheet of input.sheets) {
    if (boxes.has(sheet.boxId))
      throw badInput('TALLY.DUPLICATE_BOX', `box ${sheet.boxId} is counted twice; one accepted sheet per ballot box`);
    boxes.add(sheet.boxId);
    validateTallySheet(sheet, input.seatsPerRole);
  }
  for (const [role, seats] of Object.entries(input.seatsPerRole)) {
    if (!Number.isInteger(seats) || seats < 1) throw badInput('TALLY.SEATS', `seats for ${role} must be a whole number ≥ 1, got ${seats}`);
  }
  checkCandidatesKnown(input.sheets, input.candidates);
}

/**
 * The result of the first ballot of an election: INVALID when the quorum is missed; otherwise the
 * winners per role ranked by votes, the run-offs (另行选举) still needed for tied or unfilled seats,
 * and whether the women's seat must be elected separately.
 */
export function computeElectionResult(input: ElectionCountInput): ElectionResult {
  const { rules, sheets, seatsPerRole, candidates } = input;
  validateAll(input);
  const { turnout, quorate } = turnoutOf(input);
  if (!quorate) return { validity: 'INVALID', reason: 'QUORUM_MISSED', turnout, rule: rules.quorum.article };
  const qualify = firstRoundQualifies(rules, turnout);
  const ranked: RankedCandidate[] = [];
  const elected: RankedCandidate[] = [];
  const runOffs: RunOffNeed[] = [];
  for (const [role, seats] of Object.entries(seatsPerRole)) {
    const roleRanked = rankRole(sheets, candidates, role);
    ranked.push(...roleRanked);
    const filled = fillSeats(rules, role, seats, roleRanked, qualify);
    elected.push(...filled.elected);
    if (filled.runOff) runOffs.push(filled.runOff);
  }
  const pending = runOffs.flatMap((r) => candidates.filter((c) => c.role === r.role && r.candidateIds.includes(c.id)));
  const womenSeatElection = womenSeatElectionNeeded(rules, elected, pending);
  const followUps: FollowUp[] = [
    ...(runOffs.length > 0 ? (['RUN_OFF'] as const) : []),
    ...(womenSeatElection ? (['WOMEN_SEAT_ELECTION'] as const) : []),
  ];
  return { validity: 'VALID', turnout, ranked, elected, runOffs, womenSeatElection, followUps };
}

export interface RunOffInput {
  rules: ElectionRuleSet;
  sheets: readonly TallySheet[];
  registered: number;
  attended?: number;
  role: string;
  seats: number;
  candidates: readonly Candidate[];
}

export type RunOffResult =
  | { validity: 'INVALID'; reason: 'QUORUM_MISSED'; turnout: Turnout; rule: string }
  | { validity: 'VALID'; turnout: Turnout; ranked: RankedCandidate[]; elected: RankedCandidate[]; runOff: RunOffNeed | null };

/**
 * 另行选举 for one role. Villagers'/residents' (VCOL 第十五条): most votes win provided they are at
 * least one third of the ballots cast (3·votes ≥ cast), no quorum asked again. Party: the first-round
 * test still applies (more than half of those entitled) and the meeting must stay quorate. A tie at
 * the last seat, or seats still unfilled, need another round.
 */
export function computeRunOff(input: RunOffInput): RunOffResult {
  const { rules, sheets, role, seats, candidates } = input;
  validateAll({ sheets, seatsPerRole: { [role]: seats }, candidates });
  const { turnout, quorate } = turnoutOf(input);
  if (rules.runOffNeedsQuorum.value && !quorate) {
    return { validity: 'INVALID', reason: 'QUORUM_MISSED', turnout, rule: rules.quorum.article };
  }
  const runOffRule = rules.runOff.value;
  let qualify: (votes: number) => boolean;
  if (runOffRule.kind === 'PLURALITY_WITH_FLOOR') {
    const floor: Fraction = runOffRule.atLeastOfCast;
    qualify = (votes) => votes > 0 && reachesShare(votes, turnout.ballotsCast, floor);
  } else {
    qualify = firstRoundQualifies(rules, turnout);
  }
  const ranked = rankRole(sheets, candidates, role);
  const { elected, runOff } = fillSeats(rules, role, seats, ranked, qualify);
  return { validity: 'VALID', turnout, ranked, elected, runOff };
}
