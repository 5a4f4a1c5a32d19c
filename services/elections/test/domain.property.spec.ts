import fc from 'fast-check';
import { DomainError } from '@huanjie/platform';
import { ELECTION_EVENTS, ELECTION_STATUSES, ELECTION_TRANSITIONS, TERMINAL_ELECTION_STATUSES, allowedElectionEvents, transition, type ElectionEvent, type ElectionStatus } from '../src/domain/election.state-machine';
import { CANDIDATE_EVENTS, CANDIDATE_STATUSES, CANDIDATE_TRANSITIONS, allowedCandidateEvents, transitionCandidate, type CandidateEvent, type CandidateStatus } from '../src/domain/candidate.state-machine';
import { exceedsShare, reachesShare, rulesFor, type CommitteeKind } from '../src/domain/election-rules.data';
import { computeElectionResult, computeRunOff, type Candidate, type ElectionResult, type TallySheet } from '../src/domain/tally.rules';

// Property-based tests (fast-check) of the election rules: the two state machines and the tally.

const conflictOf = (fn: () => unknown): DomainError | null => {
  try {
    fn();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error;
  }
};

describe('election state machine', () => {
  const reachedElection = new Set<ElectionStatus>();
  it('any sequence of events follows the table or is refused with CONFLICT, never reaching an undeclared status', () => {
    fc.assert(
      // Each step is any event, or (half the time) one the status allows, so deep statuses are reached too.
      fc.property(fc.array(fc.tuple(fc.constantFrom(...ELECTION_EVENTS), fc.option(fc.nat(5), { nil: null })), { minLength: 1, maxLength: 40, size: 'max' }), (steps) => {
        let status: ElectionStatus = 'PLANNED';
        for (const [any, pick] of steps) {
          const allowed = allowedElectionEvents(status);
          const event: ElectionEvent = pick !== null && allowed.length ? allowed[pick % allowed.length]! : any;
          reachedElection.add(status);
          const expected = ELECTION_TRANSITIONS[status][event];
          const error = conflictOf(() => (status = transition(status, event)));
          if (expected === undefined) {
            expect(error).toMatchObject({ code: 'CONFLICT', rule: 'ELECTION.ILLEGAL_TRANSITION' });
          } else {
            expect(error).toBeNull();
            expect(status).toBe(expected);
          }
          expect(ELECTION_STATUSES).toContain(status);
        }
      }),
      { numRuns: 1000 },
    );
    expect([...reachedElection].sort()).toEqual([...ELECTION_STATUSES].sort());
  });

  it('a terminal status refuses every event; every status is reachable from PLANNED', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_ELECTION_STATUSES), fc.constantFrom(...ELECTION_EVENTS), (status, event) => {
        expect(conflictOf(() => transition(status, event))).toMatchObject({ code: 'CONFLICT' });
      }),
    );
    const seen = new Set<ElectionStatus>(['PLANNED']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of [...seen]) {
        for (const to of Object.values(ELECTION_TRANSITIONS[s])) {
          if (!seen.has(to!)) {
            seen.add(to!);
            grew = true;
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...ELECTION_STATUSES].sort());
  });
});

describe('candidate state machine', () => {
  const reachedCandidate = new Set<CandidateStatus>();
  it('any sequence of (event, election status) follows the table or is refused with CONFLICT', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...CANDIDATE_EVENTS), fc.option(fc.nat(5), { nil: null }), fc.constantFrom(...ELECTION_STATUSES)), { minLength: 1, maxLength: 40, size: 'max' }), (steps) => {
        let status: CandidateStatus = 'NOMINATED';
        for (const [any, pick, election] of steps) {
          const allowed = allowedCandidateEvents(status);
          const event: CandidateEvent = pick !== null && allowed.length ? allowed[pick % allowed.length]! : any;
          reachedCandidate.add(status);
          const before = status;
          const error = conflictOf(() => (status = transitionCandidate(status, event, election)));
          if (error) {
            expect(error.code).toBe('CONFLICT');
            expect(status).toBe(before);
          } else {
            expect(CANDIDATE_TRANSITIONS[before][event]).toBe(status);
          }
          if (CANDIDATE_TRANSITIONS[before][event] === undefined) expect(error?.rule).toBe('CANDIDATE.ILLEGAL_TRANSITION');
          expect(CANDIDATE_STATUSES).toContain(status);
        }
      }),
      { numRuns: 1000 },
    );
    expect([...reachedCandidate].sort()).toEqual([...CANDIDATE_STATUSES].sort());
  });
});

