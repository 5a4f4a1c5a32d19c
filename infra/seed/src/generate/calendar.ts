/**
 * The data set's dates, fixed so that the same seed always gives the same data: the committees
 * elected in Chengdu's 2021 换届 are in office, and the 2026 换届 is under way, as of SNAPSHOT_DAY.
 * Only what the services date themselves (a complaint's receipt, a nomination) carries the day of
 * the load, and a risk item's review date, which must not lie in the past, is given in days from it.
 */

/** 000: "截至3月27日,全市3039个村(社区)全面完成换届" — the 2021 terms start between these days. */
export const TERM_2021_FIRST_DAY = '2021-01-15';
export const TERM_2021_LAST_DAY = '2021-03-27';
/** Ages of the 2021 committee members are the sources' figures as of this day (001 reports January 2021). */
export const AGE_2021_REFERENCE_DAY = '2021-03-01';
/** Reserves' ages are drawn as of the new cycle's start. */
export const AGE_2026_REFERENCE_DAY = '2026-01-01';

/** The 2026 换届 of the city: five-year terms since the 2021 cycle (term.rules.ts). */
export const CYCLE_2026 = {
  name: '2026年成都市村(社区)“两委”换届',
  termYears: 5,
  startsOn: '2026-01-04',
  endsOn: '2026-03-31',
} as const;

/** The day the data set describes: nominations made, 联审 under way, the pilots' voter lists up. */
export const SNAPSHOT_DAY = '2026-02-10';

/**
 * The secretary age rule (002: 男满60岁、女满55岁一般不继续提名书记) is applied by vetting on the
 * day a review runs; secretary candidates are kept under the limit on this later day, so the data
 * set stays clean when it is loaded well after SNAPSHOT_DAY.
 */
export const SECRETARY_AGE_RULE_DAY = '2027-06-30';

const DAY_MS = 86_400_000;
const toTime = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
export const toIso = (time: number) => new Date(time).toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
  return toIso(toTime(iso) + days * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toTime(to) - toTime(from)) / DAY_MS);
}

/** Whole years from `birth` to `on` (周岁). */
export function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The birth date of someone `age` years old (fractional) on `on`. */
export function birthDateFor(age: number, on: string): string {
  return toIso(toTime(on) - Math.round(age * 365.2425) * DAY_MS);
}
