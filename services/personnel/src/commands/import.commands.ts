import { requireRole, shanghaiDate, writeAudit, writeAudits, type AuditRecord } from '@huanjie/platform';
import { PersonRegistered, recordEvents } from '@huanjie/events';
import { OrgUnitStore } from '../db/org-unit.store';
import { PersonStore } from '../db/person.store';
import type { OrgUnitRow, PersonRow, PersonSecrets } from '../db/rows';
import type { PersonnelContext } from '../deps';
import type { ImportRow, RowIssue } from '../domain/import.columns';
import { codesNamed, planImport, settleRegisteredPeople, type ImportGroup, type RowOutcome } from '../domain/import.rules';
import { ImportSchedule } from '../domain/import.schedule';
import { eventFacts, newPersonRecord, publicView } from './person.commands';

/** What the import tells its caller while it runs (the HTTP route streams it as NDJSON). */
export interface ImportReporter {
  /** A row that failed or was skipped. Imported rows are only counted. */
  row(outcome: RowOutcome): void;
  /** Rows settled so far, of all; after the checks and after every committed batch. */
  progress(done: number, total: number): Promise<void>;
}

export interface ImportSummary {
  rows: number;
  imported: { orgUnits: number; people: number };
  skipped: { orgUnits: number; people: number };
  failed: { orgUnits: number; people: number; unknownType: number };
  durationMs: number;
  rowsPerSecond: number;
  /** false when the import stopped early (the client went away); what committed stays committed. */
  complete: boolean;
}

export interface ImportOptions {
  /** Rows per transaction: whole groups are added until a batch holds at least this many. Default: 1000. */
  batchRows?: number;
  /** Stops between batches when aborted (e.g. the client disconnected). */
  signal?: AbortSignal;
}

/** One group ready to write: its rows built (IDs encrypted) before any transaction opens. */
interface PreparedGroup {
  group: ImportGroup;
  units: OrgUnitRow[];
  people: { line: number; person: PersonRow; secrets: PersonSecrets }[];
}

const IMPORTERS = ['ORG_ADMIN'] as const;

/**
 * 批量导入: org units and people from the rows of a CSV file, with the mutations' rules, audit and
 * events. Groups (a unit with its people) commit whole; several go in one transaction with
 * multi-row statements, and when a batch hits a constraint (someone registered the same unit
 * meanwhile) its groups are retried one by one so only the affected group fails.
 */
export async function importRows(
  ctx: PersonnelContext,
  rows: readonly ImportRow[],
  reporter: ImportReporter,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  requireRole(ctx.auth, IMPORTERS, 'import');
  const started = performance.now();
  const { dataSource, pii, clock, newId } = ctx.deps;
  const scope = ctx.auth.regionPath;
  const tally = new Tally(rows.length);
  const settle = (outcomes: RowOutcome[]) => {
    for (const outcome of outcomes) {
      tally.add(outcome);
      if (outcome.status !== 'imported') reporter.row(outcome);
    }
  };

  // Every unit the file names, in two statements: unscoped for placing new units and refusing
  // taken codes (as createOrgUnit does), scoped for where people may go (as registerPerson does).
  const codes = codesNamed(rows);
  const units = new OrgUnitStore(dataSource.manager, scope);
  const [registered, visible] = await Promise.all([units.byCodesUnscoped(codes), units.byCodes(codes)]);
  const byCode = (list: OrgUnitRow[]) => new Map(list.map((u) => [u.code.trim(), { ...u, code: u.code.trim() }]));
  const plan = planImport(rows, {
    auth: ctx.auth,
    today: shanghaiDate(clock()),
    registered: byCode(registered),
    visible: byCode(visible),
    newId,
    blindIndex: (idNumber) => pii.blindIndex(idNumber),
  });
  const indexes = plan.groups.flatMap((g) => g.rows.flatMap((r) => (r.person ? [r.person.index] : [])));
  settleRegisteredPeople(plan, await registeredPeople(ctx, indexes));

  const schedule = new ImportSchedule(plan.groups);
  settle([...plan.settled, ...schedule.start()].sort((a, b) => a.line - b.line));
  await reporter.progress(tally.done, rows.length);

  const batchRows = options.batchRows ?? 1000;
  for (let ready = schedule.ready(); ready.length > 0 && !options.signal?.aborted; ready = schedule.ready()) {
    for (let from = 0; from < ready.length && !options.signal?.aborted; ) {
      const batch: ImportGroup[] = [];
      let size = 0;
      while (from < ready.length && (batch.length === 0 || size < batchRows)) {
        batch.push(ready[from]!);
        size += ready[from++]!.rows.length;
      }
      const now = clock();
      const prepared = batch.map((group) => prepare(group, now));
      try {
        settle(await write(prepared, now));
      } catch (error) {
        if (!isConstraintViolation(error)) throw error;
        // Someone else changed the register between the checks and this batch: find the group it concerns.
        for (const one of prepared) {
          try {
            settle(await write([one], now));
          } catch (alone) {
            if (!isConstraintViolation(alone)) throw alone;
            settle(schedule.fail(one.group, constraintIssue(alone)));
          }
        }
      }
      await reporter.progress(tally.done, rows.length);
    }
  }
  if (!options.signal?.aborted) settle(schedule.stuck());

  const durationMs = Math.round(performance.now() - started);
  const summary: ImportSummary = {
    ...tally.counts(),
    durationMs,
    rowsPerSecond: Math.round((rows.length / Math.max(durationMs, 1)) * 1000),
    complete: !options.signal?.aborted,
  };
  // The import as a whole is audited too: who ran it, over which scope, with what result. Each
  // row's own record carries the same request id.
  await dataSource.transaction((manager) =>
    writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action: 'importCsv',
      entityType: 'Import',
      entityId: ctx.requestId,
      regionPath: scope,
      requestId: ctx.requestId,
      before: null,
      after: { ...summary },
    }),
  );
  ctx.log.info({ ...summary }, summary.complete ? 'CSV import finished' : 'CSV import stopped: the client went away');
  return summary;

  /** The rows a group stores, built as registerPerson builds them. */
  function prepare(group: ImportGroup, now: Date): PreparedGroup {
    const prepared: PreparedGroup = { group, units: [], people: [] };
    for (const row of group.rows) {
      if (row.unit) {
        const u = row.unit;
        prepared.units.push({ id: u.id, code: u.code, name: u.name, kind: u.kind, parent_id: u.parentId, region_path: u.regionPath, depth: u.depth });
      } else if (row.person) {
        const unit = { id: group.unitId!, region_path: group.regionPath! };
        const record = newPersonRecord(row.person.plan, unit, { id: newId(), idNumberIndex: row.person.index }, now, pii);
        prepared.people.push({ line: row.line, ...record });
      }
    }
    return prepared;
  }

  /** One transaction: units, people, their audit records and PersonRegistered events, four statements whatever the size. */
  async function write(groups: PreparedGroup[], now: Date): Promise<RowOutcome[]> {
    const inserted = await dataSource.transaction(async (manager) => {
      const newUnits = groups.flatMap((g) => g.units);
      await new OrgUnitStore(manager, scope).insertMany(newUnits);
      const ids = await new PersonStore(manager, scope).insertMany(groups.flatMap((g) => g.people.map((p) => ({ ...p.person, ...p.secrets }))));
      const people = groups.flatMap((g) => g.people.filter((p) => ids.has(p.person.id)).map((p) => ({ ...p, code: g.group.code })));
      const audit = (action: string, entityType: string, row: { id: string; region_path: string }, after: Record<string, unknown>): AuditRecord => ({
        actor: ctx.auth.userId,
        roles: ctx.auth.roles,
        action,
        entityType,
        entityId: row.id,
        regionPath: row.region_path,
        requestId: ctx.requestId,
        before: null,
        after,
      });
      await writeAudits(manager, [
        ...newUnits.map((u) => audit('createOrgUnit', 'OrgUnit', u, { ...u })),
        ...people.map((p) => audit('registerPerson', 'Person', p.person, publicView(p.person))),
      ]);
      await recordEvents(
        manager,
        PersonRegistered,
        people.map((p) => ({ subject: p.person.id, data: eventFacts(p.person, { code: p.code }), time: now })),
      );
      return ids;
    });
    ctx.deps.onEventsRecorded();
    const out: RowOutcome[] = [];
    for (const { group, people } of groups) {
      schedule.committed(group);
      const unitRow = group.rows.find((r) => r.unit);
      if (unitRow) out.push({ line: unitRow.line, type: 'ORG_UNIT', status: 'imported' });
      for (const p of people) {
        out.push(
          inserted.has(p.person.id)
            ? { line: p.line, type: 'PERSON', status: 'imported' }
            : { line: p.line, type: 'PERSON', status: 'skipped', issue: registeredMeanwhile },
        );
      }
    }
    return out;
  }
}

