import { checkCommitteeForUnit, checkRoleForKind, sizeRangeOf } from '../src/domain/committee.rules';
import { holdsBothTopPosts } from '../src/domain/one-shoulder.rules';
import { checkAssignment, planPositionEnd, voidedSeatEnd, type AssignmentInput, type SeatHolder } from '../src/domain/position.rules';
import { planTerm, scheduledTermEnd, type Seat, type TermPlanInput } from '../src/domain/term.rules';
import { ruleOf } from '@huanjie/testkit';

const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

const member: SeatHolder = { gender: 'MALE', politicalStatus: 'PARTY_MEMBER' };
const woman: SeatHolder = { gender: 'FEMALE', politicalStatus: 'MASSES' };

/** A roster of n seats headed by `head`, the rest `rest`, with holders p0…p(n-1). */
function roster(n: number, head: Seat['role'], rest: Seat['role']): Seat[] {
  return Array.from({ length: n }, (_, i) => ({ personId: `p${i}`, role: i === 0 ? head : rest }));
}
const holdersOf = (seats: readonly Seat[], holder: SeatHolder = member) => new Map(seats.map((s) => [s.personId, holder]));

function villagersTerm(overrides: Partial<TermPlanInput> = {}): TermPlanInput {
  const seats = roster(5, 'DIRECTOR', 'MEMBER');
  return {
    kind: 'VILLAGERS',
    partyOrgForm: null,
    startsOn: '2026-01-15',
    roster: seats,
    holders: holdersOf(seats),
    existingTerms: [],
    currentSeatStarts: [],
    ...overrides,
  };
}

describe('committees of a unit', () => {
  it('gives a village a villagers’ committee and a community a residents’ committee', () => {
    expect(checkCommitteeForUnit({ unitKind: 'VILLAGE', kind: 'VILLAGERS', partyOrgForm: null, existingForm: null })).toBeNull();
    expect(ruleOf(() => checkCommitteeForUnit({ unitKind: 'COMMUNITY', kind: 'VILLAGERS', partyOrgForm: null, existingForm: null }))).toBe(
      'BAD_USER_INPUT:COMMITTEE.KIND_FOR_UNIT',
    );
    expect(ruleOf(() => checkCommitteeForUnit({ unitKind: 'TOWN', kind: 'PARTY', partyOrgForm: 'BRANCH', existingForm: null }))).toBe(
      'BAD_USER_INPUT:COMMITTEE.KIND_FOR_UNIT',
    );
  });

  it('needs the Party organisation’s form the first time, and keeps it after', () => {
    expect(ruleOf(() => checkCommitteeForUnit({ unitKind: 'VILLAGE', kind: 'PARTY', partyOrgForm: null, existingForm: null }))).toBe(
      'BAD_USER_INPUT:COMMITTEE.PARTY_ORG_FORM',
    );
    expect(checkCommitteeForUnit({ unitKind: 'VILLAGE', kind: 'PARTY', partyOrgForm: undefined, existingForm: 'GENERAL_BRANCH' })).toBe('GENERAL_BRANCH');
    expect(checkCommitteeForUnit({ unitKind: 'VILLAGE', kind: 'PARTY', partyOrgForm: 'COMMITTEE', existingForm: 'BRANCH' })).toBe('COMMITTEE');
  });

  it('knows the lawful sizes and where they come from', () => {
    expect(sizeRangeOf('VILLAGERS', null)).toMatchObject({ min: 3, max: 7, source: expect.stringContaining('村民委员会组织法 第六条') });
    expect(sizeRangeOf('RESIDENTS', null)).toMatchObject({ min: 5, max: 9, source: expect.stringContaining('城市居民委员会组织法 第七条') });
    expect(sizeRangeOf('PARTY', 'BRANCH')).toMatchObject({ min: 3, max: 7 });
    expect(sizeRangeOf('PARTY', 'COMMITTEE')).toMatchObject({ min: 5, max: 9 });
  });

  it('refuses a seat that does not exist on the committee, naming the seats that do', () => {
    expect(ruleOf(() => checkRoleForKind('PARTY', 'DIRECTOR'))).toBe('BAD_USER_INPUT:POSITION.ROLE_FOR_KIND');
    expect(messageOf(() => checkRoleForKind('VILLAGERS', 'SECRETARY'))).toContain('DIRECTOR, DEPUTY_DIRECTOR, MEMBER, WOMEN_MEMBER');
  });
});

