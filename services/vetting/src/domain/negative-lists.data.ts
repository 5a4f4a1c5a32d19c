import { badInput, isIsoDate, isWithin, regionPathFromCode } from '@huanjie/platform';

/**
 * The 联审 policies as data: which items a candidate is checked against (负面清单 and, where a region
 * has one, 正面清单), which departments must give an opinion at which level of review, and how many
 * days each level has. One policy per region and version, each valid from its effective date;
 * `policyFor` picks the most specific region's latest version in force on a day (the national one
 * when the region has none). A review keeps the id of the policy it was opened under, so a later
 * version never changes a review already under way.
 *
 * Sources (see /work/shared/domain-sources):
 * - 002 (a city organisation department's deployment speech, 2020-10-19): "严格落实'十不选'要求",
 *   "落实好对换届人选的县级联审机制", "三个一律". The ten items below are the 十不选 as the 2020–2021
 *   换届 applied them; their codes SBX-01 … SBX-10 are stable (pre-checks and elections cite them).
 * - 001 (和林格尔县, 150123): "各乡镇党委初审,县纪委监委、组织等相关部门联合会审", "16条负面清单",
 *   917 applicants, 657 Party members screened, 55 disqualified. The report gives the count, not the
 *   texts: the 16 are the 十不选 plus six items composed from what the report says the county
 *   checked (see each item's `basis`).
 * - 004 (上海市宝山区, 310113 — Shanghai's Baoshan district, not 云南保山): "6项正面清单、10项负面清单",
 *   "三级联审", 7,720 candidates. Again counts only: the ten negative items are the 十不选 and the six
 *   positive ones are composed from the qualities the report names.
 * - 003 (都江堰, 2013): the 资格审查组 (市纪委、市委组织部、信访、维稳、检察、民政、计生) re-examines
 *   after the town's first review; its 四个不准 are pre-check rules (the safeguards area).
 */

/** 联审成员单位 — the departments that take part in the joint review. */
export const DEPARTMENTS = {
  TOWNSHIP: '乡镇(街道)党(工)委',
  DISCIPLINE: '纪委监委',
  ORGANISATION: '组织部',
  POLITICAL_LEGAL: '政法委',
  PUBLIC_SECURITY: '公安',
  PROCURATORATE: '检察院',
  COURT: '法院',
  PETITIONS: '信访',
  STABILITY: '维稳',
  UNITED_FRONT: '统战部(民族宗教)',
  CIVIL_AFFAIRS: '民政',
  HEALTH: '卫健(计生)',
  AGRICULTURE: '农业农村',
  AUDIT: '审计',
  NATURAL_RESOURCES: '自然资源',
} as const;
export type DepartmentCode = keyof typeof DEPARTMENTS;
export const DEPARTMENT_CODES = Object.keys(DEPARTMENTS) as DepartmentCode[];

export function isDepartmentCode(code: string): code is DepartmentCode {
  return Object.prototype.hasOwnProperty.call(DEPARTMENTS, code);
}

/** 三级联审 — the levels of review, in order. */
export const REVIEW_LEVELS = ['TOWN_FIRST_REVIEW', 'COUNTY_JOINT_REVIEW', 'CITY_RE_REVIEW'] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

export type ItemKind = 'NEGATIVE' | 'POSITIVE';
/**
 * BARS: found to apply, it disqualifies; no conclusion may overrule it. NEEDS_DECISION: the
 * organisation department weighs it (a BAR opinion on such items can be overruled, with a reason).
 * A positive item that a candidate lacks is always weighed: NEEDS_DECISION.
 */
export type ItemEffect = 'BARS' | 'NEEDS_DECISION';

export interface ListItem {
  code: string;
  text: string;
  kind: ItemKind;
  effect: ItemEffect;
  /** The departments that usually evidence it, the usual one first. */
  departments: readonly DepartmentCode[];
  /** Where the item comes from. */
  basis: string;
}

