import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { AttachmentInput, ComplaintCategory, ComplaintChannel, Severity } from '../domain/complaint.rules';
import { DUPLICATE_WINDOW_DAYS } from '../domain/complaint.rules';
import type { DeadlineKind, Level } from '../domain/deadlines.rules';
import { OPEN_STATUSES, type ComplaintStatus } from '../domain/workflow.rules';

export interface ComplaintRow {
  id: string;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  received_at: Date;
  summary: string;
  org_unit_id: string;
  region_path: string;
  election_id: string | null;
  subject_person_ids: string[];
  election_period: boolean;
  attachments: AttachmentInput[];
  anonymous: boolean;
  /** AES-GCM ciphertext of the complainant ({ name, contact }); null when anonymous. */
  complainant_enc: string | null;
  /** SHA-256 of the receipt code; never the code. */
  receipt_hash: string | null;
  level: Level;
  policy_id: string;
  first_response_due: Date;
  responded_at: Date | null;
  accepted_at: Date | null;
  handle_due: Date | null;
  extensions: number;
  assigned_org_unit_id: string | null;
  investigator: string | null;
  merged_into: string | null;
  finding_at: Date | null;
  finding_by: string | null;
  resolution: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  overdue_ever: boolean;
  updated_at: Date;
  /** Changes made to the case so far (1 when received); every update adds one (optimistic locking). */
  version: number;
}

export interface HistoryRow {
  id: string;
  complaint_id: string;
  at: Date;
  actor: string;
  event: string;
  from_status: ComplaintStatus | null;
  to_status: ComplaintStatus;
  reason: string | null;
  detail: Record<string, unknown>;
}

export interface EscalationRow {
  complaint_id: string;
  deadline: DeadlineKind;
  due: Date;
  from_level: Level;
  to_level: Level;
  at: Date;
}

const FIELDS = [
  'id', 'channel', 'category', 'severity', 'status', 'received_at', 'summary', 'org_unit_id', 'region_path', 'election_id',
  'subject_person_ids', 'election_period', 'attachments', 'anonymous', 'complainant_enc', 'receipt_hash', 'level', 'policy_id',
  'first_response_due', 'responded_at', 'accepted_at', 'handle_due', 'extensions', 'assigned_org_unit_id', 'investigator',
  'merged_into', 'finding_at', 'finding_by', 'resolution', 'closed_at', 'closed_by', 'overdue_ever', 'updated_at', 'version',
] as const satisfies readonly (keyof ComplaintRow)[];
const COLUMNS = FIELDS.join(', ');
const C_COLUMNS = FIELDS.map((f) => `c.${f}`).join(', ');
const CASTS: Partial<Record<keyof ComplaintRow, string>> = { subject_person_ids: '::uuid[]', attachments: '::jsonb' };

const param = (row: Partial<ComplaintRow>, f: keyof ComplaintRow) => (f === 'attachments' ? JSON.stringify(row[f]) : row[f]);

/** The SQL test "this case is overdue at $n": the same rule as domain/deadlines overdueDeadline. */
export function overdueCondition(alias: string, nowParam: string): string {
  return `((${alias}.status = 'RECEIVED' AND ${alias}.first_response_due < ${nowParam})
        OR (${alias}.status IN ('ACCEPTED', 'ASSIGNED', 'INVESTIGATING') AND ${alias}.handle_due < ${nowParam}))`;
}

export interface OverdueFilter {
  regionPath: string;
  now: Date;
  investigator?: string | null;
  level?: Level | null;
}

