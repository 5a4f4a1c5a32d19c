import { badInput, isIsoDate } from '@huanjie/platform';

/**
 * The training coverage report (培训覆盖): shares against a target of 100% (source 001, Helingeer:
 * 实现党组织书记、村级后备干部轮训全覆盖), counted in a cycle window that starts on `since`.
 */
export const TARGET_PERCENT = 100;
/** A term is five years (GLOSSARY: 任期); "this cycle" by default is the five years up to today. */
export const CYCLE_YEARS = 5;

/** The first day of the default window: the same calendar day five years ago, plus one. */
export function defaultSince(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - CYCLE_YEARS);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function checkSince(since: string, today: string): void {
  if (!isIsoDate(since)) throw badInput('COVERAGE.SINCE', `COVERAGE.SINCE: since must be yyyy-mm-dd, got ${JSON.stringify(since)}`);
  if (since > today) throw badInput('COVERAGE.SINCE', `COVERAGE.SINCE: since ${since} is in the future`);
}

/** done / total in percent with one decimal; null when there is nothing to count. */
export function percent(done: number, total: number): number | null {
  return total === 0 ? null : Math.round((done * 1000) / total) / 10;
}

export interface UnitFigures {
  secretaries: number;
  secretariesTrained: number;
  reserves: number;
  reservesTrained: number;
  newMembers: number;
  newMembersOnboarded: number;
  checklists: number;
  checklistsCompleted: number;
}

/** What a unit still owes: people or committees not yet trained, onboarded or done. */
export function gapOf(u: UnitFigures): number {
  return u.secretaries - u.secretariesTrained + (u.reserves - u.reservesTrained) + (u.newMembers - u.newMembersOnboarded) + (u.checklists - u.checklistsCompleted);
}

/** A unit is behind when anything it owes is missing. */
export const isBehind = (u: UnitFigures) => gapOf(u) > 0;

/** The units behind, most owed first, then by region path (stable for a page). */
export function unitsBehind<T extends UnitFigures & { regionPath: string }>(units: readonly T[]): T[] {
  return units.filter(isBehind).sort((a, b) => gapOf(b) - gapOf(a) || a.regionPath.localeCompare(b.regionPath));
}

export function sumFigures(units: readonly UnitFigures[]): UnitFigures {
  const total: UnitFigures = { secretaries: 0, secretariesTrained: 0, reserves: 0, reservesTrained: 0, newMembers: 0, newMembersOnboarded: 0, checklists: 0, checklistsCompleted: 0 };
  for (const u of units) for (const k of Object.keys(total) as (keyof UnitFigures)[]) total[k] += u[k];
  return total;
}