export interface LevelPolicy {
  level: ReviewLevel;
  /** Who must give an opinion at this level. */
  departments: readonly DepartmentCode[];
  /** Days (Asia/Shanghai calendar) the departments have from the day the review reaches the level. */
  deadlineDays: number;
}

export interface ReviewPolicy {
  /** `<regionCode>@<version>`, kept on each review. */
  id: string;
  /** 行政区划代码 of the region the policy is for; '000000000000' for the national one. */
  regionCode: string;
  /** Its region path ('' for national). */
  regionPath: string;
  name: string;
  version: string;
  /** yyyy-mm-dd, Asia/Shanghai. */
  effectiveFrom: string;
  items: readonly ListItem[];
  /** The levels that apply, in order (whether the city re-review applies is policy). */
  levels: readonly LevelPolicy[];
  /** The level a reopened review goes back to (the joint review weighs the new finding). */
  reopenAt: ReviewLevel;
}

const SOURCE_002 = '十不选 (domain source 002)';

/** 十不选 — the ten kinds not to be selected, in the rulebook's order. The codes are stable. */
export const TEN_NOT_TO_SELECT: readonly ListItem[] = [
  { code: 'SBX-01', text: '对党不忠诚、政治上两面派的', kind: 'NEGATIVE', effect: 'NEEDS_DECISION', departments: ['ORGANISATION', 'DISCIPLINE'], basis: SOURCE_002 },
  { code: 'SBX-02', text: '受过刑事处罚、存在"村霸"和涉黑涉恶问题的', kind: 'NEGATIVE', effect: 'BARS', departments: ['PUBLIC_SECURITY', 'COURT', 'PROCURATORATE'], basis: SOURCE_002 },
  { code: 'SBX-03', text: '受到党纪政务处分尚在影响期内,或正在接受纪律审查、监察调查的', kind: 'NEGATIVE', effect: 'BARS', departments: ['DISCIPLINE'], basis: SOURCE_002 },
  { code: 'SBX-04', text: '组织、参与非法宗教活动或邪教组织,利用宗族宗派势力干扰的', kind: 'NEGATIVE', effect: 'BARS', departments: ['POLITICAL_LEGAL', 'PUBLIC_SECURITY', 'UNITED_FRONT'], basis: SOURCE_002 },
  { code: 'SBX-05', text: '拉票贿选、操纵干扰破坏选举的', kind: 'NEGATIVE', effect: 'BARS', departments: ['DISCIPLINE', 'PUBLIC_SECURITY'], basis: `${SOURCE_002}; 三个一律` },
  { code: 'SBX-06', text: '煽动群众闹事、扰乱公共秩序、非法上访的', kind: 'NEGATIVE', effect: 'NEEDS_DECISION', departments: ['PETITIONS', 'STABILITY', 'PUBLIC_SECURITY'], basis: SOURCE_002 },
  { code: 'SBX-07', text: '履职不力、被评为不称职或被罢免,长期不在村(社区)居住不能正常履职的', kind: 'NEGATIVE', effect: 'NEEDS_DECISION', departments: ['ORGANISATION', 'CIVIL_AFFAIRS'], basis: SOURCE_002 },
  { code: 'SBX-08', text: '侵占挪用集体资金、资产、资源,违规处置集体资产拒不退还或整改的', kind: 'NEGATIVE', effect: 'BARS', departments: ['AGRICULTURE', 'AUDIT'], basis: SOURCE_002 },
  { code: 'SBX-09', text: '违法违规用地建房、破坏生态环境拒不整改,或被列为失信被执行人的', kind: 'NEGATIVE', effect: 'NEEDS_DECISION', departments: ['NATURAL_RESOURCES', 'COURT'], basis: SOURCE_002 },
  { code: 'SBX-10', text: '有其他不宜提名情形的', kind: 'NEGATIVE', effect: 'NEEDS_DECISION', departments: ['ORGANISATION'], basis: SOURCE_002 },
];