/** 信访举报 reads and writes within the caller's region scope ('' for the system's own work). */
export class ComplaintStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<ComplaintRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COLUMNS} FROM complaint WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`, params);
  }

  /** The case, locked for the rest of the transaction (commands on one case queue); null when absent or outside the scope. */
  async lock(id: string): Promise<ComplaintRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: ComplaintRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM complaint WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  async insert(row: ComplaintRow): Promise<void> {
    await this.db.query(
      `INSERT INTO complaint (${COLUMNS}) VALUES (${FIELDS.map((f, i) => `$${i + 1}${CASTS[f] ?? ''}`).join(', ')})`,
      FIELDS.map((f) => param(row, f)),
    );
  }

  /** Writes the changes and counts them in the version (the caller holds the row locked). */
  async update(id: string, patch: Partial<ComplaintRow>): Promise<ComplaintRow> {
    const keys = (Object.keys(patch) as (keyof ComplaintRow)[]).filter((k) => k !== 'id' && k !== 'version');
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [ComplaintRow[], number] = await this.db.query(
      `UPDATE complaint SET ${keys.map((k, i) => `${k} = $${i + 2}${CASTS[k] ?? ''}`).join(', ')}, version = version + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...keys.map((k) => param(patch, k))],
    );
    return rows[0]!;
  }

  async addHistory(rows: Omit<HistoryRow, 'id'>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO complaint_history (complaint_id, at, actor, event, from_status, to_status, reason, detail)
       SELECT complaint_id, at, actor, event, from_status, to_status, reason, detail
         FROM jsonb_to_recordset($1::jsonb)
           AS r(complaint_id uuid, at timestamptz, actor text, event text, from_status text, to_status text, reason text, detail jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /** The histories of many cases, oldest entry first, in one statement. */
  async historyOf(ids: readonly string[]): Promise<HistoryRow[]> {
    return this.db.query(
      `SELECT id::text, complaint_id, at, actor, event, from_status, to_status, reason, detail FROM complaint_history
        WHERE complaint_id = ANY($1::uuid[]) ORDER BY complaint_id, complaint_history.id`,
      [onlyUuids(ids)],
    );
  }

  async escalationsOf(ids: readonly string[]): Promise<EscalationRow[]> {
    return this.db.query(`SELECT * FROM complaint_escalation WHERE complaint_id = ANY($1::uuid[]) ORDER BY complaint_id, at`, [onlyUuids(ids)]);
  }

  /** The cases merged into each of many cases, in one statement. */
  async mergedInto(ids: readonly string[]): Promise<ComplaintRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM complaint WHERE merged_into = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY received_at, id`,
      params,
    );
  }

  /** Complaints naming any of many people, in one statement, newest first. */
  async aboutPeople(personIds: readonly string[]): Promise<ComplaintRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM complaint
        WHERE subject_person_ids && $1::uuid[] AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY received_at DESC, id`,
      params,
    );
  }

  /** Complaints about any of many elections, in one statement, newest first. */
  async aboutElections(electionIds: readonly string[]): Promise<ComplaintRow[]> {
    const params: unknown[] = [onlyUuids(electionIds)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM complaint
        WHERE election_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY received_at DESC, id`,
      params,
    );
  }

  /** Open cases at each of many units, in one statement; units without any are absent. */
  async openCountsByOrgUnits(orgUnitIds: readonly string[]): Promise<Map<string, number>> {
    const params: unknown[] = [onlyUuids(orgUnitIds), OPEN_STATUSES];
    const rows: { org_unit_id: string; open: number }[] = await this.db.query(
      `SELECT org_unit_id, count(*)::int AS open FROM complaint
        WHERE org_unit_id = ANY($1::uuid[]) AND status = ANY($2::text[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        GROUP BY org_unit_id`,
      params,
    );
    return new Map(rows.map((r) => [r.org_unit_id, r.open]));
  }

  /**
   * 疑似重复件 of many cases in one statement: other cases in the scope, not merged away, of the
   * same category, received within the window, about the same subject (a person in common, the same
   * election, or — when neither names a person or an election — the same unit). The same test as
   * domain isPossibleDuplicate. Rows carry `of_id`, the case they are suggested for.
   */
  async possibleDuplicates(ids: readonly string[]): Promise<(ComplaintRow & { of_id: string })[]> {
    const params: unknown[] = [onlyUuids(ids), DUPLICATE_WINDOW_DAYS];
    return this.db.query(
      `SELECT c.of_id, ${COLUMNS} FROM (
         SELECT a.id AS of_id, ${C_COLUMNS}
           FROM complaint a
           JOIN complaint c ON c.id <> a.id AND c.category = a.category AND c.status <> 'MERGED'
                           AND c.received_at BETWEEN a.received_at - make_interval(days => $2) AND a.received_at + make_interval(days => $2)
                           AND (c.subject_person_ids && a.subject_person_ids
                                OR c.election_id = a.election_id
                                OR (cardinality(a.subject_person_ids) = 0 AND a.election_id IS NULL
                                    AND cardinality(c.subject_person_ids) = 0 AND c.election_id IS NULL AND c.org_unit_id = a.org_unit_id))
          WHERE a.id = ANY($1::uuid[])
       ) c WHERE ${scopeCondition('c.region_path', this.scopePath, params)}
       ORDER BY c.of_id, c.received_at, c.id`,
      params,
    );
  }

  /** One page of the overdue cases of a region at `now`, the longest overdue first. */
  async overdue(filter: OverdueFilter, limit: number, after: { due: string; id: string } | null): Promise<(ComplaintRow & { due: Date })[]> {
    const params: unknown[] = [filter.now, filter.regionPath];
    const conditions = [overdueCondition('c', '$1::timestamptz'), subtreeCondition('c.region_path', '$2::text'), scopeCondition('c.region_path', this.scopePath, params)];
    if (filter.investigator !== undefined && filter.investigator !== null) {
      params.push(filter.investigator);
      conditions.push(`c.investigator = $${params.length}`);
    }
    if (filter.level) {
      params.push(filter.level);
      conditions.push(`c.level = $${params.length}`);
    }
    const due = `CASE WHEN c.status = 'RECEIVED' THEN c.first_response_due ELSE c.handle_due END`;
    if (after) {
      params.push(after.due, after.id);
      conditions.push(`(${due}, c.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    return this.db.query(
      `SELECT ${C_COLUMNS}, ${due} AS due FROM complaint c WHERE ${conditions.join(' AND ')} ORDER BY due, c.id LIMIT $${params.length}`,
      params,
    );
  }

  /** 超期统计: overdue cases of a region at `now` per investigator (null: not assigned) and level. */
  async overdueCounts(regionPath: string, now: Date): Promise<{ investigator: string | null; level: Level; count: number }[]> {
    const params: unknown[] = [now, regionPath];
    return this.db.query(
      `SELECT c.investigator, c.level, count(*)::int AS count FROM complaint c
        WHERE ${overdueCondition('c', '$1::timestamptz')} AND ${subtreeCondition('c.region_path', '$2::text')} AND ${scopeCondition('c.region_path', this.scopePath, params)}
        GROUP BY c.investigator, c.level ORDER BY count DESC, c.investigator NULLS FIRST, c.level`,
      params,
    );
  }

  /** The case a receipt code (its hash) belongs to, whatever the scope: the complainant does not know the region. */
  async byReceiptHash(hash: string): Promise<ComplaintRow | null> {
    const rows: ComplaintRow[] = await this.db.query(`SELECT ${COLUMNS} FROM complaint WHERE receipt_hash = $1`, [hash]);
    return rows[0] ?? null;
  }

  /**
   * The escalation job's step, in the caller's transaction, over the cases within the store's
   * scope: records one escalation per overdue case and missed deadline not yet escalated for it
   * (ON CONFLICT: a second run adds nothing), moves those cases one level up (not past CITY) and
   * returns what it did. Cases being changed by a command at that moment are skipped (SKIP LOCKED)
   * and picked up on the next run.
   */
  async escalateOverdue(now: Date): Promise<(EscalationRow & { region_path: string; status: ComplaintStatus })[]> {
    const params: unknown[] = [now];
    const scope = scopeCondition('c.region_path', this.scopePath, params);
    return this.db.query(
      `WITH due AS (
         SELECT c.id, c.region_path, c.level,
                CASE WHEN c.status = 'RECEIVED' THEN 'FIRST_RESPONSE' ELSE 'HANDLING' END AS deadline,
                CASE WHEN c.status = 'RECEIVED' THEN c.first_response_due ELSE c.handle_due END AS due
           FROM complaint c
          WHERE ${overdueCondition('c', '$1::timestamptz')} AND c.level <> 'CITY' AND ${scope}
          FOR UPDATE SKIP LOCKED
       ), added AS (
         INSERT INTO complaint_escalation (complaint_id, deadline, due, from_level, to_level, at)
         SELECT id, deadline, due, level, CASE level WHEN 'TOWN' THEN 'DISTRICT' ELSE 'CITY' END, $1 FROM due
         ON CONFLICT (complaint_id, deadline) DO NOTHING
         RETURNING *
       ), moved AS (
         UPDATE complaint c SET level = a.to_level, overdue_ever = true, updated_at = $1, version = c.version + 1 FROM added a WHERE c.id = a.complaint_id
         RETURNING c.id, c.region_path, c.status
       )
       SELECT a.*, m.region_path, m.status FROM added a JOIN moved m ON m.id = a.complaint_id ORDER BY a.complaint_id`,
      params,
    );
  }

  /** Marks the cases overdue at `now` as having missed a deadline (for ComplaintClosed.overdue), including those already at CITY. */
  async markOverdue(now: Date): Promise<void> {
    const params: unknown[] = [now];
    await this.db.query(`UPDATE complaint c SET overdue_ever = true WHERE ${overdueCondition('c', '$1::timestamptz')} AND NOT c.overdue_ever AND ${scopeCondition('c.region_path', this.scopePath, params)}`, params);
  }
}

