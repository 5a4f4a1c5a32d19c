/**
 * Calendar dates as the users live them. DESIGN.md: "today", ages and day-based deadlines use
 * Asia/Shanghai, whatever zone the server runs in — a person born on 1 March turns a year older at
 * midnight in Beijing, not at 08:00 when UTC's date changes.
 */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

// en-CA formats as yyyy-mm-dd; built once, formatting is the hot part.
const ISO_DATE_IN_SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The ISO date (yyyy-mm-dd) that `instant` falls on in Asia/Shanghai. */
export function shanghaiDate(instant: Date): string {
  return ISO_DATE_IN_SHANGHAI.format(instant);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written yyyy-mm-dd (2023-02-29 is not one). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Completed years between two ISO dates (周岁): the count goes up on the birthday itself; someone
 * born on 29 February goes up on 1 March in common years, when 28 February has passed.
 */
export function fullYearsBetween(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? years - 1 : years;
}
