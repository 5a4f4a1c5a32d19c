/**
 * The safeguards' rules as data: the limits and lists the automatic pre-checks (预审), pledges
 * (纪律承诺书) and departure audits (离任审计) apply, each with the text it comes from. Changing a
 * figure here changes the checks; nothing else hard-codes them.
 */

/** A rule's value and where it comes from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** 书记年龄: the secretary age limit of one region (its subtree). */
export interface SecretaryAgeLimit {
  /** Region path the limit applies to ('' = nationwide default); the deepest matching path wins. */
  regionPath: string;
  men: number;
  women: number;
  source: string;
}

export interface SafeguardPolicy {
  /** Nationwide default first; per-region overrides after it, in any order. */
  secretaryAgeLimits: readonly SecretaryAgeLimit[];
  /** 民主评议不满意率: over `barsAbove` bars; from `admonitionFrom` up to `barsAbove` needs a talk first. */
  dissatisfaction: Sourced<{
    barsAbove: { numerator: number; denominator: number };
    admonitionFrom: { numerator: number; denominator: number };
  }>;
  /** 近亲属: the declared relations that count for the avoidance rule (回避). */
  closeRelations: Sourced<readonly RelationKind[]>;
  /** 纪律承诺书: who must sign what. */
  pledgeObligations: Sourced<readonly { kind: PledgeKind; document: string; who: string }[]>;
  /** 离任审计: which ends of a seat open a departure audit by themselves. */
  auditOnPositionEnd: Sourced<readonly string[]>;
}

/** 亲属关系 as declared: the four kinds of the avoidance rule, and other kin (recorded, not counted). */
export const RELATION_KINDS = ['SPOUSE', 'LINEAL', 'COLLATERAL_WITHIN_THREE', 'CLOSE_IN_LAW', 'OTHER_KIN'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

export const PLEDGE_KINDS = ['CANDIDATE', 'ELECTION_WORKER', 'UNIT_SECRETARY'] as const;
export type PledgeKind = (typeof PLEDGE_KINDS)[number];

const SOURCE_002_AGE =
  'domain source 002 (换届工作部署讲话): 男满 60 岁、女满 55 岁一般不继续提名书记; 对"百名示范""千名领先"等特别优秀的可以放宽年龄要求';

export const SAFEGUARD_POLICY: SafeguardPolicy = {
  // 002 sets the national figures and lets regions relax them ("可以放宽"); a region's own figure goes
  // here as { regionPath, men, women, source } with the document that sets it. None is recorded yet:
  // the sources name no region that changed the figures.
  secretaryAgeLimits: [{ regionPath: '', men: 60, women: 55, source: SOURCE_002_AGE }],
  dissatisfaction: {
    value: { barsAbove: { numerator: 1, denominator: 2 }, admonitionFrom: { numerator: 3, denominator: 10 } },
    source:
      'domain source 003 (都江堰"四个不准"): 届满民主评议不满意率高于50%的社区干部不准参选; 民主评议不满意率达到30%—50%的现任社区干部进行了诫勉谈话',
  },
  closeRelations: {
    value: ['SPOUSE', 'LINEAL', 'COLLATERAL_WITHIN_THREE', 'CLOSE_IN_LAW'],
    source:
      '村民委员会组织法 (修订) 近亲属回避: 夫妻关系、直系血亲、三代以内旁系血亲以及近姻亲关系 (the relations of the avoidance rule; the article is not in domain-sources)',
  },
  pledgeObligations: {
    value: [
      { kind: 'CANDIDATE', document: '换届纪律承诺书', who: '候选人 — every nominated candidate, per election' },
      { kind: 'ELECTION_WORKER', document: '换届纪律保证书', who: '换届工作人员 — every registered election worker, per cycle' },
      { kind: 'UNIT_SECRETARY', document: '换届纪律责任书', who: '村(社区)党组织书记 — every sitting secretary, per cycle' },
    ],
    source:
      'domain source 002: 镇(街道)、村(社区)党组织书记 100%签订换届纪律责任书, 候选人 100%签订换届纪律承诺书, 换届工作人员 100%签订换届纪律保证书; 000 (崇州): 逐人签订纪律承诺书13000余份',
  },
  auditOnPositionEnd: {
    // RESULT_VOIDED is left out: the seat came from an election declared void (三个一律), so the
    // person never lawfully held it; that misconduct is the complaint's and discipline's business,
    // and an audit can still be opened by hand.
    value: ['TERM_ENDED', 'TRANSFERRED', 'RESIGNED', 'REMOVED'],
    source:
      'domain source 002: 县镇党委要组织好对"两委"成员的经济责任审计; 001 (和林格尔): 做好离任审计, 村级财务"清账", 于换届前整改到位, 将"问题干部"挡在门外',
  },
};

/** The 十不选 items the pre-checks cite (the negative list itself is kept with the reviews). */
export const NEGATIVE_LIST_CITES = {
  CRIMINAL_OR_BULLY: 'SBX-02',
  DISCIPLINARY_PENALTY: 'SBX-03',
  RELIGION_CULT_CLAN: 'SBX-04',
  VOTE_BUYING: 'SBX-05',
  INCOMPETENT_OR_DERELICT: 'SBX-07',
  FUNDS_NOT_PUT_RIGHT: 'SBX-08',
} as const;

/** The secretary age limit for a region: the deepest override whose path contains it. */
export function secretaryAgeLimitFor(regionPath: string, policy: SafeguardPolicy = SAFEGUARD_POLICY): SecretaryAgeLimit {
  let best: SecretaryAgeLimit | undefined;
  for (const limit of policy.secretaryAgeLimits) {
    const applies = limit.regionPath === '' || regionPath === limit.regionPath || regionPath.startsWith(`${limit.regionPath}.`);
    if (applies && (best === undefined || limit.regionPath.length > best.regionPath.length)) best = limit;
  }
  if (!best) throw new Error('the safeguard policy has no nationwide secretary age limit');
  return best;
}
