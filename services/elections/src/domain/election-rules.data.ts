import { badInput } from '@huanjie/platform';

/**
 * The election rules as data: one rule set per committee kind and law version, each valid from
 * its effective date, each rule carrying the article it comes from. Nothing in the tally or the
 * checks below hard-codes a number; they read it from the rule set `rulesFor` picks for the
 * election day. A region with its own implementing measures (e.g. a different proxy cap) passes
 * its own table to `rulesFor`, built with `withOverrides`.
 *
 * Laws:
 * - 村民委员会组织法 (VCOL): the 2018 text, and the revision in force from 2026-01-01.
 * - 城市居民委员会组织法 (RCOL, 2018) with the provincial 居民委员会选举办法 that apply the
 *   villagers' election rules to residents' committees.
 * - 中国共产党基层组织选举工作条例 (2020) (PBOER).
 * - The secretary age guidance is policy, not law: domain source 002 ("男满60岁、女满55岁一般不继续
 *   提名书记").
 */
export const COMMITTEE_KINDS = ['PARTY', 'VILLAGERS', 'RESIDENTS'] as const;
export type CommitteeKind = (typeof COMMITTEE_KINDS)[number];

/** A share written as an exact fraction: all comparisons are done in integers (no 0.5 floats). */
export interface Fraction {
  numerator: number;
  denominator: number;
}

/** A value with the law version it belongs to and the article it comes from. */
export interface Rule<T> {
  value: T;
  /** e.g. "村民委员会组织法(2018) 第十五条". */
  article: string;
}

/** How many candidates a contested election (差额选举) needs beyond the seats. */
export type CandidateSurplus =
  /** strictly more candidates than seats (villagers' / residents'). */
  | { kind: 'MORE_THAN_SEATS' }
  /** at least this share of the seats more, rounded up (Party: 20%). */
  | { kind: 'AT_LEAST_SHARE_MORE'; share: Fraction };

/** Who the quorum counts: registered voters who voted, or entitled members who attended. */
export interface QuorumRule {
  basis: 'REGISTERED_VOTED' | 'ENTITLED_ATTENDED';
  /** strictly more than this share of the base. */
  moreThan: Fraction;
}

/** The base a winner's votes are measured against. */
export interface WinningRule {
  /** VOTED: those who voted (ballots returned); ENTITLED: members entitled to vote (应到会). */
  basis: 'VOTED' | 'ENTITLED';
  /** strictly more than this share of the base. */
  moreThan: Fraction;
}

/** 另行选举: the round for seats left unfilled (or tied) by the first ballot. */
export type RunOffRule =
  /** most votes win, provided at least this share of the ballots cast (VCOL: one third). */
  | { kind: 'PLURALITY_WITH_FLOOR'; atLeastOfCast: Fraction }
  /** the first-round threshold still applies (Party: more than half of those entitled). */
  | { kind: 'SAME_AS_FIRST_ROUND' };

export interface ElectionRuleSet {
  kind: CommitteeKind;
  /** law version the rules belong to, e.g. 'VCOL-2026'. */
  lawVersion: string;
  /** first day (yyyy-mm-dd) on which this version governs an election day. */
  effectiveFrom: string;
  /** committee size, seats in all: inclusive range. */
  seats: Rule<{ min: number; max: number }>;
  candidateSurplus: Rule<CandidateSurplus>;
  quorum: Rule<QuorumRule>;
  winning: Rule<WinningRule>;
  runOff: Rule<RunOffRule>;
  /** whether the run-off round must meet the quorum again (a Party meeting: yes). */
  runOffNeedsQuorum: Rule<boolean>;
  /** the most absent voters one voter may vote for; 0 = no proxy voting. Candidates hold none. */
  proxyCap: Rule<number>;
  /** voter list published at least this many days before election day; null = no public list. */
  voterListLeadDays: Rule<number | null>;
  /** oldest age at which a secretary (or a director holding both posts) is normally re-nominated. */
  secretaryMaxAge: Rule<{ men: number; women: number }>;
  /** a woman must sit on the committee; if none is elected, the women's seat is elected separately. */
  womenSeat: Rule<boolean>;
}

const HALF: Fraction = { numerator: 1, denominator: 2 };
const FOUR_FIFTHS: Fraction = { numerator: 4, denominator: 5 };
const ONE_THIRD: Fraction = { numerator: 1, denominator: 3 };
const ONE_FIFTH: Fraction = { numerator: 1, denominator: 5 };

