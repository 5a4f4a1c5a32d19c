import { DomainError, notFound, requireInScope, type AuthContext } from '@huanjie/platform';
import {
  backgroundsCell,
  educationCell,
  genderCell,
  kindCell,
  optional,
  politicalStatusCell,
  reserveCell,
  sourceTagsCell,
  type ImportRow,
  type RowIssue,
  type RowType,
} from './import.columns';
import { planOrgUnit, type NewOrgUnitPlan, type OrgUnitKind } from './org-unit.rules';
import { planRegistration, type RegistrationInput } from './person.rules';

/**
 * Bulk import, planned without I/O: every row is checked by the same functions as the mutations
 * (planOrgUnit, planRegistration, requireInScope), and rows are gathered into groups, one per org
 * unit — the unit's own row and the rows of its people. A group is what commits together or not
 * at all (IMPORT.md, "No partial unit").
 */

/** A unit already in the register. */
export interface RegisteredUnit {
  id: string;
  code: string;
  kind: OrgUnitKind;
  region_path: string;
}

export interface ImportContext {
  auth: AuthContext;
  /** Today in Asia/Shanghai, yyyy-mm-dd. */
  today: string;
  /** Registered units with the codes the file names, whatever the scope: for placing new units and refusing taken codes. */
  registered: ReadonlyMap<string, RegisteredUnit>;
  /** The same within the caller's scope: the units people may be registered in. */
  visible: ReadonlyMap<string, RegisteredUnit>;
  newId: () => string;
  blindIndex: (idNumber: string) => string;
}

export interface PlannedUnit extends NewOrgUnitPlan {
  id: string;
  parentId: string | null;
}

export interface PlannedPerson {
  plan: ReturnType<typeof planRegistration>;
  index: string;
}

/** A row of a group: its plan, or the issue that stops it (and with it the group). */
export interface GroupRow {
  line: number;
  type: RowType;
  unit?: PlannedUnit;
  person?: PlannedPerson;
  issue?: RowIssue;
}

/** A unit that must be committed before a group can be: a new parent, or a new reserve pool. */
export interface Dependency {
  code: string;
  line: number;
  what: 'parent' | 'pool';
}

export interface ImportGroup {
  /** 行政区划代码 of the unit (as written, when it is not a valid code). */
  code: string;
  firstLine: number;
  /** Depth of the unit's code (1 = province … 5 = village/community); 9 when unknown, so such groups come last. */
  depth: number;
  /** The unit's region path, and the id its people are registered under; null when neither a new nor a visible unit. */
  regionPath: string | null;
  unitId: string | null;
  rows: GroupRow[];
  dependsOn: Dependency[];
}

export interface RowOutcome {
  line: number;
  type: RowType | null;
  status: 'imported' | 'skipped' | 'failed';
  /** Why a row failed or was skipped. */
  issue?: RowIssue;
}

export interface ImportPlan {
  groups: ImportGroup[];
  /** Outcomes known before anything is written: duplicates of registered records, rows that belong to no unit. */
  settled: RowOutcome[];
}

export function issueOf(error: DomainError): RowIssue {
  const code = error.code === 'UNAUTHENTICATED' ? 'FORBIDDEN' : error.code;
  return { code, rule: error.rule, message: error.message };
}

/** Runs a row's checks; a DomainError becomes the row's issue, anything else is a bug and propagates. */
function attempt<T>(check: () => T): T | RowIssue {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError) return issueOf(error);
    throw error;
  }
}
const isIssue = (value: unknown): value is RowIssue => typeof value === 'object' && value !== null && 'rule' in value && 'message' in value;

/** The 12-digit code of a region path: '51.5101.510107' → '510107000000'. */
export const codeOfPath = (path: string) => path.slice(path.lastIndexOf('.') + 1).padEnd(12, '0');

/** Every 行政区划代码 the rows name (units, their parents, people's units and pools), to look up in one statement. */
export function codesNamed(rows: readonly ImportRow[]): string[] {
  const codes = new Set<string>();
  for (const { cells } of rows) {
    for (const code of [cells.code, cells.orgUnitCode, cells.reserveOrgUnitCode]) {
      if (code && /^\d{12}$/.test(code)) codes.add(code);
    }
    if (cells.code && /^\d{12}$/.test(cells.code)) {
      // Every level above too: a parent is either registered or in the file.
      const digits = [2, 4, 6, 9];
      for (const n of digits) codes.add(cells.code.slice(0, n).padEnd(12, '0'));
    }
  }
  return [...codes];
}

