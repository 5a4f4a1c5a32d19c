import { fullYearsBetween } from '@huanjie/platform';
import {
  averageAgeChange,
  averageOf,
  checkAsOf,
  checkUnitsPerList,
  COLLEGE_EDUCATION_LEVELS,
  EMPTY_SIDE,
  exceedsSecretaryAgeRule,
  isAgedAtMost,
  PARTY_MEMBERSHIP_STATUSES,
  percentagePointChange,
  percentOf,
  roundRatio,
  structureChange,
  termStructure,
  twoUpOneDown,
  UNIT_TARGETS,
  YOUNG_MAX_AGE,
  YOUNGER_MAX_AGE,
  type SideCounts,
} from '../src/domain/structure-report.rules';
import { ruleOf } from '@huanjie/testkit';


describe('the targets', () => {
  it('counts "35岁以下" and "40岁以下" including the bound (民法典 第一千二百五十九条)', () => {
    expect([34, 35, 36].map((age) => isAgedAtMost(age, YOUNG_MAX_AGE))).toEqual([true, true, false]);
    expect([40, 41].map((age) => isAgedAtMost(age, YOUNGER_MAX_AGE))).toEqual([true, false]);
  });

  it('holds each unit to one woman, one member aged 35 or under and two with college education (source 001)', () => {
    expect(UNIT_TARGETS).toEqual({ women: 1, aged35OrUnder: 1, collegeOrAbove: 2 });
  });

  it('flags a secretary who took the seat having reached 60 (men) or 55 (women): 男满60岁、女满55岁 (source 002)', () => {
    expect(exceedsSecretaryAgeRule('MALE', 59)).toBe(false);
    expect(exceedsSecretaryAgeRule('MALE', 60)).toBe(true);
    expect(exceedsSecretaryAgeRule('FEMALE', 54)).toBe(false);
    expect(exceedsSecretaryAgeRule('FEMALE', 55)).toBe(true);
    // A woman born 20 January 1971, seated 15 January 2026, is 54 that day: not flagged, though 55 a week later.
    expect(exceedsSecretaryAgeRule('FEMALE', fullYearsBetween('1971-01-20', '2026-01-15'))).toBe(false);
  });

  it('counts 大专 and above as college, and probationary members as Party members', () => {
    expect(COLLEGE_EDUCATION_LEVELS).toEqual(['COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE']);
    expect(PARTY_MEMBERSHIP_STATUSES).toEqual(['PARTY_MEMBER', 'PROBATIONARY_MEMBER']);
  });
});

describe('rounding', () => {
  it('rounds to one decimal, halves away from zero, exactly', () => {
    // 5/16 = 31.25 %: binary floating point would print 31.2 or 31.3 depending on the path taken.
    expect(roundRatio(5n, 16n, 2)).toBe(31.3);
    expect(roundRatio(-5n, 16n, 2)).toBe(-31.3);
    expect(roundRatio(4n, 15n, 2)).toBe(26.7);
    expect(roundRatio(1n, 3n, 2)).toBe(33.3);
    expect(roundRatio(0n, 7n, 2)).toBe(0);
    // 1.005 × 100 in doubles is 100.49999…; exactly it is 100.5.
    expect(roundRatio(201n, 200n, 2)).toBe(100.5);
    expect(roundRatio(2010n, 2000n, 0, 2)).toBe(1.01);
    expect(() => roundRatio(1n, 0n, 2)).toThrow(RangeError);
  });

  it('stays exact where the products outgrow 2^53 (national totals)', () => {
    // 4,000,001 of 8,000,000 members: 50.0000125 % → 50.0.
    expect(percentOf({ count: 4_000_001, total: 8_000_000 })).toBe(50);
    expect(percentagePointChange({ count: 4_000_001, total: 8_000_000 }, { count: 3_999_999, total: 7_999_999 })).toBe(0);
  });

  it('gives null where there is nothing to divide by', () => {
    expect(percentOf({ count: 0, total: 0 })).toBeNull();
    expect(averageOf(0, 0)).toBeNull();
    expect(percentagePointChange({ count: 1, total: 2 }, { count: 0, total: 0 })).toBeNull();
    expect(averageAgeChange({ sum: 90, count: 2 }, { sum: 0, count: 0 })).toBeNull();
  });
});

describe('percentage points and years', () => {
  it('computes a change from the exact fractions and rounds once', () => {
    // 7/15 − 4/17 = (119 − 60)/255 = 59/255 = 23.137… points, although 46.7 − 23.5 = 23.2.
    expect(percentagePointChange({ count: 7, total: 15 }, { count: 4, total: 17 })).toBe(23.1);
    // 10/15 − 10/17 = 20/255 = 7.843… points, although 66.7 − 58.8 = 7.9.
    expect(percentagePointChange({ count: 10, total: 15 }, { count: 10, total: 17 })).toBe(7.8);
    expect(percentagePointChange({ count: 1, total: 4 }, { count: 1, total: 2 })).toBe(-25);
  });

  it('computes the change of the average age in years', () => {
    // 675/15 − 963/17 = (11475 − 14445)/255 = −2970/255 = −11.647…
    expect(averageAgeChange({ sum: 675, count: 15 }, { sum: 963, count: 17 })).toBe(-11.6);
    expect(averageOf(703, 16)).toBe(43.9);
  });
});