describe('planTerm', () => {
  it('schedules five years less a day, rolling 29 February to 28 February', () => {
    expect(planTerm(villagersTerm())).toEqual({ startsOn: '2026-01-15', endsOn: '2031-01-14', previous: null });
    expect(scheduledTermEnd('2024-02-29')).toBe('2029-02-28');
    expect(scheduledTermEnd('2021-03-01')).toBe('2026-02-28');
  });

  it('refuses a term longer than five years or ending before it starts', () => {
    expect(ruleOf(() => planTerm(villagersTerm({ endsOn: '2031-01-15' })))).toBe('BAD_USER_INPUT:TERM.DATES');
    expect(ruleOf(() => planTerm(villagersTerm({ endsOn: '2026-01-15' })))).toBe('BAD_USER_INPUT:TERM.DATES');
    expect(ruleOf(() => planTerm(villagersTerm({ startsOn: '2026-02-30' })))).toBe('BAD_USER_INPUT:TERM.DATES');
  });

  it('keeps a villagers’ committee within three to seven members (村民委员会组织法 第六条)', () => {
    const eight = roster(8, 'DIRECTOR', 'MEMBER');
    expect(ruleOf(() => planTerm(villagersTerm({ roster: eight, holders: holdersOf(eight) })))).toBe('BAD_USER_INPUT:TERM.SIZE');
    expect(messageOf(() => planTerm(villagersTerm({ roster: eight, holders: holdersOf(eight) })))).toMatch(/村民委员会组织法 第六条.*3–7 members, the roster names 8/);
    const two = roster(2, 'DIRECTOR', 'MEMBER');
    expect(ruleOf(() => planTerm(villagersTerm({ roster: two, holders: holdersOf(two) })))).toBe('BAD_USER_INPUT:TERM.SIZE');
  });

  it('keeps a residents’ committee within five to nine (城市居民委员会组织法 第七条)', () => {
    const four = roster(4, 'DIRECTOR', 'MEMBER');
    expect(ruleOf(() => planTerm(villagersTerm({ kind: 'RESIDENTS', roster: four, holders: holdersOf(four) })))).toBe('BAD_USER_INPUT:TERM.SIZE');
  });

  it('wants exactly one head', () => {
    const twoDirectors = [...roster(4, 'DIRECTOR', 'MEMBER'), { personId: 'x', role: 'DIRECTOR' as const }];
    expect(ruleOf(() => planTerm(villagersTerm({ roster: twoDirectors, holders: holdersOf(twoDirectors) })))).toBe('BAD_USER_INPUT:TERM.ONE_DIRECTOR');
    const noSecretary = roster(3, 'PARTY_MEMBER_SEAT', 'PARTY_MEMBER_SEAT');
    expect(
      ruleOf(() => planTerm(villagersTerm({ kind: 'PARTY', partyOrgForm: 'BRANCH', roster: noSecretary, holders: holdersOf(noSecretary) }))),
    ).toBe('BAD_USER_INPUT:TERM.ONE_SECRETARY');
  });

  it('gives each person one seat', () => {
    const seats: Seat[] = [...roster(3, 'DIRECTOR', 'MEMBER'), { personId: 'p1', role: 'DEPUTY_DIRECTOR' }];
    expect(ruleOf(() => planTerm(villagersTerm({ roster: seats, holders: holdersOf(seats) })))).toBe('BAD_USER_INPUT:POSITION.ONE_PER_PERSON');
  });

  it('names a person who was not found', () => {
    const seats = roster(3, 'DIRECTOR', 'MEMBER');
    expect(ruleOf(() => planTerm(villagersTerm({ roster: seats, holders: new Map() })))).toBe('NOT_FOUND:POSITION.PERSON_EXISTS');
  });

  it('puts only full Party members on the Party committee (党章 第七条)', () => {
    const seats = roster(3, 'SECRETARY', 'PARTY_MEMBER_SEAT');
    const holders = holdersOf(seats);
    holders.set('p2', { gender: 'FEMALE', politicalStatus: 'PROBATIONARY_MEMBER' });
    expect(ruleOf(() => planTerm(villagersTerm({ kind: 'PARTY', partyOrgForm: 'BRANCH', roster: seats, holders })))).toBe(
      'BAD_USER_INPUT:POSITION.FULL_PARTY_MEMBER',
    );
  });

  it('gives the women’s seat to a woman', () => {
    const seats: Seat[] = [...roster(3, 'DIRECTOR', 'MEMBER'), { personId: 'w', role: 'WOMEN_MEMBER' }];
    expect(ruleOf(() => planTerm(villagersTerm({ roster: seats, holders: holdersOf(seats) })))).toBe('BAD_USER_INPUT:POSITION.WOMEN_MEMBER_IS_WOMAN');
    expect(planTerm(villagersTerm({ roster: seats, holders: new Map([...holdersOf(seats), ['w', woman]]) })).previous).toBeNull();
  });

  it('ends the current term the day before the new one', () => {
    const plan = planTerm(
      villagersTerm({
        existingTerms: [
          { id: 'old', startsOn: '2016-01-10', endsOn: '2021-01-14', status: 'ENDED' },
          { id: 'cur', startsOn: '2021-01-15', endsOn: '2026-01-14', status: 'ACTIVE' },
        ],
        currentSeatStarts: ['2021-01-15', '2023-06-01'],
        startsOn: '2026-03-01',
      }),
    );
    expect(plan.previous).toEqual({ id: 'cur', endsOn: '2026-02-28' });
  });

  it('refuses a term that would overlap one on record', () => {
    const existingTerms = [{ id: 'cur', startsOn: '2021-01-15', endsOn: '2026-01-14', status: 'ACTIVE' as const }];
    expect(ruleOf(() => planTerm(villagersTerm({ existingTerms, startsOn: '2021-01-15' })))).toBe('CONFLICT:TERM.NO_OVERLAP');
    const ended = [{ id: 'old', startsOn: '2021-01-15', endsOn: '2026-01-14', status: 'ENDED' as const }];
    expect(ruleOf(() => planTerm(villagersTerm({ existingTerms: ended, startsOn: '2026-01-14' })))).toBe('CONFLICT:TERM.NO_OVERLAP');
    expect(ruleOf(() => planTerm(villagersTerm({ existingTerms, currentSeatStarts: ['2026-02-01'], startsOn: '2026-01-20' })))).toBe(
      'CONFLICT:TERM.NO_OVERLAP',
    );
  });
});

