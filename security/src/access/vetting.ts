import type { Role } from '@huanjie/platform';
import type { AccessTable } from './types';

/** Reads of vetting: every role, within its region scope (opinion notes only for ORG_ADMIN, DISCIPLINE, REVIEWER, AUDITOR). */
const EVERYONE: readonly Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'CIVIL_AFFAIRS', 'REVIEWER', 'TOWN_OFFICER', 'TRAINER', 'AUDITOR'];
/** 民主评议, 近亲属, 承诺书, 换届工作人员: the organisation department and the town. */
const RECORDERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

/** vetting: who may call each of its queries and mutations. */
export const vettingAccess: AccessTable = {
  review: { service: 'vetting', roles: EVERYONE, region: 'subtree', note: '联审 — one joint qualification review by id (opinion notes: ORG_ADMIN, DISCIPLINE, REVIEWER, AUDITOR only)' },
  negativeList: { service: 'vetting', roles: EVERYONE, region: 'open', note: '负面清单 — the 联审 policy in force for a region on a day (reference data)' },
  reviews: { service: 'vetting', roles: EVERYONE, region: 'subtree', note: '联审列表 — reviews in scope, e.g. awaiting a department or overdue' },
  vettingReport: { service: 'vetting', roles: EVERYONE, region: 'subtree', note: '联审统计 — review figures of a region within scope' },
  pledgeCoverage: { service: 'vetting', roles: EVERYONE, region: 'subtree', note: '承诺书覆盖率 — pledge coverage of a region within scope' },
  departureAudit: { service: 'vetting', roles: EVERYONE, region: 'subtree', note: '离任审计 — one departure audit by id' },
  departureAudits: { service: 'vetting', roles: EVERYONE, region: 'subtree', note: '离任审计列表 — departure audits in scope' },
  vettingAuditLog: { service: 'vetting', roles: ['AUDITOR'], region: 'subtree', note: '审计日志 — vetting\'s audit records of a region within scope' },
  openReview: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '人工启动联审 — open a candidate\'s review by hand' },
  recordOpinion: {
    service: 'vetting',
    roles: ['REVIEWER', 'TOWN_OFFICER'],
    region: 'subtree',
    note: '出具意见 — a department\'s opinion: a REVIEWER for its own department, a TOWN_OFFICER for the township; only a department the current level requires',
  },
  advanceReviewLevel: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '提交上级 — move a review to its next level once every department answered' },
  concludeReview: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '作出结论 — conclude a review CLEARED or DISQUALIFIED' },
  reopenReview: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '重新审查 — reopen a concluded review, with a reason' },
  recordDemocraticEvaluation: { service: 'vetting', roles: RECORDERS, region: 'subtree', note: '录入民主评议 — a democratic evaluation of a person' },
  recordAdmonitionTalk: { service: 'vetting', roles: ['ORG_ADMIN', 'DISCIPLINE', 'TOWN_OFFICER'], region: 'subtree', note: '录入诫勉谈话 — an admonition talk held with a person' },
  recordSanction: { service: 'vetting', roles: ['DISCIPLINE'], region: 'subtree', note: '录入处分 — a disciplinary sanction (纪委监委 only)' },
  declareCloseRelative: { service: 'vetting', roles: RECORDERS, region: 'subtree', note: '申报近亲属 — a declared close relation between two people' },
  recordPledge: { service: 'vetting', roles: RECORDERS, region: 'subtree', note: '录入承诺书 — a signed 换届 discipline pledge' },
  registerElectionWorker: { service: 'vetting', roles: RECORDERS, region: 'subtree', note: '登记换届工作人员 — an election worker of a cycle (must sign the 保证书)' },
  openDepartureAudit: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '启动离任审计 — a departure audit by hand; also a REVIEWER of the AUDIT department (审计)' },
  addAuditFinding: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '录入审计发现 — a finding of an open audit; also a REVIEWER of the AUDIT department' },
  resolveAuditFinding: {
    service: 'vetting',
    roles: ['ORG_ADMIN'],
    region: 'subtree',
    note: '办结审计发现 — RECTIFIED (also a REVIEWER of the AUDIT department) or WAIVED (ORG_ADMIN only)',
  },
  closeDepartureAudit: { service: 'vetting', roles: ['ORG_ADMIN'], region: 'subtree', note: '结束离任审计 — close an audit with its conclusion; also a REVIEWER of the AUDIT department' },
};
