import { DomainError, isIsoDate } from '@huanjie/platform';
import { planElectionCycle, type NewElectionCycleInput } from '../src/domain/election-cycle.rules';

const chengdu: NewElectionCycleInput = {
  name: '2026年村(社区)两委换届',
  regionCode: '510100000000',
  termYears: 5,
  startsOn: '2026-01-01',
  endsOn: '2026-06-30',
};

/** The rule a bad input breaks, or null when it passes. */
function ruleBroken(input: Partial<NewElectionCycleInput>): string | null {
  try {
    planElectionCycle({ ...chengdu, ...input });
    return null;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') return error.rule;
    throw error;
  }
}

describe('planElectionCycle', () => {
  it('places a city-wide cycle at the city and trims the name', () => {
    expect(planElectionCycle({ ...chengdu, name: '  2026年村(社区)两委换届 ' })).toEqual({
      name: '2026年村(社区)两委换届',
      regionCode: '510100000000',
      regionPath: '51.5101',
      termYears: 5,
      startsOn: '2026-01-01',
      endsOn: '2026-06-30',
    });
  });

  it('accepts a nationwide cycle (region 000000000000, empty path)', () => {
    expect(planElectionCycle({ ...chengdu, regionCode: '000000000000' }).regionPath).toBe('');
  });

  it('requires a name of 1–60 characters, counted as characters not bytes', () => {
    expect(ruleBroken({ name: '   ' })).toBe('CYCLE.NAME');
    expect(ruleBroken({ name: '换'.repeat(61) })).toBe('CYCLE.NAME');
    expect(ruleBroken({ name: '换'.repeat(60) })).toBeNull();
    expect(ruleBroken({ name: '𠀀'.repeat(60) })).toBeNull(); // astral characters count once
  });

  it.each([2, 6, 4.5, Number.NaN])('refuses a term of %p years', (termYears) => {
    expect(ruleBroken({ termYears })).toBe('CYCLE.TERM_YEARS');
  });

  it.each([3, 4, 5])('accepts a term of %p years', (termYears) => {
    expect(ruleBroken({ termYears })).toBeNull();
  });

  it('names the allowed values when the term is wrong', () => {
    expect(() => planElectionCycle({ ...chengdu, termYears: 6 })).toThrow(/from 3 to 5 .*got 6/);
  });

  it('requires ISO calendar dates', () => {
    expect(ruleBroken({ startsOn: '2026/01/01' })).toBe('CYCLE.DATE_FORMAT');
    expect(ruleBroken({ endsOn: '2026-02-30' })).toBe('CYCLE.DATE_FORMAT');
  });

  it('requires startsOn before endsOn', () => {
    expect(ruleBroken({ startsOn: '2026-06-30', endsOn: '2026-06-30' })).toBe('CYCLE.DATE_ORDER');
    expect(ruleBroken({ startsOn: '2026-07-01', endsOn: '2026-06-30' })).toBe('CYCLE.DATE_ORDER');
  });

  it('requires a 12-digit division code that names a region', () => {
    expect(ruleBroken({ regionCode: '5101' })).toBe('CYCLE.REGION_CODE');
    expect(ruleBroken({ regionCode: '510100000012' })).toBe('CYCLE.REGION_CODE'); // digits below an empty level
  });
});

describe('isIsoDate', () => {
  it('knows leap years', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
  });
});
