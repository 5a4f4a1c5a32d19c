import { badInput, conflict, isWithin, shanghaiDate } from '@huanjie/platform';
import { HANDLING_STATUSES, type ComplaintStatus } from './workflow.rules';

/**
 * 办理时限: the deadlines of a case, as data per region, without I/O.
 *
 * - First response (首次答复: accept, reject or merge). During an election period (换届期间 — a flag
 *   on the case, by default set when the complaint names an election) within 24 hours of receipt:
 *   "日结、日清、不过夜" (domain source 000, 新都区). Otherwise by the region's policy, by default 15
 *   days (信访工作条例: 15 days to tell whether a matter is accepted), counted in Asia/Shanghai
 *   calendar days, due at the end of the last day.
 * - Handling (办结: a finding, 查实 or 查否), counted from acceptance: 60 days by default
 *   (信访工作条例: 60 days), extendable once by at most 30 days with a reason.
 *
 * A region's policy is the one whose region path is the longest prefix of the case's; the
 * national one applies where no region has its own.
 */
export interface DeadlinePolicy {
  id: string;
  /** '' for nationwide. */
  regionPath: string;
  source: string;
  ordinary: { firstResponseDays: number; handleDays: number };
  electionPeriod: { firstResponseHours: number; handleDays: number };
  extension: { times: number; maxDays: number };
}

export const DEADLINE_POLICIES: readonly DeadlinePolicy[] = [
  {
    id: 'NATIONAL',
    regionPath: '',
    source: '信访工作条例 (15 日内告知是否受理; 60 日内办结, 可延长一次不超过 30 日); 换届期间 "日结、日清、不过夜" (domain source 000)',
    ordinary: { firstResponseDays: 15, handleDays: 60 },
    electionPeriod: { firstResponseHours: 24, handleDays: 60 },
    extension: { times: 1, maxDays: 30 },
  },
];

export function policyFor(regionPath: string, policies: readonly DeadlinePolicy[] = DEADLINE_POLICIES): DeadlinePolicy {
  const matching = policies.filter((p) => isWithin(regionPath, p.regionPath));
  if (matching.length === 0) throw new Error(`no deadline policy covers ${regionPath}`);
  return matching.reduce((best, p) => (p.regionPath.length > best.regionPath.length ? p : best));
}

/** yyyy-mm-dd plus n days. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last instant of an Asia/Shanghai calendar day (the zone keeps no daylight saving). */
export function endOfShanghaiDay(isoDate: string): Date {
  return new Date(new Date(`${addDays(isoDate, 1)}T00:00:00+08:00`).getTime() - 1);
}

export function firstResponseDue(receivedAt: Date, electionPeriod: boolean, policy: DeadlinePolicy): Date {
  if (electionPeriod) return new Date(receivedAt.getTime() + policy.electionPeriod.firstResponseHours * 3_600_000);
  return endOfShanghaiDay(addDays(shanghaiDate(receivedAt), policy.ordinary.firstResponseDays));
}

export function handleDue(acceptedAt: Date, electionPeriod: boolean, policy: DeadlinePolicy): Date {
  const days = electionPeriod ? policy.electionPeriod.handleDays : policy.ordinary.handleDays;
  return endOfShanghaiDay(addDays(shanghaiDate(acceptedAt), days));
}

/**
 * 延期: moves the handling deadline once (by policy), by 1–maxDays days, while the case is being
 * handled and accepted (it has a handling deadline). CONFLICT COMPLAINT.EXTENSION_USED when the
 * extensions are used up.
 */
export function extendDeadline(
  c: { status: ComplaintStatus; handleDue: Date | null; extensions: number },
  days: number,
  reason: string,
  policy: DeadlinePolicy,
): Date {
  if (!HANDLING_STATUSES.includes(c.status) || c.handleDue === null) {
    throw conflict('COMPLAINT.NOT_EXTENDABLE', `COMPLAINT.NOT_EXTENDABLE: only an accepted case still being handled has a handling deadline to extend (this one is ${c.status})`);
  }
  if (c.extensions >= policy.extension.times) {
    throw conflict('COMPLAINT.EXTENSION_USED', `COMPLAINT.EXTENSION_USED: the handling deadline may be extended ${policy.extension.times} time(s) under policy ${policy.id}; it has been`);
  }
  if (!Number.isInteger(days) || days < 1 || days > policy.extension.maxDays) {
    throw badInput('COMPLAINT.EXTENSION_DAYS', `COMPLAINT.EXTENSION_DAYS: an extension is 1–${policy.extension.maxDays} days under policy ${policy.id}`);
  }
  if (Array.from(reason.trim()).length < 2) throw badInput('COMPLAINT.REASON_REQUIRED', 'COMPLAINT.REASON_REQUIRED: an extension records why (理由)');
  return endOfShanghaiDay(addDays(shanghaiDate(c.handleDue), days));
}

export type DeadlineKind = 'FIRST_RESPONSE' | 'HANDLING';

export interface DeadlineFacts {
  status: ComplaintStatus;
  firstResponseDue: Date;
  handleDue: Date | null;
}

/** The deadline a case has missed and is still missing at `now`, or null. */
export function overdueDeadline(c: DeadlineFacts, now: Date): DeadlineKind | null {
  if (c.status === 'RECEIVED' && now.getTime() > c.firstResponseDue.getTime()) return 'FIRST_RESPONSE';
  if (HANDLING_STATUSES.includes(c.status) && c.status !== 'RECEIVED' && c.handleDue !== null && now.getTime() > c.handleDue.getTime()) return 'HANDLING';
  return null;
}

/** 督办层级: who supervises a case; an overdue case goes one level up. */
export const LEVELS = ['TOWN', 'DISTRICT', 'CITY'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * 逐级督办: the level a case goes to when it misses `deadline`; null at the top. Each missed
 * deadline escalates once (the store keeps one escalation per case and deadline), so running the
 * job again changes nothing: a first response missed takes a town case to the district, a handling
 * deadline missed takes it one more level.
 */
export function escalate(level: Level): Level | null {
  return LEVELS[LEVELS.indexOf(level) + 1] ?? null;
}

/** The region path of the supervising body at `level` for a unit at `regionPath` (province.city.district.town.village). */
export function supervisingRegion(regionPath: string, level: Level): string {
  const keep = { TOWN: 4, DISTRICT: 3, CITY: 2 }[level];
  return regionPath.split('.').slice(0, keep).join('.');
}
