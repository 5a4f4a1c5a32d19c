import type { Weighted } from './prng';
import type { Education, PartyOrgForm, PoliticalStatus } from './types';

/**
 * Every figure the generator draws people and committees from, each with where it comes from:
 * a domain source (/work/shared/domain-sources/, by number) or "choice" where the sources say
 * nothing. The unit tests check the generated city against the TARGETS below.
 */

/** Chengdu's figures (000). */
export const CHENGDU = {
  /** "全市3039个村(社区)全面完成换届" */
  units: 3039,
  /** "“两委”成员2万余名"; the brief's figure for the city is 21,000. */
  members: 21_000,
  /** "选拔储备了10750名优秀后备干部" */
  reserves: 10_750,
  /** "确保了全市圆满实现100%“一肩挑”" */
  oneShoulderRate: 1,
  /** "具有…专业背景的村(社区)书记、“两委”成员分别占26.5%、19.7%" */
  professionalBackground: { secretaries: 0.265, members: 0.197 },
  /** "累计摸排人选2.7万人次" (GLOSSARY: 27,000 people vetted) */
  candidatesScreened: 27_000,
  /** "从创业先进个人、社区社会企业和社会组织负责人、优秀社区工作者、致富带头人中…4275人进入“两委”班子" */
  newMembersFromSociety: 4275,
  /** "累计召开3.75万场培训会…参与党员群众126.89万人次" */
  briefings: { sessions: 37_500, participants: 1_268_900 },
} as const;

/** Figures of the structure of the committees the generator aims at (the tests' tolerances beside). */
export const TARGETS = {
  /** 001 (和林格尔, 2021): "全体委员平均年龄48.2岁" */
  meanAge2021: { value: 48.2, tolerance: 1.0, source: '001' },
  /** 001: "40岁以下年轻干部96人、占18.4%" */
  under40Share: { value: 0.184, tolerance: 0.03, source: '001' },
  /** 001: "有35岁年轻干部进村级班子的比例…提升为现在的96.3%" — units with a member 35 or under */
  unitsWithMemberUnder35: { value: 0.963, tolerance: 0.02, source: '001' },
  /** 001: "“两委”班子中有2名大专及以上文化程度成员的村社占比提升到了95.6%" */
  unitsWithTwoCollege: { value: 0.956, tolerance: 0.03, source: '001' },
  /**
   * 大专及以上 share. Villages: choice, 50% — between 001's 30.2% (a rural county) and 004's 89.3%
   * (Baoshan's villages), in line with 002's "大专及以上学历人数不足50%" before the 换届 and its aim
   * to raise it. Communities: 004, "居民区黨組織班子成員大專以上學歷占比67.4%".
   */
  collegeShare: { VILLAGE: 0.5, COMMUNITY: 0.674, tolerance: 0.03, source: 'choice (villages, 001/002/004); 004 (communities)' },
  /**
   * Women's share. Villages: 001, "女干部97人、占18.5%". Communities: the sources say nothing;
   * choice, 50% (urban residents' committees employ many women).
   */
  womenShare: { VILLAGE: 0.185, COMMUNITY: 0.5, tolerance: 0.03, source: '001 (villages); choice (communities)' },
  /** 000: secretaries 26.5%, members 19.7% with a professional background */
  professionalBackground: { ...CHENGDU.professionalBackground, tolerance: 0.03, source: '000' },
} as const;

/**
 * Ages of the 2021 members on AGE_2021_REFERENCE_DAY, drawn so that TARGETS.meanAge2021 and
 * under40Share come out: in 96.3% of units one member is 24–35 (the young member of 001), the
 * others Normal(52.5, 7.5) clipped to 30–64 (choice: calibrated to 001's mean and share).
 */
export const MEMBER_AGE = { mean: 52.5, sd: 7.5, min: 30, max: 64, young: { min: 24, max: 35 } } as const;

/** 002: "男满 60 岁、女满 55 岁一般不继续提名书记" — the secretary age rule. */
export const SECRETARY_AGE_LIMIT = { MALE: 60, FEMALE: 55 } as const;

/** Committee members under the Party committee: 党章 第七条 — only full members hold a seat. Choice for the others: */
export const VC_ONLY_POLITICAL_STATUS: Weighted<PoliticalStatus> = [
  ['PARTY_MEMBER', 45],
  ['LEAGUE_MEMBER', 5],
  ['DEMOCRATIC_PARTY', 2],
  ['MASSES', 48],
];

