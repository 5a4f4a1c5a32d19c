/**
 * Workflow templates as data: the stages and steps a unit's 换届 goes through, and which step
 * must be done before which.
 *
 * Sizes from Chenghua district (成都日报, domain-sources/000): "细化明确社区党组织换届5阶段32个环节
 * 和居委会换届4阶段19个环节具体任务". The sources give the counts and the process but not the
 * list of the 32 and 19 steps. The steps below are COMPOSED from the process the sources describe
 * and name — 000 (Chenghua, Wuhou: 调研摸底, 谈心谈话, 风险点, 培训, 宣传; Xindu: 先整顿、再换届;
 * Chongzhou: 纪律承诺书), 002 (the deployment speech: 民主评议, 经济责任审计, 县级联审, 推荐提名,
 * 差额选举, 新老班子交接), 003 (Dujiangyan: 一户一票推荐, 资格复审, 届满民主评议, 新老班子交接),
 * 001 (Helingeer: 离任审计, 联审) — and from the election rules of the Party
 * (中国共产党基层组织选举工作条例) and the residents' committee law (城市居民委员会组织法):
 * they are plausible, not Chenghua's own list. Codes are stable; names may be edited.
 */

/** The committee a template elects (两委: the Party committee and the villagers' or residents' committee). */
export type CommitteeKind = 'PARTY' | 'VILLAGERS' | 'RESIDENTS';

export interface WorkflowStage {
  code: string;
  name: string;
  gloss: string;
}

export interface WorkflowStep {
  /** Stable code, e.g. 'P1.03'; the stage is the part before the dot. */
  code: string;
  stage: string;
  name: string;
  gloss: string;
  /** Codes of the steps that must be done before this one. */
  dependsOn: readonly string[];
}

export interface WorkflowTemplate {
  code: string;
  name: string;
  committeeKind: CommitteeKind;
  /** Where the shape comes from, for the report footer. */
  source: string;
  stages: readonly WorkflowStage[];
  steps: readonly WorkflowStep[];
}

const step = (code: string, name: string, gloss: string, dependsOn: readonly string[] = []): WorkflowStep => ({
  code,
  stage: code.slice(0, code.indexOf('.')),
  name,
  gloss,
  dependsOn,
});

