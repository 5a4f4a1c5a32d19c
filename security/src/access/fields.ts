import type { Role } from '@huanjie/platform';
import type { FieldAccess } from './types';

const CASE_READERS: readonly Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'AUDITOR'];

/**
 * Fields whose readers are fewer than those of the records that carry them. The complaints matrix
 * probes try every role on the complaints fields through every path that reaches them; the vetting
 * fields are held by vetting's own tests.
 */
export const FIELD_ACCESS: Record<string, FieldAccess> = {
  'Complaint.complainant': { service: 'complaints', roles: ['DISCIPLINE'], otherwise: 'FORBIDDEN', note: '举报人身份 — the complainant\'s identity, by whatever path the case is reached' },
  'Complaint.possibleDuplicates': { service: 'complaints', roles: CASE_READERS, otherwise: 'FORBIDDEN', note: '疑似重复件 — other cases (also when a TOWN_OFFICER files one)' },
  'Complaint.mergedCases': { service: 'complaints', roles: CASE_READERS, otherwise: 'FORBIDDEN', note: '并入本件的重复件 — other cases' },
  'Complaint.mergedInto': { service: 'complaints', roles: CASE_READERS, otherwise: 'FORBIDDEN', note: '并入 — another case' },
  'Person.complaintsAbout': { service: 'complaints', roles: ['DISCIPLINE'], otherwise: 'FORBIDDEN', note: '被举报情况 — the cases naming a person' },
  'Election.complaints': { service: 'complaints', roles: CASE_READERS, otherwise: 'FORBIDDEN', note: '选举相关信访 — the cases about an election' },
  'OrgUnit.riskItems': { service: 'complaints', roles: ['ORG_ADMIN', 'DISCIPLINE', 'TOWN_OFFICER', 'AUDITOR'], otherwise: 'FORBIDDEN', note: '风险台账 — the risk items of a unit (its `riskLevel` is shown to every role)' },
  'Person.sanctions': { service: 'vetting', roles: ['DISCIPLINE', 'ORG_ADMIN'], otherwise: 'FORBIDDEN', note: '处分 — a person\'s Party and government sanctions' },
  'DepartmentOpinion.note': { service: 'vetting', roles: ['ORG_ADMIN', 'DISCIPLINE', 'REVIEWER', 'AUDITOR'], otherwise: 'null', note: '意见说明 — a department\'s reasons behind its opinion' },
};