/** Within 大专及以上 and below it (choice: the sources give only the college share). */
export const COLLEGE_LEVELS: Weighted<Education> = [
  ['COLLEGE', 60],
  ['BACHELOR', 37],
  ['MASTER', 3],
];
export const BELOW_COLLEGE_LEVELS: Weighted<Education> = [
  ['SENIOR_SECONDARY', 65],
  ['JUNIOR_SECONDARY', 30],
  ['PRIMARY', 5],
];

/** 000: "优化157个村(社区)党组织设置" gives no split; choice: mostly 党支部. */
export const PARTY_ORG_FORMS: Weighted<PartyOrgForm> = [
  ['BRANCH', 75],
  ['GENERAL_BRANCH', 20],
  ['COMMITTEE', 5],
];

/** Committee sizes within the law (committee.rules.ts), weights a choice. */
export const PARTY_SIZE: Record<PartyOrgForm, Weighted<number>> = {
  BRANCH: [
    [3, 10],
    [4, 15],
    [5, 75],
  ],
  GENERAL_BRANCH: [
    [5, 60],
    [7, 40],
  ],
  COMMITTEE: [
    [5, 50],
    [7, 50],
  ],
};
export const VC_SIZE = {
  VILLAGE: [
    [3, 10],
    [4, 10],
    [5, 60],
    [6, 10],
    [7, 10],
  ] as Weighted<number>,
  COMMUNITY: [
    [5, 50],
    [6, 20],
    [7, 30],
  ] as Weighted<number>,
};
/**
 * Distinct people on the two committees of a unit (交叉任职: the Party members of the villagers'
 * committee sit on both): 21,000 over 3,039 units is 6.9 a unit (000 and the brief).
 */
export const DISTINCT_MEMBERS: Weighted<number> = [
  [6, 22],
  [7, 60],
  [8, 18],
];

/** Ethnicity: the sources say nothing of Chengdu's; choice, almost all 汉族 with Sichuan's minorities. */
export const ETHNICITY: Weighted<string> = [
  ['汉族', 985],
  ['回族', 5],
  ['彝族', 4],
  ['藏族', 4],
  ['羌族', 2],
];

/**
 * Where members came from (000: 4,275 of 20,000+ from 创业先进个人, 社会组织负责人, 优秀社区工作者,
 * 致富带头人, about 20%); the tag among them is a choice.
 */
export const MEMBER_SOURCE_TAGS: Weighted<string> = [
  ['ENTREPRENEUR', 45],
  ['SOCIAL_ORGANISATION_LEADER', 20],
  ['GRID_WORKER', 35],
];
export const MEMBER_SOURCE_TAG_SHARE = CHENGDU.newMembersFromSociety / CHENGDU.members;

export const BACKGROUNDS = {
  VILLAGE: ['MODERN_AGRICULTURE', 'RURAL_TOURISM', 'E_COMMERCE', 'PLANNING_CONSTRUCTION', 'FINANCE', 'LAW'],
  COMMUNITY: ['SOCIAL_GOVERNANCE', 'PLANNING_CONSTRUCTION', 'LAW', 'FINANCE', 'HEALTH', 'EDUCATION'],
} as const;

/**
 * Reserves (后备干部). Count: 000 (10,750). The rest is a choice guided by the sources: younger
 * (002: 返乡大学生、退役军人 among the groups to draw on; 004: 85后 secretaries), mostly college
 * educated (002: new nominees "一般要具备大专以上文化程度"), many Party members (001: 134 of 455
 * reserves ready for 一肩挑).
 */
export const RESERVE = {
  age: { mean: 33, sd: 6, min: 22, max: 45 },
  womenShare: 0.4,
  collegeShare: 0.8,
  politicalStatus: [
    ['PARTY_MEMBER', 50],
    ['PROBATIONARY_MEMBER', 10],
    ['LEAGUE_MEMBER', 15],
    ['MASSES', 25],
  ] as Weighted<PoliticalStatus>,
  sourceTags: [
    ['RETURNING_GRADUATE', 30],
    ['VETERAN', 10],
    ['ENTREPRENEUR', 15],
    ['MIGRANT_RETURNEE', 10],
    ['GRID_WORKER', 15],
    ['', 20],
  ] as Weighted<string>,
  sinceFrom: '2021-04-01',
  sinceTo: '2025-12-31',
} as const;

/** Share of people with a mobile number on record: choice. */
export const PHONE_SHARE = 0.8;