describe('checkAssignment', () => {
  const base: AssignmentInput = {
    kind: 'VILLAGERS',
    partyOrgForm: null,
    term: { status: 'ACTIVE', startsOn: '2026-01-15', endsOn: '2031-01-14' },
    activeSeats: [
      { personId: 'd', role: 'DIRECTOR' },
      { personId: 'm1', role: 'MEMBER' },
      { personId: 'm2', role: 'MEMBER' },
    ],
    seat: { personId: 'new', role: 'MEMBER' },
    holder: member,
    startsOn: '2027-05-01',
  };

  it('fills a vacant seat', () => {
    expect(ruleOf(() => checkAssignment(base))).toBe('no error');
  });

  it('refuses a second director while one is in office', () => {
    expect(ruleOf(() => checkAssignment({ ...base, seat: { personId: 'new', role: 'DIRECTOR' } }))).toBe('CONFLICT:TERM.ONE_DIRECTOR');
  });

  it('refuses a second seat for the same person', () => {
    expect(ruleOf(() => checkAssignment({ ...base, seat: { personId: 'm1', role: 'DEPUTY_DIRECTOR' } }))).toBe('CONFLICT:POSITION.ONE_PER_PERSON');
  });

  it('refuses an eighth member of a villagers’ committee', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ personId: `m${i}`, role: i === 0 ? ('DIRECTOR' as const) : ('MEMBER' as const) }));
    expect(ruleOf(() => checkAssignment({ ...base, activeSeats: seven }))).toBe('CONFLICT:TERM.SIZE');
  });

  it('refuses a seat in an ended term or outside its dates', () => {
    expect(ruleOf(() => checkAssignment({ ...base, term: { ...base.term, status: 'ENDED' } }))).toBe('CONFLICT:TERM.ACTIVE');
    expect(ruleOf(() => checkAssignment({ ...base, startsOn: '2031-01-15' }))).toBe('BAD_USER_INPUT:POSITION.WITHIN_TERM');
  });
});

describe('planPositionEnd', () => {
  const position = { startsOn: '2026-01-15', endReason: null };

  it('ends a seat today by default', () => {
    expect(planPositionEnd({ position, reason: 'RESIGNED', endsOn: null, today: '2027-03-08' })).toBe('2027-03-08');
  });

  it('leaves TERM_ENDED to the next term', () => {
    expect(ruleOf(() => planPositionEnd({ position, reason: 'TERM_ENDED', endsOn: null, today: '2027-03-08' }))).toBe('BAD_USER_INPUT:POSITION.END_REASON');
  });

  it('refuses to end a seat twice, before it began, or in the future', () => {
    expect(ruleOf(() => planPositionEnd({ position: { ...position, endReason: 'RESIGNED' }, reason: 'REMOVED', endsOn: null, today: '2027-03-08' }))).toBe(
      'CONFLICT:POSITION.ACTIVE',
    );
    expect(ruleOf(() => planPositionEnd({ position, reason: 'REMOVED', endsOn: '2026-01-14', today: '2027-03-08' }))).toBe('BAD_USER_INPUT:POSITION.END_DATE');
    expect(ruleOf(() => planPositionEnd({ position, reason: 'REMOVED', endsOn: '2027-03-09', today: '2027-03-08' }))).toBe('BAD_USER_INPUT:POSITION.END_DATE');
  });

  it('ends a voided seat on the day of the void, or on its first day if the void came first', () => {
    expect(voidedSeatEnd('2026-01-15', '2026-04-02')).toBe('2026-04-02');
    expect(voidedSeatEnd('2026-01-15', '2026-01-10')).toBe('2026-01-15');
  });
});

describe('一肩挑', () => {
  it('holds when the secretary directs the same unit’s committee, both seats held', () => {
    expect(
      holdsBothTopPosts([
        { orgUnitId: 'u1', role: 'SECRETARY', active: true },
        { orgUnitId: 'u1', role: 'DIRECTOR', active: true },
      ]),
    ).toBe(true);
  });

  it('does not hold across units or with an ended seat', () => {
    expect(
      holdsBothTopPosts([
        { orgUnitId: 'u1', role: 'SECRETARY', active: true },
        { orgUnitId: 'u2', role: 'DIRECTOR', active: true },
      ]),
    ).toBe(false);
    expect(
      holdsBothTopPosts([
        { orgUnitId: 'u1', role: 'SECRETARY', active: true },
        { orgUnitId: 'u1', role: 'DIRECTOR', active: false },
      ]),
    ).toBe(false);
  });
});
