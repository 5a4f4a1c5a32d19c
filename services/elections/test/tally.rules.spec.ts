import { DomainError } from '@huanjie/platform';
import {
  checkCandidateCount,
  checkProxies,
  checkSeatCount,
  checkVoterListPublication,
  minimumCandidates,
  rulesFor,
  secretaryAgeAllowed,
  withOverrides,
} from '../src/domain/election-rules.data';
import {
  compareEntries,
  computeElectionResult,
  computeRunOff,
  validateTallySheet,
  type Candidate,
  type ElectionResult,
  type TallySheet,
} from '../src/domain/tally.rules';

const villagers = rulesFor('VILLAGERS', '2026-03-15');
const residents = rulesFor('RESIDENTS', '2026-03-15');
const party = rulesFor('PARTY', '2026-03-15');

function sheet(
  boxId: string,
  returned: number,
  votes: Record<string, Record<string, number>>,
  extra: Partial<TallySheet> = {},
): TallySheet {
  return {
    boxId,
    clerkId: 'clerk-1',
    ballotsIssued: returned,
    ballotsReturned: returned,
    ballotsInvalid: 0,
    votes,
    writeIns: {},
    ...extra,
  };
}

/** The rule a call breaks, or null when it passes. */
function ruleBroken(call: () => unknown): string | null {
  try {
    call();
    return null;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') return error.rule;
    throw error;
  }
}

const members = (...spec: [string, 'MALE' | 'FEMALE'][]): Candidate[] => spec.map(([id, gender]) => ({ id, role: 'MEMBER', gender }));
const fourCandidates = members(['wang', 'FEMALE'], ['li', 'MALE'], ['zhang', 'MALE'], ['liu', 'MALE']);

interface Scenario {
  name: string;
  rules: typeof villagers;
  registered: number;
  attended?: number;
  seats: number;
  candidates: Candidate[];
  sheets: TallySheet[];
  expected: {
    validity: 'VALID' | 'INVALID';
    elected?: string[];
    runOffs?: { seats: number; reason: 'TIE_AT_LAST_SEAT' | 'UNFILLED'; candidateIds: string[] }[];
    followUps?: string[];
  };
}

const scenarios: Scenario[] = [
  {
    name: 'villagers: exactly half of registered voters voted → quorum missed (needs more than half: 2·500 > 1000 is false)',
    rules: villagers,
    registered: 1000,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('box-1', 300, { MEMBER: { wang: 290, li: 280 } }), sheet('box-2', 200, { MEMBER: { wang: 190, zhang: 180 } })],
    expected: { validity: 'INVALID' },
  },
  {
    name: 'villagers: 501 of 1000 voted over two boxes, three majorities → three elected by votes, a woman among them',
    rules: villagers,
    registered: 1000,
    seats: 3,
    candidates: fourCandidates,
    sheets: [
      sheet('box-1', 301, { MEMBER: { wang: 200, li: 150, zhang: 160, liu: 50 } }),
      sheet('box-2', 200, { MEMBER: { wang: 200, li: 150, zhang: 100, liu: 50 } }),
    ],
    expected: { validity: 'VALID', elected: ['wang', 'li', 'zhang'], runOffs: [], followUps: [] },
  },
  {
    name: 'villagers: 250 of 500 who voted is not a majority (invalid ballots still count as voting) → seat unfilled, run-off between the best two not elected',
    rules: villagers,
    registered: 800,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('box-1', 500, { MEMBER: { wang: 400, li: 300, zhang: 250, liu: 240 } }, { ballotsInvalid: 10 })],
    expected: {
      validity: 'VALID',
      elected: ['wang', 'li'],
      runOffs: [{ seats: 1, reason: 'UNFILLED', candidateIds: ['zhang', 'liu'] }],
      followUps: ['RUN_OFF'],
    },
  },
  {
    name: 'villagers: a tie across the last seat elects neither tied candidate → run-off for that seat between them',
    rules: villagers,
    registered: 800,
    seats: 2,
    candidates: fourCandidates,
    sheets: [sheet('box-1', 500, { MEMBER: { wang: 400, li: 300, zhang: 300, liu: 0 } })],
    expected: {
      validity: 'VALID',
      elected: ['wang'],
      runOffs: [{ seats: 1, reason: 'TIE_AT_LAST_SEAT', candidateIds: ['li', 'zhang'] }],
      followUps: ['RUN_OFF'],
    },
  },
  {
    name: 'villagers: a tie within the seats is no tie at the last seat → both elected',
    rules: villagers,
    registered: 800,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('box-1', 500, { MEMBER: { wang: 400, li: 300, zhang: 300, liu: 290 } })],
    expected: { validity: 'VALID', elected: ['wang', 'li', 'zhang'], runOffs: [], followUps: [] },
  },
  {
    name: 'villagers: no woman elected and none in a run-off → women’s seat elected separately (专职专选)',
    rules: villagers,
    registered: 800,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('box-1', 500, { MEMBER: { wang: 100, li: 400, zhang: 350, liu: 300 } })],
    expected: { validity: 'VALID', elected: ['li', 'zhang', 'liu'], runOffs: [], followUps: ['WOMEN_SEAT_ELECTION'] },
  },
  {
    name: 'residents: no woman elected while a woman is in the run-off → run-off only, women’s seat decided after it',
    rules: residents,
    registered: 800,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('box-1', 500, { MEMBER: { wang: 200, li: 400, zhang: 350, liu: 200 } })],
    expected: {
      validity: 'VALID',
      elected: ['li', 'zhang'],
      runOffs: [{ seats: 1, reason: 'UNFILLED', candidateIds: ['liu', 'wang'] }],
      followUps: ['RUN_OFF'],
    },
  },
  {
    name: 'Party: exactly 4/5 of entitled members attended (40 of 50) is not more than 4/5 → quorum missed',
    rules: party,
    registered: 50,
    attended: 40,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('meeting', 40, { MEMBER: { wang: 40, li: 40, zhang: 40 } })],
    expected: { validity: 'INVALID' },
  },
  {
    name: 'Party: 41 of 50 attended → valid; 25 votes is a majority of those present but not of the 50 entitled → not elected',
    rules: party,
    registered: 50,
    attended: 41,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('meeting', 41, { MEMBER: { wang: 41, li: 26, zhang: 25, liu: 16 } })],
    expected: {
      validity: 'VALID',
      elected: ['wang', 'li'],
      runOffs: [{ seats: 1, reason: 'UNFILLED', candidateIds: ['zhang', 'liu'] }],
      followUps: ['RUN_OFF'],
    },
  },
  {
    name: 'Party: no woman elected → no women’s seat election (not a rule of the Party regulations)',
    rules: party,
    registered: 50,
    attended: 45,
    seats: 3,
    candidates: fourCandidates,
    sheets: [sheet('meeting', 45, { MEMBER: { wang: 10, li: 40, zhang: 40, liu: 40 } })],
    expected: { validity: 'VALID', elected: ['li', 'liu', 'zhang'], runOffs: [], followUps: [] },
  },
];