const side = (over: Partial<SideCounts>): SideCounts => ({ ...EMPTY_SIDE, ...over });

describe('two up, one down', () => {
  // Helingeer (source 001): college 30.2 %, women 18.5 %, average age 48.2, 3.2 years down.
  const previous = side({ members: 10, ageSum: 514, collegeOrAbove: 2, women: 1 });

  it('is achieved when education and women go up and age goes down, each on the exact figures', () => {
    const current = side({ members: 10, ageSum: 482, collegeOrAbove: 3, women: 2 });
    expect(twoUpOneDown(current, previous)).toEqual({
      educationUp: true,
      womenUp: true,
      ageDown: true,
      ageDownByTarget: true,
      achieved: true,
    });
  });

  it('holds the age to a drop of at least 3 years, exactly: 2.99 is not 3', () => {
    // 51.4 − 48.41 = 2.99: rounds to 3.0 but falls short.
    const current = side({ members: 100, ageSum: 4841, collegeOrAbove: 30, women: 20 });
    const before = side({ members: 100, ageSum: 5140, collegeOrAbove: 20, women: 10 });
    expect(structureChange(current, before).averageAgeYears).toBe(-3);
    expect(twoUpOneDown(current, before)).toMatchObject({ ageDown: true, ageDownByTarget: false, achieved: true });
    expect(twoUpOneDown(side({ ...current, ageSum: 4840 }), before).ageDownByTarget).toBe(true);
  });

  it('is not achieved when one share stays where it was', () => {
    const current = side({ members: 20, ageSum: 960, collegeOrAbove: 6, women: 2 });
    expect(twoUpOneDown(current, previous)).toMatchObject({ educationUp: true, womenUp: false, achieved: false });
  });

  it('has no verdict without a previous term', () => {
    expect(twoUpOneDown(side({ members: 3, ageSum: 120 }), EMPTY_SIDE)).toEqual({
      educationUp: null,
      womenUp: null,
      ageDown: null,
      ageDownByTarget: null,
      achieved: null,
    });
  });
});

describe('the figures of one side', () => {
  it('shows counts with their shares of the members, and 一肩挑 among units with both posts filled', () => {
    const figures = termStructure(
      side({
        committees: 6,
        units: 3,
        members: 15,
        ageSum: 675,
        aged35OrUnder: 4,
        aged40OrUnder: 6,
        collegeOrAbove: 7,
        women: 3,
        partyMembers: 10,
        unitsWithBothPosts: 3,
        oneShoulderUnits: 2,
      }),
    );
    expect(figures).toEqual({
      committeeCount: 6,
      unitCount: 3,
      memberCount: 15,
      averageAge: 45,
      aged35OrUnder: { count: 4, percent: 26.7 },
      aged40OrUnder: { count: 6, percent: 40 },
      collegeOrAbove: { count: 7, percent: 46.7 },
      women: { count: 3, percent: 20 },
      partyMembers: { count: 10, percent: 66.7 },
      oneShoulder: { unitsWithBothPosts: 3, oneShoulderUnits: 2, percent: 66.7 },
    });
  });
});

describe('arguments', () => {
  it('takes today for a missing asOf and refuses a date that does not exist', () => {
    expect(checkAsOf(undefined, '2026-03-10')).toBe('2026-03-10');
    expect(checkAsOf('2026-01-20', '2026-03-10')).toBe('2026-01-20');
    expect(ruleOf(() => checkAsOf('2026-02-30', '2026-03-10'))).toBe('BAD_USER_INPUT:STRUCTURE_REPORT.AS_OF');
    expect(ruleOf(() => checkAsOf('20260101', '2026-03-10'))).toBe('BAD_USER_INPUT:STRUCTURE_REPORT.AS_OF');
  });

  it('bounds the compliance lists to 0–100 units, 20 by default', () => {
    expect(checkUnitsPerList(undefined)).toBe(20);
    expect(checkUnitsPerList(0)).toBe(0);
    expect(checkUnitsPerList(100)).toBe(100);
    expect(ruleOf(() => checkUnitsPerList(101))).toBe('BAD_USER_INPUT:STRUCTURE_REPORT.UNITS_PER_LIST');
    expect(ruleOf(() => checkUnitsPerList(-1))).toBe('BAD_USER_INPUT:STRUCTURE_REPORT.UNITS_PER_LIST');
  });
});