const SECRETARY_AGE: Rule<{ men: number; women: number }> = {
  value: { men: 60, women: 55 },
  article: 'domain source 002: 男满60岁、女满55岁一般不继续提名书记 (policy, configurable per region)',
};

/** Rules of the villagers' committee law in one version; the residents' set derives from it. */
function villagersRules(lawVersion: string, effectiveFrom: string, law: string): ElectionRuleSet {
  return {
    kind: 'VILLAGERS',
    lawVersion,
    effectiveFrom,
    seats: { value: { min: 3, max: 7 }, article: `${law} 第六条: 村民委员会由主任、副主任和委员共三至七人组成` },
    candidateSurplus: { value: { kind: 'MORE_THAN_SEATS' }, article: `${law} 第十五条: 候选人名额应当多于应选名额` },
    quorum: {
      value: { basis: 'REGISTERED_VOTED', moreThan: HALF },
      article: `${law} 第十五条: 有登记参加选举的村民过半数投票，选举有效`,
    },
    winning: {
      value: { basis: 'VOTED', moreThan: HALF },
      article: `${law} 第十五条: 候选人获得参加投票的村民过半数的选票，始得当选`,
    },
    runOff: {
      value: { kind: 'PLURALITY_WITH_FLOOR', atLeastOfCast: ONE_THIRD },
      article: `${law} 第十五条: 另行选举的，候选人以得票多的当选，但是所得票数不得少于已投选票数的三分之一`,
    },
    runOffNeedsQuorum: { value: false, article: `${law} 第十五条 (另行选举 sets no new quorum)` },
    proxyCap: {
      value: 3,
      article: `${law} 第十五条 (书面委托近亲属代为投票) with the provincial 选举办法: 每一选民接受委托不得超过三人; a candidate may hold no proxy`,
    },
    voterListLeadDays: { value: 20, article: `${law} 第十四条: 登记参加选举的村民名单应当在选举日的二十日前由村民选举委员会公布` },
    secretaryMaxAge: SECRETARY_AGE,
    womenSeat: { value: true, article: `${law} 第六条: 村民委员会成员中，应当有妇女成员 (专职专选 when none is elected)` },
  };
}

function residentsRules(villagers: ElectionRuleSet, lawVersion: string): ElectionRuleSet {
  const rcol = '城市居民委员会组织法(2018)';
  return {
    ...villagers,
    kind: 'RESIDENTS',
    lawVersion,
    seats: { value: { min: 5, max: 9 }, article: `${rcol} 第七条: 居民委员会由主任、副主任和委员共五至九人组成` },
    womenSeat: { value: true, article: `${rcol} 第七条 with the provincial 选举办法: 居民委员会成员中应当有妇女成员 (专职专选)` },
    // Every counting rule comes from the villagers' law as the provincial 居民委员会选举办法 apply it.
    candidateSurplus: {
      ...villagers.candidateSurplus,
      article: `${rcol} 第八条 and 选举办法, after ${villagers.candidateSurplus.article}`,
    },
  };
}

const PBOER = '中国共产党基层组织选举工作条例(2020)';
const PARTY_2020: ElectionRuleSet = {
  kind: 'PARTY',
  lawVersion: 'PBOER-2020',
  effectiveFrom: '2020-07-13',
  seats: {
    value: { min: 3, max: 9 },
    article: '中国共产党支部工作条例(试行) 第八条 / 农村基层组织工作条例: 委员会一般由3至5人组成，最多不超过7人 (党委最多9人)',
  },
  candidateSurplus: {
    value: { kind: 'AT_LEAST_SHARE_MORE', share: ONE_FIFTH },
    article: `${PBOER} 第十二条: 委员候选人的差额不少于应选人数的20%`,
  },
  quorum: {
    value: { basis: 'ENTITLED_ATTENDED', moreThan: FOUR_FIFTHS },
    article: `${PBOER} 第二十四条: 有选举权的到会人数超过应到会人数的五分之四，会议有效`,
  },
  winning: {
    value: { basis: 'ENTITLED', moreThan: HALF },
    article: `${PBOER} 第二十八条: 被选举人获得的赞成票超过应到会有选举权人数的一半，始得当选`,
  },
  runOff: {
    value: { kind: 'SAME_AS_FIRST_ROUND' },
    article: `${PBOER} 第二十八条: 另行选举时，得票仍须超过应到会有选举权人数的一半`,
  },
  runOffNeedsQuorum: { value: true, article: `${PBOER} 第二十四条 (the same meeting must stay quorate)` },
  proxyCap: { value: 0, article: `${PBOER} 第二十三条: 党员因故不能到会的不得委托他人代为投票` },
  voterListLeadDays: { value: null, article: `${PBOER}: 党员名单由党组织确定，无公布期` },
  secretaryMaxAge: SECRETARY_AGE,
  womenSeat: { value: false, article: `${PBOER}: no women's seat by law (structure target only, GLOSSARY)` },
};