/** Which planned people are registered already, and where; in slices, so no statement carries an unbounded array. */
async function registeredPeople(ctx: PersonnelContext, indexes: string[]): Promise<Map<string, string>> {
  const store = new PersonStore(ctx.deps.dataSource.manager, '');
  const found = new Map<string, string>();
  for (let i = 0; i < indexes.length; i += 10_000) {
    for (const [index, unit] of await store.orgUnitsByIdNumberIndexes(indexes.slice(i, i + 10_000))) found.set(index, unit);
  }
  return found;
}

const registeredMeanwhile: RowIssue = {
  code: 'CONFLICT',
  rule: 'PERSON.ID_NUMBER_UNIQUE',
  message: 'a person with this national ID number was registered by someone else while the import ran; row skipped',
};

/** SQLSTATE class 23: integrity constraint violation (unique, foreign key, check). */
function isConstraintViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && code.startsWith('23');
}

function constraintIssue(error: unknown): RowIssue {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  if (driver?.code === '23505' && driver.constraint?.startsWith('org_unit_')) {
    return {
      code: 'CONFLICT',
      rule: 'ORG_UNIT.CODE_UNIQUE',
      message: 'an org unit with this 行政区划代码 was registered by someone else while the import ran; re-run the file to skip it',
    };
  }
  // The constraint's name says which rule held; the values never leave the database.
  return { code: 'CONFLICT', rule: 'IMPORT.CONSTRAINT', message: `the register changed while the import ran (${driver?.constraint ?? 'a constraint'} refused the unit's rows)` };
}

/** Counts outcomes by type and status. */
class Tally {
  done = 0;
  private readonly n = { imported: { ORG_UNIT: 0, PERSON: 0 }, skipped: { ORG_UNIT: 0, PERSON: 0 }, failed: { ORG_UNIT: 0, PERSON: 0, unknown: 0 } };

  constructor(readonly rows: number) {}

  add(outcome: RowOutcome): void {
    this.done++;
    if (outcome.type === null) this.n.failed.unknown++;
    else this.n[outcome.status][outcome.type]++;
  }

  counts() {
    const { imported, skipped, failed } = this.n;
    return {
      rows: this.rows,
      imported: { orgUnits: imported.ORG_UNIT, people: imported.PERSON },
      skipped: { orgUnits: skipped.ORG_UNIT, people: skipped.PERSON },
      failed: { orgUnits: failed.ORG_UNIT, people: failed.PERSON, unknownType: failed.unknown },
    };
  }
}
