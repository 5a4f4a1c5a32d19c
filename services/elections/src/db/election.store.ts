import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';
import type { CommitteeKind } from '../domain/election-rules.data';
import type { ElectionStatus } from '../domain/election.state-machine';

export type RoundKind = 'REGULAR' | 'RUN_OFF' | 'WOMEN_SEAT' | 'REPEAT';

export interface ElectionRow {
  id: string;
  cycle_id: string;
  org_unit_id: string;
  org_unit_code: string;
  region_path: string;
  committee_kind: CommitteeKind;
  party_org_form: string | null;
  round_kind: RoundKind;
  parent_election_id: string | null;
  seats: Record<string, number>;
  seat_total: number;
  /** yyyy-mm-dd. */
  election_day: string;
  method: string;
  law_version: string;
  status: ElectionStatus;
  entitled_members: number | null;
  attended_members: number | null;
  registered_voters: number | null;
  result: Record<string, unknown> | null;
  certified_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = (t: string) =>
  `${t}.id, ${t}.cycle_id, ${t}.org_unit_id, ${t}.org_unit_code, ${t}.region_path, ${t}.committee_kind, ${t}.party_org_form, ` +
  `${t}.round_kind, ${t}.parent_election_id, ${t}.seats, ${t}.seat_total, to_char(${t}.election_day, 'YYYY-MM-DD') AS election_day, ` +
  `${t}.method, ${t}.law_version, ${t}.status, ${t}.entitled_members, ${t}.attended_members, ${t}.registered_voters, ${t}.result, ` +
  `${t}.certified_at, ${t}.voided_at, ${t}.void_reason, ${t}.version, ${t}.created_at, ${t}.updated_at`;

export interface ElectionFilter {
  cycleId?: string | null;
  status?: ElectionStatus | null;
  committeeKind?: CommitteeKind | null;
  /** a region path the elections must lie within (on top of the caller's scope). */
  regionPath?: string | null;
}

/** Elections within the caller's region scope; every read filters by it. */
export class ElectionStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<ElectionRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${COLUMNS('e')} FROM election e WHERE e.id = ANY($1::uuid[]) AND ${scopeCondition('e.region_path', this.scopePath, params)}`, params);
  }

  /** One election locked for the rest of the transaction (FOR UPDATE), or null when absent or out of scope. */
  async lock(id: string): Promise<ElectionRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: ElectionRow[] = await this.db.query(
      `SELECT ${COLUMNS('e')} FROM election e WHERE e.id = ANY($1::uuid[]) AND ${scopeCondition('e.region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  /** The rounds beneath elections (run-offs, the women's seat, repeats), oldest first. */
  async roundsOf(parentIds: readonly string[]): Promise<ElectionRow[]> {
    const params: unknown[] = [onlyUuids(parentIds)];
    return this.db.query(
      `SELECT ${COLUMNS('e')} FROM election e WHERE e.parent_election_id = ANY($1::uuid[]) AND ${scopeCondition('e.region_path', this.scopePath, params)}
        ORDER BY e.created_at, e.id`,
      params,
    );
  }

  /** A page of elections, by election day then id; `after` is the sort key of the last row seen. */
  async page(filter: ElectionFilter, limit: number, after: string | null): Promise<ElectionRow[]> {
    const params: unknown[] = [];
    const where = [scopeCondition('e.region_path', this.scopePath, params)];
    if (filter.regionPath) where.push(scopeCondition('e.region_path', filter.regionPath, params));
    if (filter.cycleId) {
      params.push(onlyUuids([filter.cycleId])[0] ?? '00000000-0000-0000-0000-000000000000');
      where.push(`e.cycle_id = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`e.status = $${params.length}`);
    }
    if (filter.committeeKind) {
      params.push(filter.committeeKind);
      where.push(`e.committee_kind = $${params.length}`);
    }
    if (after) {
      params.push(after);
      where.push(`(to_char(e.election_day, 'YYYY-MM-DD') || '|' || e.id::text) > $${params.length}`);
    }
    params.push(limit + 1);
    return this.db.query(
      `SELECT ${COLUMNS('e')} FROM election e WHERE ${where.join(' AND ')}
        ORDER BY e.election_day, e.id LIMIT $${params.length}`,
      params,
    );
  }

  /** Elections of many units (OrgUnit.elections), newest election day first. */
  async ofUnits(unitIds: readonly string[]): Promise<ElectionRow[]> {
    const params: unknown[] = [onlyUuids(unitIds)];
    return this.db.query(
      `SELECT ${COLUMNS('e')} FROM election e WHERE e.org_unit_id = ANY($1::uuid[]) AND ${scopeCondition('e.region_path', this.scopePath, params)}
        ORDER BY e.election_day DESC, e.created_at DESC, e.id`,
      params,
    );
  }

  async insert(row: Omit<ElectionRow, 'result' | 'certified_at' | 'voided_at' | 'void_reason' | 'version' | 'created_at' | 'updated_at' | 'attended_members' | 'registered_voters'>): Promise<ElectionRow> {
    const [inserted]: ElectionRow[] = await this.db.query(
      `INSERT INTO election AS e (id, cycle_id, org_unit_id, org_unit_code, region_path, committee_kind, party_org_form, round_kind,
                                  parent_election_id, seats, seat_total, election_day, method, law_version, status, entitled_members)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING ${COLUMNS('e')}`,
      [
        row.id,
        row.cycle_id,
        row.org_unit_id,
        row.org_unit_code,
        row.region_path,
        row.committee_kind,
        row.party_org_form,
        row.round_kind,
        row.parent_election_id,
        JSON.stringify(row.seats),
        row.seat_total,
        row.election_day,
        row.method,
        row.law_version,
        row.status,
        row.entitled_members,
      ],
    );
    return inserted!;
  }

  /** Writes a new status (and whatever else changed with it), bumping the version. */
  async update(
    id: string,
    changes: Partial<Pick<ElectionRow, 'status' | 'result' | 'attended_members' | 'registered_voters' | 'certified_at' | 'voided_at' | 'void_reason'>>,
  ): Promise<ElectionRow> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [column, value] of Object.entries(changes)) {
      params.push(column === 'result' && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}`);
    }
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[updated]]: [ElectionRow[], number] = await this.db.query(
      `UPDATE election AS e SET ${sets.join(', ')}, version = e.version + 1, updated_at = now() WHERE e.id = $1 RETURNING ${COLUMNS('e')}`,
      params,
    );
    return updated!;
  }
}