/** 社区党组织换届: 5 stages, 32 steps (Chenghua). */
export const PARTY_COMMITTEE_TEMPLATE: WorkflowTemplate = {
  code: 'CHENGHUA_PARTY_5_32',
  name: '社区党组织换届(5阶段32个环节)',
  committeeKind: 'PARTY',
  source: '成都日报 2021-03: 成华区细化明确社区党组织换届5阶段32个环节 (steps composed, see file comment)',
  stages: [
    { code: 'P1', name: '换届准备', gloss: 'preparation' },
    { code: 'P2', name: '推荐提名', gloss: 'recommendation and nomination (两推一选)' },
    { code: 'P3', name: '资格审查', gloss: 'qualification review' },
    { code: 'P4', name: '组织选举', gloss: 'election at the Party members’ assembly' },
    { code: 'P5', name: '交接总结', gloss: 'handover and wrap-up' },
  ],
  steps: [
    // 1 准备: Wuhou's 谋划部署先行 / 调研摸底先行 / 前期准备先行; 先整顿、再换届 (Xindu, 002).
    step('P1.01', '成立换届工作领导小组', 'set up the leading group'),
    step('P1.02', '制定换届工作方案', 'draft the work plan', ['P1.01']),
    step('P1.03', '调研摸底', 'survey the unit (摸底/走访)', ['P1.01']),
    step('P1.04', '谈心谈话', 'one-to-one talks (四必谈)', ['P1.03']),
    step('P1.05', '排查风险点', 'list risk points, one plan per unit (一村一策)', ['P1.03']),
    step('P1.06', '整顿软弱涣散党组织', 'rectify a weak organisation before the election', ['P1.05']),
    step('P1.07', '届满民主评议', 'end-of-term democratic evaluation', ['P1.01']),
    step('P1.08', '离任经济责任审计', 'departure economic-responsibility audit', ['P1.01']),
    step('P1.09', '换届业务培训', 'train election workers', ['P1.02']),
    step('P1.10', '宣传发动', 'publicity and mobilisation', ['P1.02']),
    // 2 推荐提名: 两推一选 — members and the public recommend, the organisation inspects.
    step('P2.01', '确定委员职数和选举方式', 'fix seats and method, approved by the town Party committee', ['P1.02']),
    step('P2.02', '公布人选条件和推荐办法', 'publish the conditions and how to recommend', ['P2.01', 'P1.10']),
    step('P2.03', '个人报名', 'individual applications', ['P2.02']),
    step('P2.04', '党员推荐', 'recommendation by Party members (first 推)', ['P2.02']),
    step('P2.05', '群众推荐', 'recommendation by the public (second 推)', ['P2.02']),
    step('P2.06', '确定考察对象', 'choose whom to inspect', ['P2.03', 'P2.04', 'P2.05', 'P1.07']),
    step('P2.07', '组织考察', 'inspection by the organisation', ['P2.06']),
    // 3 资格审查: town first review, county joint review (县级联审), pledges (Chongzhou).
    step('P3.01', '镇(街道)初审', 'first review by the town (street)', ['P2.07']),
    step('P3.02', '县级联审', 'county joint review by several departments', ['P3.01', 'P1.08']),
    step('P3.03', '支委会研究提出候选人初步人选', 'branch committee proposes preliminary candidates', ['P3.02']),
    step('P3.04', '报镇(街道)党委审查同意', 'town Party committee approves the candidate list', ['P3.03']),
    step('P3.05', '公示候选人预备人选', 'publish the candidate list for comment', ['P3.04']),
    step('P3.06', '签订换届纪律承诺书', 'candidates sign the discipline pledge', ['P3.05']),
    // 4 选举: 党员大会, contested election of members (差额选举), then secretary.
    step('P4.01', '确认有选举权党员名单', 'confirm the members entitled to vote (应到会人数)', ['P3.06']),
    step('P4.02', '召开党员大会并通过选举办法', 'convene the assembly, adopt the election rules, choose scrutineers', ['P4.01', 'P1.06']),
    step('P4.03', '差额选举委员会委员', 'contested vote for committee members (投票)', ['P4.02']),
    step('P4.04', '计票并宣布结果', 'count (计票) and announce', ['P4.03']),
    step('P4.05', '委员会选举书记、副书记', 'first committee meeting elects secretary and deputy', ['P4.04']),
    step('P4.06', '报上级党委审批', 'report the result to the higher Party committee for approval', ['P4.05']),
    // 5 交接: 新老班子交接 (002, 003); 任前谈话 (Chenghua); archive and report.
    step('P5.01', '新老班子交接', 'handover of seals, accounts and archives', ['P4.06']),
    step('P5.02', '任前谈话', 'pre-appointment talk with the new committee', ['P4.06']),
    step('P5.03', '资料归档和工作总结', 'archive the files and report', ['P5.01', 'P5.02']),
  ],
};