/** registerPerson's input from a row's cells (the domain checks the values). */
function registrationInput(cells: ImportRow['cells']): RegistrationInput {
  return {
    name: cells.name ?? '',
    idNumber: cells.idNumber ?? '',
    gender: genderCell(cells.gender ?? ''),
    birthDate: optional(cells.birthDate),
    ethnicity: cells.ethnicity ?? '',
    education: educationCell(cells.education ?? ''),
    politicalStatus: politicalStatusCell(cells.politicalStatus ?? ''),
    partyJoinedOn: optional(cells.partyJoinedOn),
    professionalBackgrounds: backgroundsCell(cells.professionalBackgrounds ?? ''),
    sourceTags: sourceTagsCell(cells.sourceTags ?? ''),
    reserve: reserveCell(cells.reserve ?? ''),
    reserveSince: optional(cells.reserveSince),
    phone: optional(cells.phone),
  };
}

const required = (column: string) => ({ code: 'BAD_USER_INPUT', rule: 'IMPORT.REQUIRED', message: `${column} is empty` }) as const;

/** Groups the rows by unit and plans each one; see ImportPlan. */
export function planImport(rows: readonly ImportRow[], ctx: ImportContext): ImportPlan {
  const groups = new Map<string, ImportGroup>();
  const settled: RowOutcome[] = [];
  const groupOf = (code: string, line: number): ImportGroup => {
    let group = groups.get(code);
    if (!group) {
      const visible = ctx.visible.get(code);
      group = {
        code,
        firstLine: line,
        depth: visible ? visible.region_path.split('.').length : 9,
        regionPath: visible?.region_path ?? null,
        unitId: visible?.id ?? null,
        rows: [],
        dependsOn: [],
      };
      groups.set(code, group);
    }
    return group;
  };

  // Units first, so that people and children can find a unit wherever its row is in the file.
  const fileUnits = new Map<string, { line: number; id: string; kind: OrgUnitKind | null }>();
  for (const row of rows) {
    if (row.type !== 'ORG_UNIT') continue;
    const code = row.cells.code ?? '';
    if (code === '') continue;
    const group = groupOf(code, row.line);
    if (row.issue) {
      // Unreadable, but it names its unit: the unit's people wait for the fix rather than find no unit.
      if (!fileUnits.has(code)) fileUnits.set(code, { line: row.line, id: ctx.newId(), kind: null });
      group.rows.push({ line: row.line, type: 'ORG_UNIT', issue: row.issue });
      continue;
    }
    const kind = attempt(() => kindCell(row.cells.kind ?? ''));
    const plan = attempt(() => {
      const p = planOrgUnit({ code, name: row.cells.name ?? '', kind: kindCell(row.cells.kind ?? '') });
      requireInScope(ctx.auth, p.regionPath, `org unit ${code}`);
      return p;
    });
    if (!isIssue(plan) && ctx.registered.has(code)) {
      settled.push({ line: row.line, type: 'ORG_UNIT', status: 'skipped', issue: duplicateUnit(code) });
      continue;
    }
    const earlier = fileUnits.get(code);
    if (earlier) {
      const issue = { code: 'BAD_USER_INPUT', rule: 'IMPORT.DUPLICATE_ROW', message: `org unit ${code} is also on line ${earlier.line}` } as const;
      group.rows.push({ line: row.line, type: 'ORG_UNIT', issue });
      continue;
    }
    const id = ctx.newId();
    fileUnits.set(code, { line: row.line, id, kind: isIssue(kind) ? null : kind });
    if (isIssue(plan)) {
      group.rows.push({ line: row.line, type: 'ORG_UNIT', issue: plan });
      continue;
    }
    group.depth = plan.depth;
    group.regionPath = plan.regionPath;
    group.unitId = id;
    group.rows.push({ line: row.line, type: 'ORG_UNIT', unit: { ...plan, id, parentId: null } });
  }

  for (const row of rows) {
    if (row.type === 'ORG_UNIT') {
      if (!row.cells.code) settled.push({ line: row.line, type: 'ORG_UNIT', status: 'failed', issue: row.issue ?? required('code') });
      continue;
    }
    if (row.issue) {
      // A person row that could not be read (or a row of unknown type) still names a unit: the unit waits for the fix.
      const code = row.cells.orgUnitCode || row.cells.code;
      if (code) groupOf(code, row.line).rows.push({ line: row.line, type: row.type ?? 'PERSON', issue: row.issue });
      else settled.push({ line: row.line, type: row.type, status: 'failed', issue: row.issue });
      continue;
    }
    const code = row.cells.orgUnitCode ?? '';
    if (code === '') {
      settled.push({ line: row.line, type: 'PERSON', status: 'failed', issue: required('orgUnitCode') });
      continue;
    }
    const group = groupOf(code, row.line);
    const planned = attempt(() => planPerson(row, group, fileUnits, ctx));
    if (isIssue(planned)) group.rows.push({ line: row.line, type: 'PERSON', issue: planned });
    else {
      group.rows.push({ line: row.line, type: 'PERSON', person: planned.person });
      if (planned.dependency) group.dependsOn.push(planned.dependency);
    }
  }

  // Parents: registered, or a new unit of the same file (which must then commit first).
  for (const group of groups.values()) {
    for (const row of group.rows) {
      const unit = row.unit;
      if (!unit || unit.parentPath === '') continue;
      const parentCode = codeOfPath(unit.parentPath);
      const registered = ctx.registered.get(parentCode);
      const inFile = fileUnits.get(parentCode);
      if (registered) unit.parentId = registered.id;
      else if (inFile) {
        unit.parentId = inFile.id;
        group.dependsOn.push({ code: parentCode, line: row.line, what: 'parent' });
      } else {
        row.issue = {
          code: 'BAD_USER_INPUT',
          rule: 'ORG_UNIT.PARENT_EXISTS',
          message: `the parent unit of ${unit.code} (${parentCode}) is neither registered nor a row of this file`,
        };
        delete row.unit;
      }
    }
  }
  return { groups: [...groups.values()].filter((g) => g.rows.length > 0), settled };
}