/** 县级联审 as the rulebook describes it, after the town's first review (乡镇党委初审). */
const NATIONAL_COUNTY_DEPARTMENTS: readonly DepartmentCode[] = [
  'DISCIPLINE', 'ORGANISATION', 'POLITICAL_LEGAL', 'PUBLIC_SECURITY', 'PROCURATORATE', 'COURT', 'PETITIONS', 'CIVIL_AFFAIRS',
];

const HLG = (n: number, text: string, effect: ItemEffect, departments: DepartmentCode[], basis: string): ListItem => ({
  code: `HLG-${n}`,
  text,
  kind: 'NEGATIVE',
  effect,
  departments,
  basis: `composed from domain source 001 (the report counts 16 items but does not list them): ${basis}`,
});

const BSP = (n: number, text: string, basis: string): ListItem => ({
  code: `BSP-0${n}`,
  text,
  kind: 'POSITIVE',
  effect: 'NEEDS_DECISION',
  departments: ['ORGANISATION'],
  basis: `composed from domain source 004 (the report counts 6 positive items but does not list them): ${basis}`,
});

export const POLICIES: readonly ReviewPolicy[] = [
  {
    id: '000000000000@2020',
    regionCode: '000000000000',
    regionPath: '',
    name: '村(社区)"两委"换届人选资格联审 — 十不选',
    version: '2020',
    effectiveFrom: '2020-07-01',
    items: TEN_NOT_TO_SELECT,
    levels: [
      { level: 'TOWN_FIRST_REVIEW', departments: ['TOWNSHIP'], deadlineDays: 5 },
      { level: 'COUNTY_JOINT_REVIEW', departments: NATIONAL_COUNTY_DEPARTMENTS, deadlineDays: 10 },
    ],
    reopenAt: 'COUNTY_JOINT_REVIEW',
  },
  {
    id: '150123000000@2020',
    regionCode: '150123000000',
    regionPath: regionPathFromCode('150123000000'),
    name: '和林格尔县村、社区"两委"换届人选16条负面清单',
    version: '2020',
    effectiveFrom: '2020-12-09', // 换届工作于2020年12月9日正式启动 (source 001)
    items: [
      ...TEN_NOT_TO_SELECT,
      HLG(11, '2018年以来受过处分、列入受处分村社干部监控台账且影响期未满的', 'NEEDS_DECISION', ['DISCIPLINE'], '310名受处分村社干部监控台账'),
      HLG(12, '经"三审议三确认"认定为违规违纪发展的问题党员的', 'BARS', ['ORGANISATION'], '排查整顿违规违纪发展党员,认定处理问题党员61名'),
      HLG(13, '村级财务集中清理和离任审计发现问题、未在换届前整改到位的', 'BARS', ['AGRICULTURE', 'AUDIT'], '县农牧局牵头与财政、审计联合审计,"将问题干部挡在门外"'),
      HLG(14, '违反换届纪律"十严禁""十不准"的', 'BARS', ['DISCIPLINE'], '《牢记"十严禁""十不准"严肃换届纪律》'),
      HLG(15, '拒不签订竞选承诺书的', 'NEEDS_DECISION', ['TOWNSHIP'], '乡镇党委与村、社区"两委"候选人签订竞选承诺书'),
      HLG(16, '对所在村(社区)软弱涣散、整顿提升不到位负有直接责任的', 'NEEDS_DECISION', ['ORGANISATION', 'TOWNSHIP'], '7个重点难点村"一村一策略"整顿提升'),
    ],
    levels: [
      { level: 'TOWN_FIRST_REVIEW', departments: ['TOWNSHIP'], deadlineDays: 5 },
      // 县纪委监委、组织等相关部门联合会审; the work team drew on 组织、政法、民政; 农牧 led the audits.
      { level: 'COUNTY_JOINT_REVIEW', departments: ['DISCIPLINE', 'ORGANISATION', 'POLITICAL_LEGAL', 'PUBLIC_SECURITY', 'CIVIL_AFFAIRS', 'AGRICULTURE'], deadlineDays: 7 },
    ],
    reopenAt: 'COUNTY_JOINT_REVIEW',
  },
  {
    id: '310113000000@2021',
    regionCode: '310113000000',
    regionPath: regionPathFromCode('310113000000'),
    name: '宝山区居村"两委"换届人选6项正面清单、10项负面清单',
    version: '2021',
    effectiveFrom: '2021-01-01',
    items: [
      BSP(1, '讲政治:政治过硬,坚决贯彻党的路线方针政策', '"确保人选政治过硬","讲政治"'),
      BSP(2, '善治理:熟悉基层治理,能团结带领群众', '"善治理"'),
      BSP(3, '敢担当:在疫情防控、垃圾分类、老旧小区改造等重点任务中表现突出', '"从疫情防控、垃圾分类、老旧小区改造等重点任务中,把表现突出……的干部选进来"'),
      BSP(4, '作风正:作风正派,群众认可', '"作风正","群众认可"'),
      BSP(5, '能力强:好人中选能力强的人,能服务科创中心主阵地建设', '"从好人中选能力强的人"'),
      BSP(6, '年轻有潜力:年龄、学历结构符合"一降一升"要求', '"给年轻有潜力的干部更多干事的舞台","年龄学历一降一升"'),
      ...TEN_NOT_TO_SELECT,
    ],
    levels: [
      { level: 'TOWN_FIRST_REVIEW', departments: ['TOWNSHIP'], deadlineDays: 5 },
      { level: 'COUNTY_JOINT_REVIEW', departments: NATIONAL_COUNTY_DEPARTMENTS, deadlineDays: 10 },
      // 三级联审: the third level re-examines with the organisation department and discipline inspection.
      { level: 'CITY_RE_REVIEW', departments: ['ORGANISATION', 'DISCIPLINE'], deadlineDays: 5 },
    ],
    reopenAt: 'COUNTY_JOINT_REVIEW',
  },
];

