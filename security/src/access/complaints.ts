import type { Role } from '@huanjie/platform';
import type { AccessTable } from './types';

// As services/complaints enforces it (COMPLAINTS.md "Who sees what"). Nested fields, checked by the
// matrix's probes beyond these rows: Complaint.complainant for DISCIPLINE alone; Person.complaintsAbout
// DISCIPLINE alone; Election.complaints, Complaint.possibleDuplicates / mergedCases / mergedInto the
// case readers; OrgUnit.riskItems the risk readers; OrgUnit.openComplaintCount and riskLevel everyone
// — each within the caller's region.
const EVERY_ROLE: Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'CIVIL_AFFAIRS', 'REVIEWER', 'TOWN_OFFICER', 'TRAINER', 'AUDITOR'];
/** Who reads a case: the discipline commission, the organisation department, auditors. */
const READERS: Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'AUDITOR'];
/** Who triages (accepts, rejects, merges, assigns, closes, extends). */
const TRIAGE: Role[] = ['ORG_ADMIN', 'DISCIPLINE'];
/** Who investigates and finds: 纪委监委 alone. */
const INVESTIGATORS: Role[] = ['DISCIPLINE'];
const RISK_KEEPERS: Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'TOWN_OFFICER'];
const REQUEST_KEEPERS: Role[] = ['ORG_ADMIN', 'CIVIL_AFFAIRS', 'TOWN_OFFICER'];

/** complaints: who may call each of its queries and mutations. */
export const complaintsAccess: AccessTable = {
  complaint: { service: 'complaints', roles: READERS, region: 'subtree', note: '信访举报 — one case by id; who complained (complainant) only for DISCIPLINE' },
  complaintStatus: { service: 'complaints', roles: EVERY_ROLE, region: 'open', note: '查询办理进度 — state and dates by receipt code, any region; failed look-ups limited per caller' },
  overdueComplaints: { service: 'complaints', roles: READERS, region: 'subtree', note: '超期件 — a region\'s cases past a deadline' },
  overdueComplaintCounts: { service: 'complaints', roles: READERS, region: 'subtree', note: '超期统计 — overdue cases per investigator and level' },
  residentRequestSummary: { service: 'complaints', roles: ['ORG_ADMIN', 'DISCIPLINE', 'CIVIL_AFFAIRS', 'TOWN_OFFICER', 'AUDITOR'], region: 'subtree', note: '诉求办理统计 — residents\' requests counted for a region' },
  riskOverview: { service: 'complaints', roles: [...RISK_KEEPERS, 'AUDITOR'], region: 'subtree', note: '风险研判 — a region\'s units by highest open risk' },
  complaintsAuditLog: { service: 'complaints', roles: ['AUDITOR'], region: 'subtree', note: '审计日志 — complaints\' audit records (state only, no complainant or text)' },
  receiveComplaint: { service: 'complaints', roles: ['ORG_ADMIN', 'DISCIPLINE', 'TOWN_OFFICER'], region: 'subtree', note: '受理登记 — register a complaint; a TOWN_OFFICER sees only the case it registered' },
  acceptComplaint: { service: 'complaints', roles: TRIAGE, region: 'subtree', note: '受理 — accept a RECEIVED case' },
  rejectComplaint: { service: 'complaints', roles: TRIAGE, region: 'subtree', note: '不予受理 — reject a RECEIVED case, with a reason' },
  mergeComplaint: { service: 'complaints', roles: TRIAGE, region: 'subtree', note: '合并重复件 — merge into another case in scope still being handled' },
  assignComplaint: { service: 'complaints', roles: TRIAGE, region: 'subtree', note: '交办 — assign to a handling unit and an investigator' },
  startInvestigation: { service: 'complaints', roles: INVESTIGATORS, region: 'subtree', note: '开始调查 — start investigating an ASSIGNED case' },
  substantiateComplaint: { service: 'complaints', roles: INVESTIGATORS, region: 'subtree', note: '查实 — substantiate, with why (三个一律 follows)' },
  unsubstantiateComplaint: { service: 'complaints', roles: INVESTIGATORS, region: 'subtree', note: '查否 — find unsubstantiated, with why' },
  closeComplaint: { service: 'complaints', roles: TRIAGE, region: 'subtree', note: '办结 — close after the finding, with the resolution' },
  extendComplaintDeadline: { service: 'complaints', roles: TRIAGE, region: 'subtree', note: '延期 — extend the handling deadline once' },
  runComplaintEscalation: { service: 'complaints', roles: INVESTIGATORS, region: 'open', note: '逐级督办 — run the escalation job now; moves and names only cases in the caller\'s region' },
  raiseResidentRequest: { service: 'complaints', roles: REQUEST_KEEPERS, region: 'subtree', note: '群众诉求登记 — record a resident\'s request (我为群众办实事)' },
  resolveResidentRequest: { service: 'complaints', roles: REQUEST_KEEPERS, region: 'subtree', note: '诉求办结 — record where and when it was resolved' },
  recordRiskItem: { service: 'complaints', roles: RISK_KEEPERS, region: 'subtree', note: '登记风险点 — add to a unit\'s risk register (一村一策)' },
  updateRiskItem: { service: 'complaints', roles: RISK_KEEPERS, region: 'subtree', note: '更新风险点 — change level, plan, owner, review date or status' },
};