const duplicateUnit = (code: string): RowIssue => ({
  code: 'CONFLICT',
  rule: 'ORG_UNIT.CODE_UNIQUE',
  message: `an org unit with 行政区划代码 ${code} is already registered; row skipped`,
});

/** A person row against its unit and reserve pool, new or registered, through registerPerson's own rules. */
function planPerson(
  row: ImportRow,
  group: ImportGroup,
  fileUnits: ReadonlyMap<string, { line: number; id: string; kind: OrgUnitKind | null }>,
  ctx: ImportContext,
): { person: PlannedPerson; dependency: Dependency | null } {
  const input = registrationInput(row.cells);
  const unit = fileUnits.get(group.code) ?? ctx.visible.get(group.code);
  if (!unit) throw notFound('ORG_UNIT.EXISTS', `org unit ${group.code} is neither registered within your scope nor a row of this file`);
  // When the unit's own row failed before its kind was known, the person is checked as if in a
  // village, so their own mistakes are reported in the same pass; the group fails with the unit's row.
  const unitKind = unit.kind ?? 'VILLAGE';

  const poolCode = optional(row.cells.reserveOrgUnitCode);
  let pool: { id: string; kind: OrgUnitKind | null } | undefined;
  let dependency: Dependency | null = null;
  if (poolCode !== null) {
    const newPool = fileUnits.get(poolCode);
    pool = newPool ?? ctx.visible.get(poolCode);
    if (!pool) throw notFound('PERSON.RESERVE_ORG_UNIT_EXISTS', `reserve pool unit ${poolCode} is neither registered within your scope nor a row of this file`);
    if (newPool && poolCode !== group.code) dependency = { code: poolCode, line: row.line, what: 'pool' };
  }
  const plan = planRegistration(
    { ...input, reserveOrgUnitId: pool?.id ?? null },
    { orgUnitId: unit.id, orgUnitKind: unitKind, reserveOrgUnitKind: pool?.kind ?? null, today: ctx.today },
  );
  return { person: { plan, index: ctx.blindIndex(plan.idNumber) }, dependency };
}

/**
 * People already registered are skipped (a re-run of the same file changes nothing); a second row
 * with the same ID number in the file is an error, as registering it twice would be. Which row is
 * "second" follows the file's line order.
 */
export function settleRegisteredPeople(plan: ImportPlan, registered: ReadonlyMap<string, string>): void {
  const people = plan.groups
    .flatMap((group) => group.rows.filter((r) => r.person).map((row) => ({ group, row })))
    .sort((a, b) => a.row.line - b.row.line);
  const seen = new Map<string, number>();
  const skipped = new Set<GroupRow>();
  for (const { group, row } of people) {
    const index = row.person!.index;
    const registeredIn = registered.get(index);
    if (registeredIn !== undefined) {
      const where = registeredIn === group.unitId ? 'in this org unit' : 'in another org unit, where it stays';
      plan.settled.push({
        line: row.line,
        type: 'PERSON',
        status: 'skipped',
        issue: { code: 'CONFLICT', rule: 'PERSON.ID_NUMBER_UNIQUE', message: `a person with this national ID number is already registered ${where}; row skipped` },
      });
      skipped.add(row);
    } else if (seen.has(index)) {
      row.issue = { code: 'CONFLICT', rule: 'PERSON.ID_NUMBER_UNIQUE', message: `the same national ID number is on line ${seen.get(index)}` };
      delete row.person;
    } else seen.set(index, row.line);
  }
  for (const group of plan.groups) group.rows = group.rows.filter((r) => !skipped.has(r));
  plan.groups = plan.groups.filter((g) => g.rows.length > 0);
}
