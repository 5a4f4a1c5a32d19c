import type { RowIssue } from './import.columns';
import type { Dependency, ImportGroup, RowOutcome } from './import.rules';

/**
 * The order in which groups may commit, and what a failure takes with it. A group is ready when
 * every new unit it depends on (its parent, a reserve pool) has committed; when a group fails,
 * every row of it fails — its own issues as they are, the rest as "not imported with its unit" —
 * and so does every group waiting on it, naming the unit it waited for.
 */
export class ImportSchedule {
  private readonly pending = new Set<ImportGroup>();
  private readonly committedCodes = new Set<string>();
  private readonly failedUnits = new Map<string, number>(); // code → line of the unit's row

  constructor(groups: readonly ImportGroup[]) {
    // Shallow units first, then file order: parents come before children however the file is sorted.
    for (const group of [...groups].sort((a, b) => a.depth - b.depth || a.firstLine - b.firstLine)) this.pending.add(group);
  }

  get remaining(): number {
    return this.pending.size;
  }

  /** Fails every group that already has an issue, and what waits on it. Call once, before writing. */
  start(): RowOutcome[] {
    const out: RowOutcome[] = [];
    for (const group of [...this.pending]) {
      if (this.pending.has(group) && group.rows.some((r) => r.issue)) out.push(...this.fail(group));
    }
    return out.sort((a, b) => a.line - b.line);
  }

  /** Groups whose dependencies have all committed, in schedule order. */
  ready(): ImportGroup[] {
    return [...this.pending].filter((g) => g.dependsOn.every((d) => this.committedCodes.has(d.code)));
  }

  /** The group is in the register now; its rows' outcomes are the caller's to report (it knows which people really went in). */
  committed(group: ImportGroup): void {
    this.pending.delete(group);
    this.committedCodes.add(group.code);
  }

  /**
   * The group cannot commit. `issue` (when given) is what the database refused, e.g. a unit code
   * taken meanwhile: it applies to the unit's row, or to every row of a group of people only, since
   * which person it concerns is not known. Returns the outcomes of its rows and of the groups that
   * waited on it.
   */
  fail(group: ImportGroup, issue?: RowIssue): RowOutcome[] {
    if (!this.pending.delete(group)) return [];
    const unitRow = group.rows.find((r) => r.type === 'ORG_UNIT');
    if (issue) for (const row of unitRow ? [unitRow] : group.rows) row.issue ??= issue;
    if (unitRow) this.failedUnits.set(group.code, unitRow.line);
    const first = Math.min(...group.rows.filter((r) => r.issue).map((r) => r.line));
    const out: RowOutcome[] = group.rows.map((row) => ({
      line: row.line,
      type: row.type,
      status: 'failed',
      issue: row.issue ?? {
        code: 'BAD_USER_INPUT',
        rule: 'IMPORT.UNIT_INCOMPLETE',
        message: `not imported: line ${first} of the same org unit ${group.code} failed, and a unit's rows are imported together or not at all`,
      },
    }));
    for (const waiting of [...this.pending]) {
      const dependency = waiting.dependsOn.find((d) => d.code === group.code);
      if (!dependency) continue;
      const row = waiting.rows.find((r) => r.line === dependency.line);
      if (row) row.issue ??= this.waitedFor(dependency);
      out.push(...this.fail(waiting));
    }
    return out;
  }

  /** Groups still pending when none is ready wait on each other (a reserve pool in a circle): they fail. */
  stuck(): RowOutcome[] {
    const out: RowOutcome[] = [];
    for (const group of [...this.pending]) {
      if (!this.pending.has(group)) continue; // failed meanwhile, with a group it waited on
      const dependency = group.dependsOn.find((d) => !this.committedCodes.has(d.code))!;
      const row = group.rows.find((r) => r.line === dependency.line);
      if (row)
        row.issue ??= {
          code: 'BAD_USER_INPUT',
          rule: 'IMPORT.DEPENDENCY_CYCLE',
          message: `org unit ${dependency.code} is imported by this file only after this row's unit: import one of them first`,
        };
      out.push(...this.fail(group));
    }
    return out;
  }

  private waitedFor(dependency: Dependency): RowIssue {
    const line = this.failedUnits.get(dependency.code);
    const where = line === undefined ? '' : ` (line ${line})`;
    return dependency.what === 'parent'
      ? { code: 'BAD_USER_INPUT', rule: 'ORG_UNIT.PARENT_EXISTS', message: `the parent unit ${dependency.code}${where} was not imported` }
      : { code: 'NOT_FOUND', rule: 'PERSON.RESERVE_ORG_UNIT_EXISTS', message: `the reserve pool unit ${dependency.code}${where} was not imported` };
  }
}