const VCOL_2018 = villagersRules('VCOL-2018', '2018-12-29', '村民委员会组织法(2018)');
const VCOL_2026 = villagersRules('VCOL-2026', '2026-01-01', '村民委员会组织法(2026)');

/** Every rule set in force or once in force, oldest first within a kind. */
export const ELECTION_RULE_SETS: readonly ElectionRuleSet[] = [
  PARTY_2020,
  VCOL_2018,
  VCOL_2026,
  residentsRules(VCOL_2018, 'RCOL-2018/VCOL-2018'),
  residentsRules(VCOL_2026, 'RCOL-2018/VCOL-2026'),
];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rule set governing an election of `kind` held on `onDate` (yyyy-mm-dd): the version with the
 * latest effective date on or before that day. Ask by election day, not by today: an election held
 * on 2025-12-30 and counted in January still follows the 2018 text.
 */
export function rulesFor(kind: CommitteeKind, onDate: string, table: readonly ElectionRuleSet[] = ELECTION_RULE_SETS): ElectionRuleSet {
  if (!(COMMITTEE_KINDS as readonly string[]).includes(kind)) {
    throw badInput('RULES.KIND', `committee kind must be one of ${COMMITTEE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  if (!ISO_DATE.test(onDate)) {
    throw badInput('RULES.DATE_FORMAT', `date must be written yyyy-mm-dd (ISO 8601), got ${JSON.stringify(onDate)}`);
  }
  // ISO dates order as strings.
  const inForce = table
    .filter((r) => r.kind === kind && r.effectiveFrom <= onDate)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  const found = inForce[0];
  if (!found) {
    const earliest = table
      .filter((r) => r.kind === kind)
      .map((r) => r.effectiveFrom)
      .sort()[0];
    throw badInput('RULES.NOT_IN_FORCE', `no ${kind} election rules in force on ${onDate} (earliest effective ${earliest ?? 'none'})`);
  }
  return found;
}

/**
 * A region's implementing measures (实施办法 / 选举办法) over the national rules: from a date, for
 * the units under a region (a region path; '' = nationwide), for one committee kind or all.
 * Example: a province whose 选举办法 lets a voter hold at most two proxies, or a city whose
 * guidance keeps secretaries to 58 / 55 years, is one entry here; each overridden rule names its
 * own article.
 */
export interface RegionalRules {
  regionPath: string;
  /** null: every committee kind. */
  kind: CommitteeKind | null;
  effectiveFrom: string;
  overrides: Partial<Omit<ElectionRuleSet, 'kind' | 'lawVersion' | 'effectiveFrom'>>;
}

/**
 * The regional measures in force. None is shipped: the sources name no region's variant of these
 * rules; a deployment adds its province's and city's here (or passes its own table to
 * rulesForRegion), and every election planned under them records the version it was planned with.
 */
export const REGIONAL_RULES: readonly RegionalRules[] = [];

const withinRegion = (path: string, region: string) => region === '' || path === region || path.startsWith(`${region}.`);

/**
 * The rules for an election of `kind` on `onDate` in the unit at `regionPath`: the national rule
 * set in force that day, with the regional measures in force that day applied from the widest
 * region down to the narrowest (a city's measure overrides its province's). The version names the
 * regions applied, e.g. 'VCOL-2026+51'.
 */
export function rulesForRegion(
  kind: CommitteeKind,
  onDate: string,
  regionPath: string,
  regional: readonly RegionalRules[] = REGIONAL_RULES,
  table: readonly ElectionRuleSet[] = ELECTION_RULE_SETS,
): ElectionRuleSet {
  const base = rulesFor(kind, onDate, table);
  const applying = regional
    .filter((r) => (r.kind === null || r.kind === kind) && r.effectiveFrom <= onDate && withinRegion(regionPath, r.regionPath))
    .sort((a, b) => a.regionPath.length - b.regionPath.length || (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  if (applying.length === 0) return base;
  const merged = applying.reduce((rules, r) => withOverrides(rules, r.overrides), base);
  const regions = [...new Set(applying.map((r) => r.regionPath || 'national'))];
  return { ...merged, lawVersion: `${base.lawVersion}+${regions.join('+')}` };
}

/** A region's variant of a rule set (e.g. proxy cap 2, secretary age 58/55), same version otherwise. */
export function withOverrides(
  base: ElectionRuleSet,
  overrides: Partial<Omit<ElectionRuleSet, 'kind' | 'lawVersion' | 'effectiveFrom'>>,
): ElectionRuleSet {
  return { ...base, ...overrides };
}

// ---------------------------------------------------------------------------------------------
// Exact share comparisons. Counts are whole numbers, so `part > share × whole` is compared as
// `part × denominator > numerator × whole`: 2·votes > voted, 5·attended > 4·entitled, 3·votes ≥ cast.
// ---------------------------------------------------------------------------------------------

/** part > share × whole, exactly. */
export const exceedsShare = (part: number, whole: number, share: Fraction) => part * share.denominator > share.numerator * whole;
/** part ≥ share × whole, exactly. */
export const reachesShare = (part: number, whole: number, share: Fraction) => part * share.denominator >= share.numerator * whole;

/** Fewest candidates a contested election of `seats` seats needs (差额). Party 20%: ⌈6/5·seats⌉. */
export function minimumCandidates(rules: ElectionRuleSet, seats: number): number {
  const surplus = rules.candidateSurplus.value;
  if (surplus.kind === 'MORE_THAN_SEATS') return seats + 1;
  // extra ≥ share × seats, smallest whole extra: ⌈numerator·seats / denominator⌉.
  return seats + Math.ceil((surplus.share.numerator * seats) / surplus.share.denominator);
}

/** Refuses a committee size outside the range of the law (seats in all roles). */
export function checkSeatCount(rules: ElectionRuleSet, seats: number): void {
  const { min, max } = rules.seats.value;
  if (!Number.isInteger(seats) || seats < min || seats > max) {
    throw badInput('RULES.SEATS', `a ${rules.kind} committee has ${min}–${max} seats (${rules.seats.article}), got ${seats}`);
  }
}

/** Refuses a ballot with too few candidates for a contested election (差额选举). */
export function checkCandidateCount(rules: ElectionRuleSet, seats: number, candidates: number): void {
  const needed = minimumCandidates(rules, seats);
  if (candidates < needed) {
    throw badInput(
      'RULES.CANDIDATE_SURPLUS',
      `${seats} seat(s) need at least ${needed} candidates for a contested election (${rules.candidateSurplus.article}), got ${candidates}`,
    );
  }
}

/** Refuses a voter holding more proxies than the cap, or a candidate holding any. */
export function checkProxies(rules: ElectionRuleSet, proxiesHeld: number, holderIsCandidate: boolean): void {
  const cap = holderIsCandidate ? 0 : rules.proxyCap.value;
  if (proxiesHeld > cap) {
    throw badInput(
      'RULES.PROXY_CAP',
      `${holderIsCandidate ? 'a candidate may hold no proxy' : `a voter may hold at most ${cap} proxies`} (${rules.proxyCap.article}), got ${proxiesHeld}`,
    );
  }
}

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** Refuses a voter list published fewer than the lead days before election day (20 days: published on day −20 or earlier). */
export function checkVoterListPublication(rules: ElectionRuleSet, publishedOn: string, electionDay: string): void {
  const lead = rules.voterListLeadDays.value;
  if (lead === null) return;
  for (const d of [publishedOn, electionDay]) {
    if (!ISO_DATE.test(d)) throw badInput('RULES.DATE_FORMAT', `date must be written yyyy-mm-dd (ISO 8601), got ${JSON.stringify(d)}`);
  }
  const days = dayNumber(electionDay) - dayNumber(publishedOn);
  if (days < lead) {
    throw badInput(
      'RULES.VOTER_LIST_LEAD_TIME',
      `the voter list must be published at least ${lead} days before election day (${rules.voterListLeadDays.article}); published ${publishedOn}, ${days} days before ${electionDay}`,
    );
  }
}

/** Whether a person of this age and gender is normally still nominated as secretary. */
export function secretaryAgeAllowed(rules: ElectionRuleSet, age: number, gender: 'MALE' | 'FEMALE'): boolean {
  const limit = gender === 'MALE' ? rules.secretaryMaxAge.value.men : rules.secretaryMaxAge.value.women;
  // "男满60岁 … 一般不继续提名": having reached the age bars, so the limit itself is excluded.
  return age < limit;
}
