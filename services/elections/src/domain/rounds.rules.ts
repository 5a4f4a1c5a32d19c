import type { Candidate, RankedCandidate, RunOffNeed } from './tally.rules';

/**
 * The rounds that follow a count (另行选举, 专职专选, 重新选举) and the candidates' outcome of it.
 * Pure: the commands store what these functions decide.
 */

export type RoundKind = 'REGULAR' | 'RUN_OFF' | 'WOMEN_SEAT' | 'REPEAT';

export interface CandidateOutcome {
  id: string;
  status: 'ELECTED' | 'NOT_ELECTED';
  votes: number;
  /** why someone not elected may stand again (in a run-off of the same election). */
  reason: string | null;
}

/** Every ranked candidate's outcome: elected, or not — noting who goes on to a run-off. */
export function candidateOutcomes(ranked: readonly RankedCandidate[], elected: readonly RankedCandidate[], runOffs: readonly RunOffNeed[]): CandidateOutcome[] {
  const won = new Set(elected.map((c) => c.id));
  const toRunOff = new Set(runOffs.flatMap((r) => r.candidateIds));
  return ranked.map((c) => ({
    id: c.id,
    status: won.has(c.id) ? 'ELECTED' : 'NOT_ELECTED',
    votes: c.votes,
    reason: won.has(c.id) ? null : toRunOff.has(c.id) ? 'RUN_OFF' : null,
  }));
}

export interface PlannedRound {
  kind: RoundKind;
  seats: Record<string, number>;
  /** RUN_OFF: the candidates who stand again (ids of the counted round's candidacies). */
  candidateIds: string[];
}

/** One run-off round per role with tied or unfilled seats. */
export function runOffRounds(runOffs: readonly RunOffNeed[]): PlannedRound[] {
  return runOffs.filter((r) => r.seats > 0).map((r) => ({ kind: 'RUN_OFF', seats: { [r.role]: r.seats }, candidateIds: [...r.candidateIds] }));
}

/**
 * 专职专选 once everything else is decided: the rule asks for a woman, nobody elected in any round
 * is a woman, no open round can still elect one, and no women's seat round exists yet.
 */
export function womenSeatRoundNeeded(input: {
  womenSeatRule: boolean;
  elected: readonly Pick<Candidate, 'gender'>[];
  stillStanding: readonly Pick<Candidate, 'gender'>[];
  womenSeatRoundExists: boolean;
}): boolean {
  if (!input.womenSeatRule || input.womenSeatRoundExists) return false;
  return !input.elected.some((c) => c.gender === 'FEMALE') && !input.stillStanding.some((c) => c.gender === 'FEMALE');
}

/** The seats a voided win leaves empty, per role: filled by a repeat round (重新选举 / 补选). */
export function vacatedSeats(voided: readonly { role: string }[]): Record<string, number> {
  const seats: Record<string, number> = {};
  for (const c of voided) seats[c.role] = (seats[c.role] ?? 0) + 1;
  return seats;
}
