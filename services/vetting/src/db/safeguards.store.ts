import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { PledgeKind, RelationKind } from '../domain/safeguard-policy.data';
import type { FindingStatus, SanctionKind } from '../domain/safeguards.rules';

export interface EvaluationRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  region_path: string;
  term_id: string | null;
  evaluated_on: string;
  satisfied: number;
  basically_satisfied: number;
  dissatisfied: number;
  recorded_by: string;
  recorded_at: Date;
}
export interface AdmonitionRow {
  id: string;
  person_id: string;
  region_path: string;
  held_on: string;
  held_by: string;
  evaluation_id: string | null;
  recorded_by: string;
  recorded_at: Date;
}
export interface SanctionRow {
  id: string;
  person_id: string;
  region_path: string;
  kind: SanctionKind;
  effective_from: string;
  effective_until: string | null;
  recorded_by: string;
  recorded_at: Date;
}
export interface RelativeRow {
  id: string;
  person_id: string;
  relative_person_id: string;
  relation: RelationKind;
  region_path: string;
  declared_by: string;
  declared_at: Date;
}
export interface PledgeRow {
  id: string;
  person_id: string;
  kind: PledgeKind;
  org_unit_id: string;
  region_path: string;
  election_id: string | null;
  cycle_id: string | null;
  signed_on: string;
  recorded_by: string;
  recorded_at: Date;
}
export interface WorkerRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  region_path: string;
  cycle_id: string;
  registered_by: string;
  registered_at: Date;
}
export interface AuditRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  region_path: string;
  position_id: string | null;
  role: string | null;
  origin: 'POSITION_ENDED' | 'MANUAL';
  end_reason: string | null;
  opened_on: string;
  opened_by: string;
  status: 'OPEN' | 'CLOSED';
  closed_at: Date | null;
  closed_by: string | null;
  conclusion: string | null;
}
export interface FindingRow {
  id: string;
  audit_id: string;
  person_id: string;
  region_path: string;
  seq: number;
  description: string;
  /** numeric(14,2) arrives as a string; kept exact. */
  amount: string | null;
  deadline: string;
  status: FindingStatus;
  resolved_on: string | null;
  resolution_note: string | null;
  recorded_by: string;
  recorded_at: Date;
}
export interface PreCheckRow {
  review_id: string;
  seq: number;
  check_kind: string;
  outcome: string;
  item_code: string | null;
  source: string;
  detail: string;
  evidence_ids: string[];
  computed_at: Date;
}
export interface CoverageRow {
  child_path: string;
  kind: PledgeKind;
  required: number;
  signed: number;
}

// Dates come back as yyyy-mm-dd text, never as a JS Date shifted by the server's zone.
const EVALUATION = `id, person_id, org_unit_id, region_path, term_id, evaluated_on::text AS evaluated_on, satisfied, basically_satisfied, dissatisfied, recorded_by, recorded_at`;
const ADMONITION = `id, person_id, region_path, held_on::text AS held_on, held_by, evaluation_id, recorded_by, recorded_at`;
const SANCTION = `id, person_id, region_path, kind, effective_from::text AS effective_from, effective_until::text AS effective_until, recorded_by, recorded_at`;
const RELATIVE = `id, person_id, relative_person_id, relation, region_path, declared_by, declared_at`;
const PLEDGE = `id, person_id, kind, org_unit_id, region_path, election_id, cycle_id, signed_on::text AS signed_on, recorded_by, recorded_at`;
const WORKER = `id, person_id, org_unit_id, region_path, cycle_id, registered_by, registered_at`;
const AUDIT = `id, person_id, org_unit_id, region_path, position_id, role, origin, end_reason, opened_on::text AS opened_on, opened_by, status, closed_at, closed_by, conclusion`;
const FINDING = `id, audit_id, person_id, region_path, seq, description, amount::text AS amount, deadline::text AS deadline, status, resolved_on::text AS resolved_on, resolution_note, recorded_by, recorded_at`;

