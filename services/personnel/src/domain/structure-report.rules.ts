import { badInput, isIsoDate } from '@huanjie/platform';
import { EDUCATION_LEVELS, isCollegeOrAbove, PARTY_STATUSES, type Gender } from './person.rules';

/**
 * 班子结构 — the structure targets of a 换届 and the arithmetic of the report that compares a
 * region's committees with the previous term ("两升一降": 学历提升、女干部比例提升、年龄下降,
 * domain source 001; "三升一降 … 年龄明显下降", source 002). Pure: the SQL in
 * structure-report.store.ts counts, this module decides what the counts mean.
 */

/**
 * "35岁以下" and "40岁以下" (source 001: 有35岁年轻干部进村级班子的比例…96.3%; 40岁以下年轻干部96人).
 * Ages are 周岁 (completed years), and "以下" includes the number itself: 民法典 第一千二百五十九条
 * (民法所称的"以上"、"以下"、"以内"、"届满"，包括本数). So 35 counts as "35岁以下"; 36 does not.
 */
export const YOUNG_MAX_AGE = 35;
export const YOUNGER_MAX_AGE = 40;

/** True when a member of `age` 周岁 counts in the "N岁以下" share: the bound is inclusive (民法典 第一千二百五十九条). */
export function isAgedAtMost(age: number, bound: number): boolean {
  return age <= bound;
}

/**
 * The per-unit targets, counted over a unit's two committees together (its 两委班子; a person on
 * both counts once), as the sources count them: "'两委'班子中有2名大专及以上文化程度成员的村社
 * 占比…95.6%", "有35岁年轻干部进村级班子的比例…96.3%", and the woman: "党组织换届选举中无女干部
 * 当选的村，拟在村委会换届中专门设置妇女委员岗位，'专职专选'以达到100%实现至少有1名女干部的要求"
 * (all source 001) — a Party committee without a woman is made good by the villagers' committee's
 * women's seat, so the target is the 两委 together, not each committee.
 */
export const UNIT_TARGETS = {
  /** 至少1名女干部 */
  women: 1,
  /** 至少1名35岁以下年轻干部 */
  aged35OrUnder: 1,
  /** 2名大专及以上文化程度成员 */
  collegeOrAbove: 2,
} as const;

/**
 * 书记年龄: "男满 60 岁、女满 55 岁一般不继续提名书记" (source 002). 满 N 岁 = N 周岁 reached, so a
 * man of exactly 60 is caught. The rule restrains nomination, so the age that matters is the one on
 * the day the secretary took the seat (elected or appointed): one who turns 60 during the term was
 * rightly nominated and is not flagged.
 */
export const SECRETARY_AGE_LIMIT: Readonly<Record<Gender, number>> = { MALE: 60, FEMALE: 55 };

/** True when a secretary of `gender` was `ageWhenSeated` 周岁 or older than the rule allows on taking the seat (source 002). */
export function exceedsSecretaryAgeRule(gender: Gender, ageWhenSeated: number): boolean {
  return ageWhenSeated >= SECRETARY_AGE_LIMIT[gender];
}

/** "力争换届后平均年龄下降 3—5 岁" (source 002): the lower end is the target a report is held to. */
export const AGE_DROP_TARGET_YEARS = 3;

/** 大专及以上: the education levels the college share counts (GLOSSARY "Structure targets"). */
export const COLLEGE_EDUCATION_LEVELS: readonly string[] = EDUCATION_LEVELS.filter(isCollegeOrAbove);

/**
 * 党员: full and probationary members alike. Party statistics count 预备党员 among 党员 (the
 * national 党内统计公报 totals include them), and 党章 第七条 gives a probationary member the same
 * duties as a full one; only the vote differs, which is why a Party committee seat needs a full
 * member (position.rules.ts) while the villagers' committee may have probationary members.
 */
export const PARTY_MEMBERSHIP_STATUSES: readonly string[] = PARTY_STATUSES;

/** How many units each compliance list shows: the count is always complete, the list is a first page. */
export const UNITS_PER_LIST_DEFAULT = 20;
export const UNITS_PER_LIST_MAX = 100;