// ---- tally ----

interface Scenario {
  kind: CommitteeKind;
  seatsPerRole: Record<string, number>;
  candidates: Candidate[];
  sheets: TallySheet[];
  registered: number;
  attended?: number;
}

const ROLE_SETS: Record<CommitteeKind, string[]> = { VILLAGERS: ['DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER'], RESIDENTS: ['DIRECTOR', 'MEMBER'], PARTY: ['SECRETARY', 'PARTY_MEMBER_SEAT'] };

/** Ballots are generated one by one (each marks at most as many names as the role has seats), so every sheet is true. */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    kind: fc.constantFrom<CommitteeKind>('VILLAGERS', 'RESIDENTS', 'PARTY'),
    seats: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    roleCount: fc.integer({ min: 1, max: 3 }),
    genders: fc.array(fc.array(fc.constantFrom<'MALE' | 'FEMALE'>('MALE', 'FEMALE'), { maxLength: 6 }), { minLength: 3, maxLength: 3 }),
  })
  .chain(({ kind, seats, roleCount, genders }) => {
    const roles = ROLE_SETS[kind].slice(0, roleCount);
    const seatsPerRole = Object.fromEntries(roles.map((r, i) => [r, seats[i]!]));
    const candidates: Candidate[] = roles.flatMap((role, i) => genders[i]!.map((gender, j) => ({ id: `${role.toLowerCase()}-${j}`, role, gender })));
    const idsOf = (role: string) => candidates.filter((c) => c.role === role).map((c) => c.id);
    const random = fc.record(Object.fromEntries(roles.map((role) => [role, fc.subarray(idsOf(role), { maxLength: Math.min(seatsPerRole[role]!, idsOf(role).length) })])));
    // Most ballots follow a slate (the first candidates of each role), so majorities and ties at the last seat occur.
    const slate = Object.fromEntries(roles.map((role) => [role, idsOf(role).slice(0, seatsPerRole[role]!)]));
    const ballot = fc.oneof({ arbitrary: fc.constant(slate), weight: 3 }, { arbitrary: random, weight: 2 });
    const box = fc.record({ ballots: fc.array(ballot, { maxLength: 25 }), invalid: fc.integer({ min: 0, max: 4 }), unreturned: fc.integer({ min: 0, max: 3 }), writeIns: fc.integer({ min: 0, max: 2 }) });
    return fc.record({ boxes: fc.array(box, { minLength: 1, maxLength: 4 }), extraPercent: fc.integer({ min: 0, max: 150 }), extraAttended: fc.integer({ min: 0, max: 5 }) }).map(({ boxes, extraPercent, extraAttended }) => {
      const sheets: TallySheet[] = boxes.map((b, i) => {
        const votes: Record<string, Record<string, number>> = {};
        const writeIns: Record<string, number> = {};
        for (const role of roles) {
          votes[role] = {};
          for (const c of candidates.filter((c) => c.role === role)) votes[role]![c.id] = 0;
        }
        for (const ballot of b.ballots) for (const [role, ids] of Object.entries(ballot)) for (const id of ids as string[]) votes[role]![id]!++;
        // A write-in uses a ballot's free mark: only ballots that left one free may carry it.
        const firstRole = roles[0]!;
        const spare = b.ballots.filter((x) => (x[firstRole] as string[]).length < seatsPerRole[firstRole]!).length;
        writeIns[firstRole] = Math.min(b.writeIns, spare);
        const returned = b.ballots.length + b.invalid;
        return { boxId: `box-${i}`, clerkId: 'clerk', ballotsIssued: returned + b.unreturned, ballotsReturned: returned, ballotsInvalid: b.invalid, votes, writeIns };
      });
      const cast = sheets.reduce((n, s) => n + s.ballotsReturned, 0);
      const issued = sheets.reduce((n, s) => n + s.ballotsIssued, 0);
      if (kind === 'PARTY') {
        const attended = issued + extraAttended;
        return { kind, seatsPerRole, candidates, sheets, attended, registered: Math.max(1, attended + Math.floor((attended * extraPercent) / 400)) };
      }
      // Registered voters: from exactly those who voted to 2.5 times as many (quorum met about two times in three).
      return { kind, seatsPerRole, candidates, sheets, registered: Math.max(1, cast + Math.floor((cast * extraPercent) / 100)) };
    });
  });