function depth(path: string): number {
  return path === '' ? 0 : path.split('.').length;
}

/**
 * The policy in force for a region on a day: of the policies whose region contains `regionPath`
 * and which are effective on `onDate`, the most specific region's latest version. The national
 * policy is always there to fall back on.
 */
export function policyFor(regionPath: string, onDate: string, policies: readonly ReviewPolicy[] = POLICIES): ReviewPolicy {
  if (!isIsoDate(onDate)) throw badInput('POLICY.DATE', `POLICY.DATE: onDate must be yyyy-mm-dd, got ${JSON.stringify(onDate)}`);
  let best: ReviewPolicy | undefined;
  for (const p of policies) {
    if (!isWithin(regionPath, p.regionPath) || p.effectiveFrom > onDate) continue;
    if (!best || depth(p.regionPath) > depth(best.regionPath) || (depth(p.regionPath) === depth(best.regionPath) && p.effectiveFrom > best.effectiveFrom)) best = p;
  }
  if (!best) throw badInput('POLICY.NONE', `POLICY.NONE: no 联审 policy is in force for ${regionPath || 'the country'} on ${onDate}`);
  return best;
}

/** The policy a review was opened under, by its id. */
export function policyById(id: string, policies: readonly ReviewPolicy[] = POLICIES): ReviewPolicy {
  const policy = policies.find((p) => p.id === id);
  if (!policy) throw new Error(`unknown 联审 policy ${id}`);
  return policy;
}

export function itemOf(policy: ReviewPolicy, code: string): ListItem | undefined {
  return policy.items.find((i) => i.code === code);
}

export function levelPolicy(policy: ReviewPolicy, level: ReviewLevel): LevelPolicy | undefined {
  return policy.levels.find((l) => l.level === level);
}

/** Every (policy, level, department, deadline) a review may be waiting on: the report joins it in SQL. */
export function requirementTable(policies: readonly ReviewPolicy[] = POLICIES) {
  return policies.flatMap((p) => p.levels.flatMap((l) => l.departments.map((department) => ({ policy_id: p.id, level: l.level, department, deadline_days: l.deadlineDays }))));
}
