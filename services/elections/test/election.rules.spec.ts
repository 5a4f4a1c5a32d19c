import { DomainError } from '@huanjie/platform';
import { candidateShortfalls, orderedSeats, planElection, termEndsOn } from '../src/domain/election.rules';
import { rulesFor, rulesForRegion } from '../src/domain/election-rules.data';
import { candidateOutcomes, runOffRounds, vacatedSeats, womenSeatRoundNeeded } from '../src/domain/rounds.rules';

const cycle = { startsOn: '2026-01-01', endsOn: '2026-06-30' };
const villagers = { committeeKind: 'VILLAGERS' as const, seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 4 }], electionDay: '2026-03-28', method: 'VOTERS_ASSEMBLY' };
const ruleOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.rule : `not a DomainError: ${String(e)}`;
  }
  return 'no error';
};

describe('planElection', () => {
  it('picks the law version by election day: the 2026 revision from 2026-01-01, the 2018 text before', () => {
    expect(planElection(villagers, cycle).lawVersion).toBe('VCOL-2026');
    expect(planElection({ ...villagers, electionDay: '2025-12-31' }, { startsOn: '2025-10-01', endsOn: '2026-06-30' }).lawVersion).toBe('VCOL-2018');
  });

  it('counts seats against the lawful range of the kind: villagers 3–7, residents 5–9', () => {
    expect(planElection(villagers, cycle).seatTotal).toBe(5);
    expect(ruleOf(() => planElection({ ...villagers, seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 1 }] }, cycle))).toBe('RULES.SEATS');
    expect(ruleOf(() => planElection({ ...villagers, committeeKind: 'RESIDENTS', seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 3 }] }, cycle))).toBe('RULES.SEATS');
    expect(planElection({ ...villagers, committeeKind: 'RESIDENTS', seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 8 }] }, cycle).seatTotal).toBe(9);
  });

  it('needs the Party fields for a Party election and refuses them elsewhere', () => {
    const party = { ...villagers, committeeKind: 'PARTY' as const, method: 'PARTY_ASSEMBLY', seats: [{ role: 'SECRETARY', count: 1 }, { role: 'PARTY_MEMBER_SEAT', count: 4 }] };
    expect(ruleOf(() => planElection(party, cycle))).toBe('ELECTION.PARTY_ORG_FORM');
    expect(ruleOf(() => planElection({ ...party, partyOrgForm: 'BRANCH', entitledMembers: 4 }, cycle))).toBe('ELECTION.ENTITLED_MEMBERS');
    expect(planElection({ ...party, partyOrgForm: 'BRANCH', entitledMembers: 48 }, cycle)).toMatchObject({ partyOrgForm: 'BRANCH', entitledMembers: 48, lawVersion: 'PBOER-2020' });
    expect(ruleOf(() => planElection({ ...villagers, partyOrgForm: 'BRANCH' }, cycle))).toBe('ELECTION.PARTY_ONLY');
  });

  it('refuses a day outside the cycle, a bad date, an unknown role or method, and a head count other than one', () => {
    expect(ruleOf(() => planElection({ ...villagers, electionDay: '2026-07-01' }, cycle))).toBe('ELECTION.DAY_OUTSIDE_CYCLE');
    expect(ruleOf(() => planElection({ ...villagers, electionDay: '2026-02-30' }, cycle))).toBe('ELECTION.DAY');
    expect(ruleOf(() => planElection({ ...villagers, seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'WOMEN_MEMBER', count: 2 }] }, cycle))).toBe('ELECTION.ROLE');
    expect(ruleOf(() => planElection({ ...villagers, method: 'HOUSEHOLD_REPRESENTATIVES' }, cycle))).toBe('ELECTION.METHOD');
    expect(ruleOf(() => planElection({ ...villagers, seats: [{ role: 'MEMBER', count: 4 }] }, cycle))).toBe('ELECTION.HEAD');
  });
});

describe('candidateShortfalls (差额)', () => {
  it('asks villagers for more candidates than seats per role', () => {
    const rules = rulesFor('VILLAGERS', '2026-03-28');
    expect(candidateShortfalls(rules, { DIRECTOR: 1, MEMBER: 4 }, { DIRECTOR: 2, MEMBER: 5 })).toEqual([]);
    expect(candidateShortfalls(rules, { DIRECTOR: 1, MEMBER: 4 }, { DIRECTOR: 1, MEMBER: 5 })).toEqual([{ role: 'DIRECTOR', seats: 1, needed: 2, have: 1 }]);
  });

  it('asks the Party for 20% more member candidates, rounded up, and lets the secretary be elected without surplus', () => {
    const rules = rulesFor('PARTY', '2026-03-28');
    expect(candidateShortfalls(rules, { SECRETARY: 1, PARTY_MEMBER_SEAT: 4 }, { SECRETARY: 1, PARTY_MEMBER_SEAT: 5 })).toEqual([]);
    // 6 seats: 20% of 6 is 1.2, so at least 2 more: 8 candidates.
    expect(candidateShortfalls(rules, { SECRETARY: 1, PARTY_MEMBER_SEAT: 6 }, { SECRETARY: 1, PARTY_MEMBER_SEAT: 7 })).toEqual([
      { role: 'PARTY_MEMBER_SEAT', seats: 6, needed: 8, have: 7 },
    ]);
  });
});