describe('computeElectionResult: tally scenarios', () => {
  it.each(scenarios)('$name', ({ rules, registered, attended, seats, candidates, sheets, expected }) => {
    const result: ElectionResult = computeElectionResult({
      rules,
      registered,
      attended,
      seatsPerRole: { MEMBER: seats },
      candidates,
      sheets,
    });
    expect(result.validity).toBe(expected.validity);
    if (result.validity !== 'VALID') {
      expect(result.reason).toBe('QUORUM_MISSED');
      return;
    }
    expect(result.elected.map((c) => c.id)).toEqual(expected.elected);
    expect(result.runOffs.map(({ seats: s, reason, candidateIds }) => ({ seats: s, reason, candidateIds }))).toEqual(expected.runOffs);
    expect(result.followUps).toEqual(expected.followUps);
  });

  it('ranks the elected by votes and reports turnout against registered voters', () => {
    const result = computeElectionResult({
      rules: villagers,
      registered: 1000,
      seatsPerRole: { DIRECTOR: 1, MEMBER: 2 },
      candidates: [{ id: 'chen', role: 'DIRECTOR', gender: 'MALE' }, { id: 'zhou', role: 'DIRECTOR', gender: 'FEMALE' }, ...fourCandidates],
      sheets: [
        sheet(
          'box-1',
          600,
          { DIRECTOR: { chen: 350, zhou: 240 }, MEMBER: { wang: 310, li: 500, zhang: 100, liu: 20 } },
          { writeIns: { MEMBER: 30 } },
        ),
      ],
    });
    if (result.validity !== 'VALID') throw new Error('expected a valid election');
    expect(result.turnout).toEqual({ count: 600, base: 1000, ballotsCast: 600 });
    expect(result.elected.map((c) => [c.role, c.id, c.votes])).toEqual([
      ['DIRECTOR', 'chen', 350],
      ['MEMBER', 'li', 500],
      ['MEMBER', 'wang', 310],
    ]);
  });

  it('refuses votes for someone who is not a candidate of that role, and a ballot box counted twice', () => {
    const base = { rules: villagers, registered: 1000, seatsPerRole: { MEMBER: 3 }, candidates: fourCandidates };
    expect(ruleBroken(() => computeElectionResult({ ...base, sheets: [sheet('box-1', 600, { MEMBER: { sun: 10 } })] }))).toBe(
      'TALLY.UNKNOWN_CANDIDATE',
    );
    expect(ruleBroken(() => computeElectionResult({ ...base, sheets: [sheet('box-1', 300, {}), sheet('box-1', 300, {})] }))).toBe(
      'TALLY.DUPLICATE_BOX',
    );
    expect(ruleBroken(() => computeElectionResult({ ...base, sheets: [sheet('box-1', 1001, {})] }))).toBe('TALLY.BALLOTS_OVER_REGISTERED');
  });

  it('requires the Party attendance, no more than those entitled, and no more ballots than attendees', () => {
    const base = {
      rules: party,
      registered: 50,
      seatsPerRole: { MEMBER: 3 },
      candidates: fourCandidates,
      sheets: [sheet('meeting', 45, {})],
    };
    expect(ruleBroken(() => computeElectionResult(base))).toBe('TALLY.ATTENDED');
    expect(ruleBroken(() => computeElectionResult({ ...base, attended: 51 }))).toBe('TALLY.ATTENDED');
    expect(ruleBroken(() => computeElectionResult({ ...base, attended: 44 }))).toBe('TALLY.BALLOTS_OVER_ATTENDED');
  });
});

