import type { Role } from '@huanjie/platform';
import type { AccessTable } from './types';

const EVERYONE: readonly Role[] = ['ORG_ADMIN', 'DISCIPLINE', 'CIVIL_AFFAIRS', 'REVIEWER', 'TOWN_OFFICER', 'TRAINER', 'AUDITOR'];
const WRITERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];
const tree = (note: string) => ({ service: 'personnel' as const, roles: EVERYONE, region: 'subtree' as const, note });

/** personnel: who may call each of its queries and mutations. */
export const personnelAccess: AccessTable = {
  orgUnit: tree('组织单元 — one org unit by id'),
  orgUnitByCode: tree('按区划代码查组织单元 — one org unit by its 行政区划代码'),
  rootOrgUnits: tree('顶层组织 — the top of the caller\'s scope'),
  person: tree('人员 — one person; ID number and phone masked'),
  searchOrgUnits: tree('按名称查找组织单元 — org units by name'),
  personIdentity: { service: 'personnel', roles: ['ORG_ADMIN'], region: 'subtree', note: '身份信息 — full ID number and phone; every read recorded in the audit log' },
  ethnicities: { service: 'personnel', roles: EVERYONE, region: 'open', note: '民族 — the GB/T 3304 names' },
  committee: tree('委员会 — one committee'),
  term: tree('届 — one term'),
  oneShoulderRate: tree('一肩挑比例 — the rate in a region'),
  structureReport: { service: 'personnel', roles: ['ORG_ADMIN', 'CIVIL_AFFAIRS', 'DISCIPLINE', 'TOWN_OFFICER', 'AUDITOR'], region: 'subtree', note: '班子结构分析 — "两升一降" and the structure targets' },
  personnelAuditLog: { service: 'personnel', roles: ['AUDITOR'], region: 'subtree', note: '审计日志 — personnel\'s audit records' },
  createOrgUnit: { service: 'personnel', roles: ['ORG_ADMIN'], region: 'subtree', note: '新建组织 — an org unit, its code within the caller\'s region' },
  registerPerson: { service: 'personnel', roles: WRITERS, region: 'subtree', note: '登记人员 — a person in an org unit' },
  updatePerson: { service: 'personnel', roles: WRITERS, region: 'subtree', note: '修改人员信息 — education, Party status, reserve, phone…' },
  startTerm: { service: 'personnel', roles: WRITERS, region: 'subtree', note: '开始新一届 — a term with its seats (elected terms start from certified results)' },
  assignPosition: { service: 'personnel', roles: WRITERS, region: 'subtree', note: '任职 — a person takes a seat in a term' },
  endPosition: { service: 'personnel', roles: WRITERS, region: 'subtree', note: '免职/离任 — a seat ends, with the reason' },
};
