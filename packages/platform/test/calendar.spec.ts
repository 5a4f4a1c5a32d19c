import { fullYearsBetween, isIsoDate, shanghaiDate } from '../src';

describe('calendar dates in Asia/Shanghai', () => {
  it('turns the date at midnight in Beijing, eight hours before UTC does', () => {
    expect(shanghaiDate(new Date('2026-06-14T15:59:59Z'))).toBe('2026-06-14');
    expect(shanghaiDate(new Date('2026-06-14T16:00:00Z'))).toBe('2026-06-15');
  });

  it('knows real dates from look-alikes', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(['2023-02-29', '2024-13-01', '2024-1-01', '20240101', ' 2024-01-01'].filter(isIsoDate)).toEqual([]);
  });

  it('counts completed years, going up on the birthday', () => {
    expect(fullYearsBetween('1990-06-15', '2008-06-14')).toBe(17);
    expect(fullYearsBetween('1990-06-15', '2008-06-15')).toBe(18);
    expect(fullYearsBetween('2004-02-29', '2022-02-28')).toBe(17);
    expect(fullYearsBetween('2004-02-29', '2022-03-01')).toBe(18);
  });
});