/**
 * The safeguards' records within the caller's region scope: one statement per list however many
 * people or audits ask (the loaders batch them). Writes run in the command's transaction.
 */
export class SafeguardStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  private ofPeople<T>(table: string, columns: string, personIds: readonly string[], order: string): Promise<T[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${columns} FROM ${table} WHERE person_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY person_id, ${order}`,
      params,
    );
  }

  evaluationsOf(personIds: readonly string[]): Promise<EvaluationRow[]> {
    return this.ofPeople('democratic_evaluation', EVALUATION, personIds, 'evaluated_on DESC, id');
  }
  admonitionsOf(personIds: readonly string[]): Promise<AdmonitionRow[]> {
    return this.ofPeople('admonition_talk', ADMONITION, personIds, 'held_on DESC, id');
  }
  sanctionsOf(personIds: readonly string[]): Promise<SanctionRow[]> {
    return this.ofPeople('disciplinary_sanction', SANCTION, personIds, 'effective_from DESC, id');
  }
  pledgesOf(personIds: readonly string[]): Promise<PledgeRow[]> {
    return this.ofPeople('pledge', PLEDGE, personIds, 'signed_on DESC, id');
  }
  auditsOf(personIds: readonly string[]): Promise<AuditRow[]> {
    return this.ofPeople('departure_audit', AUDIT, personIds, 'opened_on DESC, id');
  }

  /** Declared relations of many people, from either side of the declaration: one row per (person asked, relation). */
  async relativesOf(personIds: readonly string[]): Promise<(RelativeRow & { of_person_id: string })[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT q.id AS of_person_id, ${RELATIVE.split(', ')
        .map((c) => `r.${c}`)
        .join(', ')}
         FROM unnest($1::uuid[]) AS q(id)
         JOIN close_relative r ON q.id IN (r.person_id, r.relative_person_id)
        WHERE ${scopeCondition('r.region_path', this.scopePath, params)}
        ORDER BY q.id, r.declared_at, r.id`,
      params,
    );
  }

  async pledgesByIds(ids: readonly string[]): Promise<PledgeRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${PLEDGE} FROM pledge WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  async auditsByIds(ids: readonly string[], lock = false): Promise<AuditRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${AUDIT} FROM departure_audit WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
  }

  async findingsOf(auditIds: readonly string[]): Promise<FindingRow[]> {
    const params: unknown[] = [onlyUuids(auditIds)];
    return this.db.query(
      `SELECT ${FINDING} FROM audit_finding WHERE audit_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} ORDER BY audit_id, seq`,
      params,
    );
  }

  async findingById(id: string, lock = false): Promise<FindingRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: FindingRow[] = await this.db.query(
      `SELECT ${FINDING} FROM audit_finding WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** One page of audits under a region, newest first (cursor `opened_on|id`). */
  async auditsPage(
    filter: { regionPath: string | null; status: 'OPEN' | 'CLOSED' | null },
    limit: number,
    after: string | null,
  ): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const where = [scopeCondition('region_path', this.scopePath, params)];
    if (filter.regionPath) {
      params.push(filter.regionPath);
      where.push(subtreeCondition('region_path', `$${params.length}::text`));
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (after) {
      const [on, id] = after.split('|');
      params.push(on, id);
      where.push(`(opened_on, id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    return this.db.query(
      `SELECT ${AUDIT} FROM departure_audit WHERE ${where.join(' AND ')} ORDER BY opened_on DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** Stored pre-check findings of many reviews (reviews the caller could already see). */
  async preChecksOf(reviewIds: readonly string[]): Promise<PreCheckRow[]> {
    return this.db.query(
      `SELECT review_id, seq, check_kind, outcome, item_code, source, detail, evidence_ids, computed_at
         FROM pre_check_finding WHERE review_id = ANY($1::uuid[]) ORDER BY review_id, seq`,
      [onlyUuids(reviewIds)],
    );
  }

  async preCheckRunsOf(reviewIds: readonly string[]): Promise<{ review_id: string; computed_at: Date }[]> {
    return this.db.query(`SELECT review_id, computed_at FROM pre_check_run WHERE review_id = ANY($1::uuid[])`, [onlyUuids(reviewIds)]);
  }

  /**
   * 承诺书覆盖率 under a region, per child region and kind, in one statement. Who must sign:
   *  - CANDIDATE: every candidate under review or cleared (a review per candidate; a disqualified
   *    candidate no longer stands), signed when a CANDIDATE pledge names that election;
   *  - UNIT_SECRETARY: every sitting secretary (seat_fact), signed when a UNIT_SECRETARY pledge is
   *    on record — for `cycleId` when one is given, in any cycle otherwise;
   *  - ELECTION_WORKER: every registered worker (of `cycleId` when given), signed for the worker's cycle.
   * Candidates are not filtered by cycle: vetting knows an election, not the cycle it belongs to.
   */
  async coverage(regionPath: string, childDepth: number, kind: PledgeKind | null, cycleId: string | null): Promise<CoverageRow[]> {
    const params: unknown[] = [regionPath, childDepth, kind, cycleId];
    // The nationwide region ('') is everything; the caller's own scope applies on top.
    const scope = (col: string) =>
      `${regionPath === '' ? 'TRUE' : subtreeCondition(col, '$1::text')} AND ${scopeCondition(col, this.scopePath, params)}`;
    return this.db.query(
      `WITH obligation AS (
         SELECT 'CANDIDATE'::text AS kind, r.person_id, r.region_path, r.election_id, NULL::uuid AS cycle_id
           FROM review r WHERE r.status <> 'DISQUALIFIED' AND ${scope('r.region_path')}
         UNION ALL
         SELECT 'UNIT_SECRETARY', s.person_id, s.region_path, NULL, NULL
           FROM seat_fact s WHERE s.role = 'SECRETARY' AND s.ends_on IS NULL AND ${scope('s.region_path')}
         UNION ALL
         SELECT 'ELECTION_WORKER', w.person_id, w.region_path, NULL, w.cycle_id
           FROM election_worker w WHERE ($4::uuid IS NULL OR w.cycle_id = $4::uuid) AND ${scope('w.region_path')}
       )
       SELECT array_to_string((string_to_array(o.region_path, '.'))[1:$2::int], '.') AS child_path, o.kind,
              count(*)::int AS required,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM pledge p
                 WHERE p.person_id = o.person_id AND p.kind = o.kind
                   AND CASE o.kind WHEN 'CANDIDATE' THEN p.election_id = o.election_id
                                   WHEN 'ELECTION_WORKER' THEN p.cycle_id = o.cycle_id
                                   ELSE ($4::uuid IS NULL OR p.cycle_id = $4::uuid) END))::int AS signed
         FROM obligation o
        WHERE $3::text IS NULL OR o.kind = $3::text
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
  }

  async insertEvaluation(row: Omit<EvaluationRow, 'recorded_at'> & { recorded_at: Date }): Promise<EvaluationRow> {
    const [saved] = await this.db.query(
      `INSERT INTO democratic_evaluation (id, person_id, org_unit_id, region_path, term_id, evaluated_on, satisfied, basically_satisfied, dissatisfied, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${EVALUATION}`,
      [
        row.id,
        row.person_id,
        row.org_unit_id,
        row.region_path,
        row.term_id,
        row.evaluated_on,
        row.satisfied,
        row.basically_satisfied,
        row.dissatisfied,
        row.recorded_by,
        row.recorded_at,
      ],
    );
    return saved;
  }

  async insertAdmonition(row: AdmonitionRow): Promise<AdmonitionRow> {
    const [saved] = await this.db.query(
      `INSERT INTO admonition_talk (id, person_id, region_path, held_on, held_by, evaluation_id, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ADMONITION}`,
      [row.id, row.person_id, row.region_path, row.held_on, row.held_by, row.evaluation_id, row.recorded_by, row.recorded_at],
    );
    return saved;
  }

  async insertSanction(row: SanctionRow): Promise<SanctionRow> {
    const [saved] = await this.db.query(
      `INSERT INTO disciplinary_sanction (id, person_id, region_path, kind, effective_from, effective_until, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SANCTION}`,
      [row.id, row.person_id, row.region_path, row.kind, row.effective_from, row.effective_until, row.recorded_by, row.recorded_at],
    );
    return saved;
  }

  async insertRelative(row: RelativeRow): Promise<RelativeRow> {
    const [saved] = await this.db.query(
      `INSERT INTO close_relative (id, person_id, relative_person_id, relation, region_path, declared_by, declared_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${RELATIVE}`,
      [row.id, row.person_id, row.relative_person_id, row.relation, row.region_path, row.declared_by, row.declared_at],
    );
    return saved;
  }

  async insertPledge(row: PledgeRow): Promise<PledgeRow> {
    const [saved] = await this.db.query(
      `INSERT INTO pledge (id, person_id, kind, org_unit_id, region_path, election_id, cycle_id, signed_on, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${PLEDGE}`,
      [
        row.id,
        row.person_id,
        row.kind,
        row.org_unit_id,
        row.region_path,
        row.election_id,
        row.cycle_id,
        row.signed_on,
        row.recorded_by,
        row.recorded_at,
      ],
    );
    return saved;
  }

  async insertWorker(row: WorkerRow): Promise<WorkerRow> {
    const [saved] = await this.db.query(
      `INSERT INTO election_worker (id, person_id, org_unit_id, region_path, cycle_id, registered_by, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${WORKER}`,
      [row.id, row.person_id, row.org_unit_id, row.region_path, row.cycle_id, row.registered_by, row.registered_at],
    );
    return saved;
  }

  /** Opens an audit; for one opened from an ended seat, a second opening of the same seat does nothing (returns null). */
  async insertAudit(row: Omit<AuditRow, 'status' | 'closed_at' | 'closed_by' | 'conclusion'>): Promise<AuditRow | null> {
    const rows: AuditRow[] = await this.db.query(
      `INSERT INTO departure_audit (id, person_id, org_unit_id, region_path, position_id, role, origin, end_reason, opened_on, opened_by, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN')
       ON CONFLICT (position_id) DO NOTHING
       RETURNING ${AUDIT}`,
      [
        row.id,
        row.person_id,
        row.org_unit_id,
        row.region_path,
        row.position_id,
        row.role,
        row.origin,
        row.end_reason,
        row.opened_on,
        row.opened_by,
      ],
    );
    return rows[0] ?? null;
  }

  async closeAudit(id: string, by: string, at: Date, conclusion: string): Promise<AuditRow> {
    const [rows] = await this.db.query(
      `UPDATE departure_audit SET status = 'CLOSED', closed_at = $2, closed_by = $3, conclusion = $4 WHERE id = $1 RETURNING ${AUDIT}`,
      [id, at, by, conclusion],
    );
    return rows[0];
  }

  async insertFinding(row: Omit<FindingRow, 'seq' | 'status' | 'resolved_on' | 'resolution_note'>): Promise<FindingRow> {
    // The audit row is locked by the command, so the next number is safe to take.
    const [saved] = await this.db.query(
      `INSERT INTO audit_finding (id, audit_id, person_id, region_path, seq, description, amount, deadline, status, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, (SELECT COALESCE(max(seq), 0) + 1 FROM audit_finding WHERE audit_id = $2), $5, $6, $7, 'OPEN', $8, $9)
       RETURNING ${FINDING}`,
      [row.id, row.audit_id, row.person_id, row.region_path, row.description, row.amount, row.deadline, row.recorded_by, row.recorded_at],
    );
    return saved;
  }

  async resolveFinding(id: string, status: FindingStatus, on: string, note: string): Promise<FindingRow> {
    const [rows] = await this.db.query(
      `UPDATE audit_finding SET status = $2, resolved_on = $3, resolution_note = $4 WHERE id = $1 RETURNING ${FINDING}`,
      [id, status, on, note],
    );
    return rows[0];
  }
}
