import { badInput, DomainError, regionPathFromCode, isIsoDate } from '@huanjie/platform';

/**
 * 任期: five years since the 2021 cycle (three before it). Three to five covers every cycle still
 * on record and the transition between them; nothing else is a lawful term.
 */
export const TERM_YEARS_MIN = 3;
export const TERM_YEARS_MAX = 5;
export const NAME_MAX = 60;

export interface NewElectionCycleInput {
  name: string;
  regionCode: string;
  termYears: number;
  startsOn: string;
  endsOn: string;
}

export interface ElectionCyclePlan {
  name: string;
  regionCode: string;
  /** '' for a nationwide cycle (region 000000000000). */
  regionPath: string;
  termYears: number;
  startsOn: string;
  endsOn: string;
}

/** Characters as a reader counts them (code points), not UTF-16 units. */
const length = (s: string) => Array.from(s).length;

/**
 * Checks a new 换届周期 and says which region it covers. A cycle declared for a region applies to
 * every village and community below it, so the region code is what places it in the tree.
 */
export function planElectionCycle(input: NewElectionCycleInput): ElectionCyclePlan {
  const name = input.name.trim();
  if (length(name) < 1 || length(name) > NAME_MAX) {
    throw badInput('CYCLE.NAME', `name (换届周期名称) must be 1–${NAME_MAX} characters, got ${length(name)}`);
  }
  if (!Number.isInteger(input.termYears) || input.termYears < TERM_YEARS_MIN || input.termYears > TERM_YEARS_MAX) {
    throw badInput(
      'CYCLE.TERM_YEARS',
      `termYears (任期) must be a whole number from ${TERM_YEARS_MIN} to ${TERM_YEARS_MAX} (5 since this cycle), got ${input.termYears}`,
    );
  }
  for (const [field, value] of [
    ['startsOn', input.startsOn],
    ['endsOn', input.endsOn],
  ] as const) {
    if (!isIsoDate(value)) {
      throw badInput('CYCLE.DATE_FORMAT', `${field} must be a calendar date written yyyy-mm-dd (ISO 8601), got ${JSON.stringify(value)}`);
    }
  }
  // ISO dates order as strings.
  if (!(input.startsOn < input.endsOn)) {
    throw badInput('CYCLE.DATE_ORDER', `startsOn must be before endsOn, got ${input.startsOn} and ${input.endsOn}`);
  }
  let regionPath: string;
  try {
    regionPath = regionPathFromCode(input.regionCode);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw badInput('CYCLE.REGION_CODE', `regionCode must be a 12-digit 行政区划代码 naming a region: ${error.message}`);
  }
  return { name, regionCode: input.regionCode, regionPath, termYears: input.termYears, startsOn: input.startsOn, endsOn: input.endsOn };
}