describe('computeRunOff (另行选举)', () => {
  const runOff = (votes: Record<string, number>, cast: number, seats = 1) =>
    computeRunOff({
      rules: villagers,
      registered: 1000,
      role: 'MEMBER',
      seats,
      candidates: fourCandidates,
      sheets: [sheet('box-1', cast, { MEMBER: votes })],
    });

  it.each([
    ['just above one third (101 of 300)', { li: 101, zhang: 99 }, 300, ['li'], null],
    ['exactly one third (100 of 300: 3·100 ≥ 300)', { li: 100, zhang: 99 }, 300, ['li'], null],
    ['just below one third (99 of 300)', { li: 99, zhang: 98 }, 300, [], 'UNFILLED'],
    ['a tie at the top', { li: 120, zhang: 120 }, 300, [], 'TIE_AT_LAST_SEAT'],
  ] as const)('%s', (_name, votes, cast, elected, runOffReason) => {
    const result = runOff(votes, cast);
    if (result.validity !== 'VALID') throw new Error('a villagers’ run-off asks no new quorum');
    expect(result.elected.map((c) => c.id)).toEqual(elected);
    expect(result.runOff?.reason ?? null).toBe(runOffReason);
  });

  it('asks no new quorum of villagers (300 of 1000 voted) but keeps the Party meeting quorate and its majority of those entitled', () => {
    expect(runOff({ li: 200 }, 300).validity).toBe('VALID');
    const partyRunOff = (attended: number, votes: number) =>
      computeRunOff({
        rules: party,
        registered: 50,
        attended,
        role: 'MEMBER',
        seats: 1,
        candidates: fourCandidates,
        sheets: [sheet('meeting', attended, { MEMBER: { zhang: votes } })],
      });
    expect(partyRunOff(40, 30).validity).toBe('INVALID');
    const result = partyRunOff(41, 25);
    if (result.validity !== 'VALID') throw new Error('expected a quorate meeting');
    expect(result.elected).toEqual([]);
    expect(result.runOff?.reason).toBe('UNFILLED');
  });
});

describe('validateTallySheet', () => {
  const seats = { MEMBER: 2 };
  it.each<[string, Partial<TallySheet>, string]>([
    ['more ballots returned than issued', { ballotsIssued: 100, ballotsReturned: 101 }, 'TALLY.RETURNED_OVER_ISSUED'],
    ['more invalid ballots than returned', { ballotsReturned: 100, ballotsInvalid: 101 }, 'TALLY.INVALID_OVER_RETURNED'],
    [
      'more votes than valid ballots × seats (2 per ballot)',
      { ballotsReturned: 100, ballotsInvalid: 10, votes: { MEMBER: { wang: 90, li: 90 } }, writeIns: { MEMBER: 1 } },
      'TALLY.VOTES_OVER_SEATS',
    ],
    [
      'a candidate with more votes than valid ballots',
      { ballotsReturned: 100, ballotsInvalid: 10, votes: { MEMBER: { wang: 91 } } },
      'TALLY.CANDIDATE_OVER_VALID',
    ],
    ['votes for a role the election does not fill', { votes: { DIRECTOR: { wang: 1 } } }, 'TALLY.UNKNOWN_ROLE'],
    ['a count that is not a whole number', { ballotsInvalid: 1.5 }, 'TALLY.COUNT'],
    ['a negative vote count', { votes: { MEMBER: { wang: -1 } } }, 'TALLY.COUNT'],
  ])('refuses %s', (_name, change, rule) => {
    expect(ruleBroken(() => validateTallySheet({ ...sheet('box-1', 100, {}, { ballotsIssued: 100 }), ...change }, seats))).toBe(rule);
  });

  it('accepts a sheet at its limits: every valid ballot marking both seats, write-ins included', () => {
    expect(
      ruleBroken(() =>
        validateTallySheet(
          sheet('box-1', 100, { MEMBER: { wang: 90, li: 80 } }, { ballotsIssued: 120, ballotsInvalid: 10, writeIns: { MEMBER: 10 } }),
          seats,
        ),
      ),
    ).toBeNull();
  });
});