/** 居委会换届: 4 stages, 19 steps (Chenghua). */
export const RESIDENTS_COMMITTEE_TEMPLATE: WorkflowTemplate = {
  code: 'CHENGHUA_RESIDENTS_4_19',
  name: '居民委员会换届(4阶段19个环节)',
  committeeKind: 'RESIDENTS',
  source: '成都日报 2021-03: 成华区细化明确居委会换届4阶段19个环节 (steps composed, see file comment)',
  stages: [
    { code: 'R1', name: '选举准备', gloss: 'preparation' },
    { code: 'R2', name: '选民登记', gloss: 'voter registration' },
    { code: 'R3', name: '提名与资格审查', gloss: 'nomination and qualification review' },
    { code: 'R4', name: '选举与交接', gloss: 'election and handover' },
  ],
  steps: [
    step('R1.01', '推选居民选举委员会', 'elect the residents’ election committee'),
    step('R1.02', '制定选举工作方案', 'draft the election plan', ['R1.01']),
    step('R1.03', '届满民主评议', 'end-of-term democratic evaluation', ['R1.01']),
    step('R1.04', '离任经济责任审计', 'departure economic-responsibility audit', ['R1.01']),
    step('R1.05', '宣传发动', 'publicity and mobilisation', ['R1.02']),
    // Voter list published 20 days before election day (lead time is a rule, see election rules).
    step('R2.01', '发布选举公告', 'announce election day, seats and method', ['R1.02']),
    step('R2.02', '选民登记', 'register voters', ['R2.01']),
    step('R2.03', '公布选民名单', 'publish the voter list (20 days before election day)', ['R2.02']),
    step('R2.04', '受理选民名单异议', 'hear and decide objections to the list', ['R2.03']),
    step('R3.01', '推荐提名', 'nomination by residents (一户一票 / 居民提名)', ['R2.03', 'R1.05']),
    step('R3.02', '资格审查', 'qualification review (县级联审)', ['R3.01', 'R1.03', 'R1.04']),
    step('R3.03', '确定并公布正式候选人', 'fix and publish the final candidates', ['R3.02', 'R2.04']),
    step('R3.04', '介绍候选人', 'introduce candidates to voters', ['R3.03']),
    step('R4.01', '投票', 'polling (选举大会 / 投票站)', ['R3.04']),
    step('R4.02', '计票并公布选举结果', 'count (计票) and announce the result', ['R4.01']),
    step('R4.03', '颁发当选证书', 'issue certificates of election', ['R4.02']),
    step('R4.04', '推选下属委员会成员和居民小组长', 'choose sub-committees and group leaders', ['R4.03']),
    step('R4.05', '新老班子交接', 'handover between old and new committees', ['R4.03']),
    step('R4.06', '资料归档和工作总结', 'archive the files and report', ['R4.04', 'R4.05']),
  ],
};

export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [PARTY_COMMITTEE_TEMPLATE, RESIDENTS_COMMITTEE_TEMPLATE];

/**
 * 村民委员会换届: the villagers' committee follows the residents' committee's 4 stages / 19 steps.
 * Chenghua, an urban district, gives the shape only for the residents' committee; the villagers'
 * committee law (村民委员会组织法) prescribes the same sequence — election committee, voter
 * registration, nomination by villagers (一户一票 in Dujiangyan, 003), review, polling, handover —
 * so this is the residents' template with the villagers' names, under its own code and the same
 * step codes (R1.01 …), so a report over both kinds counts like for like.
 */
const VILLAGERS_NAMES: Readonly<Record<string, [string, string]>> = {
  'R1.01': ['推选村民选举委员会', 'elect the villagers’ election committee'],
  'R3.01': ['推荐提名', 'nomination by villagers (一户一票 / 村民提名)'],
  'R4.04': ['推选村民小组长和村务监督委员会', 'choose villagers’ group leaders and the village affairs supervision committee'],
};

export const VILLAGERS_COMMITTEE_TEMPLATE: WorkflowTemplate = {
  code: 'VILLAGERS_4_19',
  name: '村民委员会换届(4阶段19个环节)',
  committeeKind: 'VILLAGERS',
  source: '居委会4阶段19个环节 (成华区) applied to the villagers’ committee (村民委员会组织法); steps composed, see file comment',
  stages: RESIDENTS_COMMITTEE_TEMPLATE.stages,
  steps: RESIDENTS_COMMITTEE_TEMPLATE.steps.map((s) => {
    const renamed = VILLAGERS_NAMES[s.code];
    return renamed ? { ...s, name: renamed[0], gloss: renamed[1] } : s;
  }),
};

/** Every template, including the villagers' variant; a transition records its template's code. */
export const ALL_WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [...WORKFLOW_TEMPLATES, VILLAGERS_COMMITTEE_TEMPLATE];

/** The template a committee's 换届 follows. */
export function templateForKind(kind: CommitteeKind): WorkflowTemplate {
  return ALL_WORKFLOW_TEMPLATES.find((t) => t.committeeKind === kind)!;
}

/** A template by its code; undefined for a code no template has. */
export function templateByCode(code: string): WorkflowTemplate | undefined {
  return ALL_WORKFLOW_TEMPLATES.find((t) => t.code === code);
}