export function checkUnitsPerList(value: number | null | undefined): number {
  const n = value ?? UNITS_PER_LIST_DEFAULT;
  if (!Number.isInteger(n) || n < 0 || n > UNITS_PER_LIST_MAX) {
    throw badInput('STRUCTURE_REPORT.UNITS_PER_LIST', `unitsPerList must be between 0 and ${UNITS_PER_LIST_MAX}, got ${n}`);
  }
  return n;
}

/** The date the report counts on: the one asked for, or today in Asia/Shanghai. */
export function checkAsOf(asOf: string | null | undefined, today: string): string {
  if (asOf == null) return today;
  if (!isIsoDate(asOf))
    throw badInput('STRUCTURE_REPORT.AS_OF', `asOf (统计日期) must be a date written yyyy-mm-dd, got ${JSON.stringify(asOf)}`);
  return asOf;
}

/**
 * n / d × 10^scale, rounded to `decimals` places, half away from zero, in exact integer arithmetic:
 * 31.25 % must print as 31.3, which binary floating point (31.249999…) would not guarantee, and
 * products of member counts outgrow 2^53 at national scale, hence BigInt.
 */
export function roundRatio(numerator: bigint, denominator: bigint, scale: number, decimals = 1): number {
  if (denominator <= 0n) throw new RangeError('roundRatio: the denominator must be positive');
  const factor = 10n ** BigInt(scale + decimals);
  const scaled = numerator * factor;
  const magnitude = scaled < 0n ? -scaled : scaled;
  // floor((2|x| + d) / 2d) rounds |x|/d to the nearest integer, halves upwards.
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  const value = Number(rounded) / 10 ** decimals;
  return scaled < 0n ? -value : value;
}

/** A count out of a total: the members with a trait, the units with one person in both top posts. */
export interface Ratio {
  count: number;
  total: number;
}

/** 占比 in percent (0–100) to one decimal; null when there is nothing to divide by. */
export function percentOf({ count, total }: Ratio): number | null {
  return total === 0 ? null : roundRatio(BigInt(count), BigInt(total), 2);
}

/** 平均年龄 in years to one decimal, from the sum of the members' 周岁; null without members. */
export function averageOf(sum: number, count: number): number | null {
  return count === 0 ? null : roundRatio(BigInt(sum), BigInt(count), 0);
}

/** a/b − c/d as one exact fraction, with a positive denominator. */
function difference(a: number, b: number, c: number, d: number): { numerator: bigint; denominator: bigint } {
  return { numerator: BigInt(a) * BigInt(d) - BigInt(c) * BigInt(b), denominator: BigInt(b) * BigInt(d) };
}

/**
 * The change of a share in percentage points (百分点), current minus previous, computed from the
 * exact fractions and rounded once: 7/15 − 4/17 is 23.1 points although the rounded shares, 46.7 %
 * and 23.5 %, differ by 23.2. Null when either side has nothing to divide by.
 */
export function percentagePointChange(current: Ratio, previous: Ratio): number | null {
  if (current.total === 0 || previous.total === 0) return null;
  const { numerator, denominator } = difference(current.count, current.total, previous.count, previous.total);
  return roundRatio(numerator, denominator, 2);
}

/** The change of the average age in years, current minus previous, exact then rounded to one decimal. */
export function averageAgeChange(current: { sum: number; count: number }, previous: { sum: number; count: number }): number | null {
  if (current.count === 0 || previous.count === 0) return null;
  const { numerator, denominator } = difference(current.sum, current.count, previous.sum, previous.count);
  return roundRatio(numerator, denominator, 0);
}

/** −1, 0 or 1: the exact sign of current − previous, so "up" never hinges on rounding. */
function direction(current: Ratio, previous: Ratio): number {
  const { numerator } = difference(current.count, current.total, previous.count, previous.total);
  return numerator === 0n ? 0 : numerator > 0n ? 1 : -1;
}

/** What the SQL counts for one side (the current term on asOf, or the previous term on its last day). */
export interface SideCounts {
  /** Committees with at least one member counted. */
  committees: number;
  /** Villages and communities with at least one member counted. */
  units: number;
  /** Distinct people. */
  members: number;
  /** Sum of their ages in 周岁. */
  ageSum: number;
  aged35OrUnder: number;
  aged40OrUnder: number;
  collegeOrAbove: number;
  women: number;
  partyMembers: number;
  /** Units with both the Party secretary and the director in office. */
  unitsWithBothPosts: number;
  /** Of those, units where one person holds both (一肩挑). */
  oneShoulderUnits: number;
}