describe('orderedSeats', () => {
  it('lists the head first whatever order the seats were stored in', () => {
    expect(orderedSeats('VILLAGERS', { MEMBER: 3, DIRECTOR: 1, DEPUTY_DIRECTOR: 1 })).toEqual([['DIRECTOR', 1], ['DEPUTY_DIRECTOR', 1], ['MEMBER', 3]]);
    expect(orderedSeats('RESIDENTS', { WOMEN_MEMBER: 1 })).toEqual([['WOMEN_MEMBER', 1]]);
  });
});

describe('rounds after a count', () => {
  const ranked = [
    { id: 'a', role: 'MEMBER', gender: 'MALE' as const, votes: 60 },
    { id: 'b', role: 'MEMBER', gender: 'FEMALE' as const, votes: 40 },
    { id: 'c', role: 'MEMBER', gender: 'MALE' as const, votes: 40 },
  ];
  const runOff = { role: 'MEMBER', seats: 1, reason: 'TIE_AT_LAST_SEAT' as const, candidateIds: ['b', 'c'] };

  it('marks who won, who lost and who stands again', () => {
    expect(candidateOutcomes(ranked, [ranked[0]!], [runOff])).toEqual([
      { id: 'a', status: 'ELECTED', votes: 60, reason: null },
      { id: 'b', status: 'NOT_ELECTED', votes: 40, reason: 'RUN_OFF' },
      { id: 'c', status: 'NOT_ELECTED', votes: 40, reason: 'RUN_OFF' },
    ]);
    expect(runOffRounds([runOff, { ...runOff, role: 'DIRECTOR', seats: 0 }])).toEqual([{ kind: 'RUN_OFF', seats: { MEMBER: 1 }, candidateIds: ['b', 'c'] }]);
  });

  it('opens the women’s seat round only when no woman is elected or can still be', () => {
    const base = { womenSeatRule: true, womenSeatRoundExists: false };
    expect(womenSeatRoundNeeded({ ...base, elected: [{ gender: 'MALE' }], stillStanding: [] })).toBe(true);
    expect(womenSeatRoundNeeded({ ...base, elected: [{ gender: 'MALE' }], stillStanding: [{ gender: 'FEMALE' }] })).toBe(false);
    expect(womenSeatRoundNeeded({ ...base, elected: [{ gender: 'FEMALE' }], stillStanding: [] })).toBe(false);
    expect(womenSeatRoundNeeded({ ...base, womenSeatRoundExists: true, elected: [], stillStanding: [] })).toBe(false);
    expect(womenSeatRoundNeeded({ ...base, womenSeatRule: false, elected: [], stillStanding: [] })).toBe(false);
  });

  it('leaves the voided winners’ seats to a repeat round', () => {
    expect(vacatedSeats([{ role: 'DIRECTOR' }, { role: 'MEMBER' }, { role: 'MEMBER' }])).toEqual({ DIRECTOR: 1, MEMBER: 2 });
  });
});

describe('termEndsOn', () => {
  it('ends the day before the anniversary, across leap years', () => {
    expect(termEndsOn('2026-01-15', 5)).toBe('2031-01-14');
    expect(termEndsOn('2026-03-01', 5)).toBe('2031-02-28');
    expect(termEndsOn('2027-03-01', 5)).toBe('2032-02-29');
  });
});

describe('rulesForRegion: a region’s measures over the national rules', () => {
  const sichuanProxies = { regionPath: '51', kind: 'VILLAGERS' as const, effectiveFrom: '2026-01-01', overrides: { proxyCap: { value: 2, article: '四川省村民委员会选举办法 (example): 每一选民接受委托不得超过二人' } } };
  const chengduAges = { regionPath: '51.5101', kind: null, effectiveFrom: '2025-06-01', overrides: { secretaryMaxAge: { value: { men: 58, women: 55 }, article: 'city guidance (example)' } } };
  const table = [chengduAges, sichuanProxies];

  it('applies the measures in force for the unit’s region, widest first, and names them in the version', () => {
    const rules = rulesForRegion('VILLAGERS', '2026-03-28', '51.5101.510107.510107018.510107018003', table);
    expect(rules.proxyCap.value).toBe(2);
    expect(rules.secretaryMaxAge.value).toEqual({ men: 58, women: 55 });
    expect(rules.lawVersion).toBe('VCOL-2026+51+51.5101');
    expect(rules.seats.value).toEqual({ min: 3, max: 7 }); // untouched rules stay national
  });

  it('leaves other regions, other kinds and earlier days with the national rules', () => {
    expect(rulesForRegion('VILLAGERS', '2026-03-28', '53.5305', table)).toEqual(rulesFor('VILLAGERS', '2026-03-28'));
    expect(rulesForRegion('PARTY', '2026-03-28', '51.5103', table).proxyCap.value).toBe(0);
    expect(rulesForRegion('VILLAGERS', '2025-12-30', '51.5103', table).proxyCap.value).toBe(3);
  });

  it('records the regional version with a planned election', () => {
    expect(planElection(villagers, cycle, '51.5101.510107', table).lawVersion).toBe('VCOL-2026+51+51.5101');
    expect(planElection(villagers, cycle, '51.5101.510107').lawVersion).toBe('VCOL-2026');
  });
});