const resultOf = (s: Scenario, sheets = s.sheets, candidates = s.candidates): ElectionResult =>
  computeElectionResult({ rules: rulesFor(s.kind, '2026-03-15'), sheets, registered: s.registered, attended: s.attended, seatsPerRole: s.seatsPerRole, candidates });

describe('tally', () => {
  it('never elects more than the seats of a role; every winner meets the winning share; nobody out-polls a winner of the same role without being elected or in the run-off', () => {
    let decided = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const result = resultOf(s);
        if (result.validity === 'VALID' && result.elected.length > 0) decided++;
        if (result.validity === 'INVALID') {
          const quorum = rulesFor(s.kind, '2026-03-15').quorum.value;
          expect(exceedsShare(result.turnout.count, result.turnout.base, quorum.moreThan)).toBe(false);
          return;
        }
        const rules = rulesFor(s.kind, '2026-03-15');
        const { basis, moreThan } = rules.winning.value;
        const base = basis === 'VOTED' ? result.turnout.ballotsCast : result.turnout.base;
        for (const [role, seats] of Object.entries(s.seatsPerRole)) {
          const elected = result.elected.filter((c) => c.role === role);
          const runOff = result.runOffs.find((r) => r.role === role);
          expect(elected.length).toBeLessThanOrEqual(seats);
          expect(elected.length + (runOff?.seats ?? 0)).toBe(runOff ? seats : elected.length);
          if (!runOff) expect(elected.length).toBeLessThanOrEqual(seats);
          for (const c of elected) expect(exceedsShare(c.votes, base, moreThan)).toBe(true);
          const minWinner = Math.min(...elected.map((c) => c.votes));
          for (const c of result.ranked.filter((r) => r.role === role && !elected.some((e) => e.id === r.id))) {
            if (c.votes > minWinner) expect(runOff?.candidateIds ?? []).toContain(c.id);
          }
        }
        expect(new Set(result.elected.map((c) => c.id)).size).toBe(result.elected.length);
        expect(result.womenSeatElection).toBe(result.followUps.includes('WOMEN_SEAT_ELECTION'));
      }),
      { numRuns: 1000 },
    );
    // The generator must exercise the interesting case: valid counts that elect someone.
    expect(decided).toBeGreaterThan(200);
  });

  it('is invariant under any permutation of the sheets and of the candidates', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.sheets, { minLength: s.sheets.length }), fc.shuffledSubarray(s.candidates, { minLength: s.candidates.length }))),
        ([s, sheets, candidates]) => {
          expect(resultOf(s, sheets, candidates)).toEqual(resultOf(s));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a run-off elects at most its seats, each winner with a vote and at least the floor of the ballots cast', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const role = Object.keys(s.seatsPerRole)[0]!;
        const rules = rulesFor(s.kind, '2026-03-15');
        const sheets = s.sheets.map((sh) => ({ ...sh, votes: { [role]: sh.votes[role]! }, writeIns: { [role]: sh.writeIns[role] ?? 0 } }));
        const result = computeRunOff({ rules, sheets, registered: s.registered, attended: s.attended, role, seats: s.seatsPerRole[role]!, candidates: s.candidates.filter((c) => c.role === role) });
        if (result.validity === 'INVALID') return;
        expect(result.elected.length).toBeLessThanOrEqual(s.seatsPerRole[role]!);
        const runOffRule = rules.runOff.value;
        for (const c of result.elected) {
          if (runOffRule.kind === 'PLURALITY_WITH_FLOOR') {
            expect(c.votes).toBeGreaterThan(0);
            expect(reachesShare(c.votes, result.turnout.ballotsCast, runOffRule.atLeastOfCast)).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