describe('compareEntries (双人录入)', () => {
  const first = sheet('box-7', 300, { MEMBER: { wang: 200, li: 150 } }, { ballotsIssued: 310, writeIns: { MEMBER: 3 } });
  it('accepts two clerks’ identical entries; an absent count equals 0', () => {
    expect(compareEntries(first, { ...first, clerkId: 'clerk-2', votes: { MEMBER: { wang: 200, li: 150, zhang: 0 } } })).toEqual({
      outcome: 'MATCH',
    });
  });
  it('flags every differing field and merges nothing', () => {
    const second: TallySheet = {
      ...first,
      clerkId: 'clerk-2',
      ballotsReturned: 301,
      votes: { MEMBER: { wang: 200, li: 105, liu: 1 } },
      writeIns: {},
    };
    expect(compareEntries(first, second)).toEqual({
      outcome: 'MISMATCH',
      fields: ['ballotsReturned', 'votes.MEMBER.li', 'votes.MEMBER.liu', 'writeIns.MEMBER'],
    });
  });
  it('refuses two entries by the same clerk or of different boxes', () => {
    expect(ruleBroken(() => compareEntries(first, { ...first }))).toBe('TALLY.SAME_CLERK');
    expect(ruleBroken(() => compareEntries(first, { ...first, clerkId: 'clerk-2', boxId: 'box-8' }))).toBe('TALLY.DIFFERENT_BOX');
  });
});

describe('election rules as data', () => {
  it('picks the law version in force on election day, each rule with its article', () => {
    expect(rulesFor('VILLAGERS', '2025-12-31').lawVersion).toBe('VCOL-2018');
    expect(rulesFor('VILLAGERS', '2026-01-01').lawVersion).toBe('VCOL-2026');
    expect(rulesFor('RESIDENTS', '2026-01-01').lawVersion).toBe('RCOL-2018/VCOL-2026');
    expect(villagers.quorum.article).toContain('第十五条');
    expect(villagers.seats.value).toEqual({ min: 3, max: 7 });
    expect(residents.seats.value).toEqual({ min: 5, max: 9 });
    expect(ruleBroken(() => rulesFor('VILLAGERS', '2010-01-01'))).toBe('RULES.NOT_IN_FORCE');
    expect(ruleBroken(() => rulesFor('VILLAGERS', '1/1/2026'))).toBe('RULES.DATE_FORMAT');
  });

  it('checks seats, the contested-election surplus, proxies, the voter-list lead time and the secretary age', () => {
    expect(ruleBroken(() => checkSeatCount(villagers, 7))).toBeNull();
    expect(ruleBroken(() => checkSeatCount(villagers, 8))).toBe('RULES.SEATS');
    expect(ruleBroken(() => checkSeatCount(residents, 4))).toBe('RULES.SEATS');
    expect([minimumCandidates(party, 5), minimumCandidates(party, 3), minimumCandidates(villagers, 5)]).toEqual([6, 4, 6]);
    expect(ruleBroken(() => checkCandidateCount(party, 7, 8))).toBe('RULES.CANDIDATE_SURPLUS');
    expect(ruleBroken(() => checkCandidateCount(villagers, 3, 3))).toBe('RULES.CANDIDATE_SURPLUS');
    expect(ruleBroken(() => checkProxies(villagers, 3, false))).toBeNull();
    expect(ruleBroken(() => checkProxies(villagers, 4, false))).toBe('RULES.PROXY_CAP');
    expect(ruleBroken(() => checkProxies(villagers, 1, true))).toBe('RULES.PROXY_CAP');
    expect(ruleBroken(() => checkProxies(withOverrides(villagers, { proxyCap: { value: 2, article: 'local' } }), 3, false))).toBe(
      'RULES.PROXY_CAP',
    );
    expect(ruleBroken(() => checkVoterListPublication(villagers, '2026-03-01', '2026-03-21'))).toBeNull();
    expect(ruleBroken(() => checkVoterListPublication(villagers, '2026-03-02', '2026-03-21'))).toBe('RULES.VOTER_LIST_LEAD_TIME');
    expect([
      secretaryAgeAllowed(party, 59, 'MALE'),
      secretaryAgeAllowed(party, 60, 'MALE'),
      secretaryAgeAllowed(party, 55, 'FEMALE'),
    ]).toEqual([true, false, false]);
  });
});
