import { badInput, forbidden, isUuid, isWithin, regionDepth, regionPathFromCode } from '@huanjie/platform';
import { templateForKind, type CommitteeKind } from './workflow-templates.data';

/**
 * Opening the 换届 of many units at once (a cycle's work plan: every village and community of a
 * city, each with its Party committee and its villagers' or residents' committee), blocking a
 * unit, and the shape of the progress report. Plain rules; the data layer does the I/O.
 */

export const COMMITTEE_KINDS: readonly CommitteeKind[] = ['PARTY', 'VILLAGERS', 'RESIDENTS'];

/** Chengdu opens 3,039 units × 2 committees = 6,078 transitions; one call may carry a province's city. */
export const OPEN_TRANSITIONS_MAX = 20_000;
export const BLOCKED_REASON_MAX = 200;
/** A completion may be dated at most this far ahead of the server's clock (clock skew of a phone). */
export const COMPLETED_AT_SKEW_MS = 5 * 60_000;

/** 行政区划代码 digits of each level: province 2, prefecture 4, county 6, township 9, village/community 12. */
const LEVEL_LENGTHS = [2, 4, 6, 9, 12] as const;
/** The level of a village or community: the units that hold a 两委 换届. */
const UNIT_DEPTH = 5;

export interface OpenTransitionUnitInput {
  orgUnitId: string;
  orgUnitCode: string;
  committeeKind: CommitteeKind;
}

export interface PlannedTransition {
  orgUnitId: string;
  orgUnitCode: string;
  /** Derived from the code, never taken from the client. */
  regionPath: string;
  committeeKind: CommitteeKind;
  templateCode: string;
}

/**
 * Checks the units to open within a cycle's region and the caller's scope, and derives each one's
 * region path and template. The whole list is refused for one bad unit (nothing is opened), with
 * the unit's position in the message. The same unit and committee twice in one list is an error;
 * one opened before is not (the store skips it and says so), so a work plan can be sent again.
 */
export function planOpenTransitions(
  units: readonly OpenTransitionUnitInput[],
  cycle: { regionPath: string; regionCode: string },
  scope: { regionPath: string; regionCode: string },
): PlannedTransition[] {
  if (units.length < 1 || units.length > OPEN_TRANSITIONS_MAX) {
    throw badInput('TRANSITION.BATCH_SIZE', `TRANSITION.BATCH_SIZE: openTransitions takes 1–${OPEN_TRANSITIONS_MAX} units per call, got ${units.length}`);
  }
  const seen = new Set<string>();
  return units.map((unit, i) => {
    const at = `units[${i}]`;
    if (!isUuid(unit.orgUnitId)) {
      throw badInput('TRANSITION.ORG_UNIT_ID', `TRANSITION.ORG_UNIT_ID: ${at}.orgUnitId must be the org unit's id (a UUID), got ${JSON.stringify(unit.orgUnitId)}`);
    }
    if (!/^\d{12}$/.test(unit.orgUnitCode) || regionDepth(unit.orgUnitCode) !== UNIT_DEPTH) {
      throw badInput(
        'TRANSITION.UNIT_LEVEL',
        `TRANSITION.UNIT_LEVEL: ${at}.orgUnitCode must be the 12-digit 行政区划代码 of a village or community (all five levels), got ${JSON.stringify(unit.orgUnitCode)}`,
      );
    }
    if (!COMMITTEE_KINDS.includes(unit.committeeKind)) {
      throw badInput('TRANSITION.COMMITTEE_KIND', `TRANSITION.COMMITTEE_KIND: ${at}.committeeKind must be one of ${COMMITTEE_KINDS.join(', ')}`);
    }
    const regionPath = regionPathFromCode(unit.orgUnitCode);
    if (!isWithin(regionPath, cycle.regionPath)) {
      throw badInput(
        'TRANSITION.OUTSIDE_CYCLE',
        `TRANSITION.OUTSIDE_CYCLE: ${at} (${unit.orgUnitCode}) lies outside the cycle's region ${cycle.regionCode}; a cycle covers only the units below its region`,
      );
    }
    if (!isWithin(regionPath, scope.regionPath)) {
      // Same code and rule as requireInScope: the caller may not act outside their region scope.
      throw forbidden('AUTH.REGION_SCOPE', `${at} (${unit.orgUnitCode}) lies outside your region scope (${scope.regionCode})`);
    }
    const key = `${unit.orgUnitId}|${unit.committeeKind}`;
    if (seen.has(key)) {
      throw badInput(
        'TRANSITION.DUPLICATE_IN_REQUEST',
        `TRANSITION.DUPLICATE_IN_REQUEST: ${at} repeats org unit ${unit.orgUnitId} with committee ${unit.committeeKind}; each unit's committee is opened once`,
      );
    }
    seen.add(key);
    return {
      orgUnitId: unit.orgUnitId.toLowerCase(),
      orgUnitCode: unit.orgUnitCode,
      regionPath,
      committeeKind: unit.committeeKind,
      templateCode: templateForKind(unit.committeeKind).code,
    };
  });
}

/**
 * The reason a unit is held (先整顿、再换届: a weak organisation under rectification; a complaint
 * under investigation): 1–200 characters once trimmed; null (or blank) lifts the hold.
 */
export function checkBlockedReason(reason: string | null | undefined): string | null {
  const trimmed = reason?.trim() ?? '';
  if (trimmed === '') return null;
  const length = Array.from(trimmed).length;
  if (length > BLOCKED_REASON_MAX) {
    throw badInput('TRANSITION.BLOCKED_REASON', `TRANSITION.BLOCKED_REASON: the reason must be at most ${BLOCKED_REASON_MAX} characters, got ${length}`);
  }
  return trimmed;
}

/** Refuses a completion dated in the future (beyond a few minutes of clock skew). */
export function checkNotInFuture(completedAt: string, now: Date): void {
  if (Date.parse(completedAt) > now.getTime() + COMPLETED_AT_SKEW_MS) {
    throw badInput(
      'WORKFLOW.COMPLETED_AT_FUTURE',
      `WORKFLOW.COMPLETED_AT_FUTURE: completedAt ${completedAt} lies in the future; a step is recorded once it is done`,
    );
  }
}

export interface ProgressReportShape {
  regionCode: string;
  regionPath: string;
  /**
   * Digits of the 行政区划代码 that name a child region (city → districts: 6; district → towns:
   * 9; town → its units: 12); null for a village or community, which has no child regions.
   */
  childCodeLength: number | null;
}

/** Where the report is asked for and how its rows are grouped: one level below the region. */
export function progressReportShape(regionCode: string): ProgressReportShape {
  if (!/^\d{12}$/.test(regionCode)) {
    throw badInput('REPORT.REGION_CODE', `REPORT.REGION_CODE: regionCode must be a 12-digit 行政区划代码, got ${JSON.stringify(regionCode)}`);
  }
  const regionPath = regionPathFromCode(regionCode);
  const depth = regionPath === '' ? 0 : regionPath.split('.').length;
  return { regionCode, regionPath, childCodeLength: LEVEL_LENGTHS[depth] ?? null };
}

/** The child region's 12-digit code: the first `length` digits of a unit's code, zero-padded. */
export function childRegionCode(unitCode: string, length: number): string {
  return unitCode.slice(0, length).padEnd(12, '0');
}

/**
 * Completion in basis points (1/100 of a percent), rounded down so 10,000 means every step done.
 * The report ranks on it, so regions that show the same figure share a rank.
 */
export function basisPoints(done: number, total: number): number {
  return total > 0 ? Math.floor((done * 10_000) / total) : 0;
}