export const EMPTY_SIDE: SideCounts = {
  committees: 0,
  units: 0,
  members: 0,
  ageSum: 0,
  aged35OrUnder: 0,
  aged40OrUnder: 0,
  collegeOrAbove: 0,
  women: 0,
  partyMembers: 0,
  unitsWithBothPosts: 0,
  oneShoulderUnits: 0,
};

/** The traits counted as a share of the members. */
type ShareName = 'aged35OrUnder' | 'aged40OrUnder' | 'collegeOrAbove' | 'women' | 'partyMembers';

const shareOf = (side: SideCounts, name: ShareName): Ratio => ({ count: side[name], total: side.members });
/** 一肩挑比例: units whose secretary is also the director, out of the units with both posts filled. */
const oneShoulderOf = (side: SideCounts): Ratio => ({ count: side.oneShoulderUnits, total: side.unitsWithBothPosts });

/** One side of the report as the API shows it: counts with their shares. */
export function termStructure(side: SideCounts) {
  const share = (name: ShareName) => ({ count: side[name], percent: percentOf(shareOf(side, name)) });
  return {
    committeeCount: side.committees,
    unitCount: side.units,
    memberCount: side.members,
    averageAge: averageOf(side.ageSum, side.members),
    aged35OrUnder: share('aged35OrUnder'),
    aged40OrUnder: share('aged40OrUnder'),
    collegeOrAbove: share('collegeOrAbove'),
    women: share('women'),
    partyMembers: share('partyMembers'),
    oneShoulder: {
      unitsWithBothPosts: side.unitsWithBothPosts,
      oneShoulderUnits: side.oneShoulderUnits,
      percent: percentOf(oneShoulderOf(side)),
    },
  };
}

/** 比上届: each figure of the current term minus the previous one's (percentage points; years for age). */
export function structureChange(current: SideCounts, previous: SideCounts) {
  const points = (name: ShareName) => percentagePointChange(shareOf(current, name), shareOf(previous, name));
  return {
    memberCount: current.members - previous.members,
    averageAgeYears: averageAgeChange({ sum: current.ageSum, count: current.members }, { sum: previous.ageSum, count: previous.members }),
    aged35OrUnderPoints: points('aged35OrUnder'),
    aged40OrUnderPoints: points('aged40OrUnder'),
    collegeOrAbovePoints: points('collegeOrAbove'),
    womenPoints: points('women'),
    partyMembersPoints: points('partyMembers'),
    oneShoulderPoints: percentagePointChange(oneShoulderOf(current), oneShoulderOf(previous)),
  };
}

/**
 * 两升一降 (source 001): the share with college education up, the share of women up, the average
 * age down — each judged on the exact figures, and all three for `achieved`; ageDownByTarget holds
 * the drop against "下降 3—5 岁" (source 002). Null throughout when either term has no members:
 * there is nothing to compare.
 */
export function twoUpOneDown(current: SideCounts, previous: SideCounts) {
  if (current.members === 0 || previous.members === 0) {
    return { educationUp: null, womenUp: null, ageDown: null, ageDownByTarget: null, achieved: null };
  }
  const educationUp = direction(shareOf(current, 'collegeOrAbove'), shareOf(previous, 'collegeOrAbove')) > 0;
  const womenUp = direction(shareOf(current, 'women'), shareOf(previous, 'women')) > 0;
  // Average ages compare like shares: sum/members on each side.
  const ages = (side: SideCounts): Ratio => ({ count: side.ageSum, total: side.members });
  const ageDown = direction(ages(current), ages(previous)) < 0;
  // Dropped by at least the target: previous − current ≥ 3, i.e. (current + 3) − previous ≤ 0, exactly.
  const shifted = { count: current.ageSum + AGE_DROP_TARGET_YEARS * current.members, total: current.members };
  const ageDownByTarget = direction(shifted, ages(previous)) <= 0;
  return { educationUp, womenUp, ageDown, ageDownByTarget, achieved: educationUp && womenUp && ageDown };
}
