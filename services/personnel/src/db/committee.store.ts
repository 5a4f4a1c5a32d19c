import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, subtreeCondition } from '@huanjie/platform';
import type { OrgUnitKind } from '../domain/org-unit.rules';
import type { CommitteeKind, PartyOrgForm } from '../domain/committee.rules';
import { COMMITTEE_COLUMNS, type CommitteeRow } from './committee.rows';

export interface OneShoulderCounts {
  unit_count: number;
  secretary_count: number;
  one_shoulder_count: number;
}

/** Committee reads and writes, always within the caller's region scope ('' for the system's own consumers). */
export class CommitteeStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<CommitteeRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${COMMITTEE_COLUMNS} FROM committee WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  /** The committees of many units in one statement, the Party committee first. */
  async ofOrgUnits(orgUnitIds: readonly string[]): Promise<CommitteeRow[]> {
    const params: unknown[] = [onlyUuids(orgUnitIds)];
    return this.db.query(
      `SELECT ${COMMITTEE_COLUMNS} FROM committee
        WHERE org_unit_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY org_unit_id, kind <> 'PARTY', kind`,
      params,
    );
  }

  /**
   * The committee of a unit, locked until the transaction ends: every change to a committee's
   * terms and seats takes this lock first, so two of them never check the rules against the same
   * old state (no overlapping terms, one secretary, the size limit).
   */
  async lockOf(orgUnitId: string, kind: CommitteeKind): Promise<CommitteeRow | undefined> {
    const params: unknown[] = [orgUnitId, kind];
    const rows: CommitteeRow[] = await this.db.query(
      `SELECT ${COMMITTEE_COLUMNS} FROM committee
        WHERE org_unit_id = $1 AND kind = $2 AND ${scopeCondition('region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0];
  }

  async lockById(id: string): Promise<CommitteeRow | undefined> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: CommitteeRow[] = await this.db.query(
      `SELECT ${COMMITTEE_COLUMNS} FROM committee WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0];
  }

  /** Records a unit's committee; a concurrent insert of the same one wins and this one is skipped. */
  async insertIfAbsent(row: CommitteeRow): Promise<void> {
    await this.db.query(
      `INSERT INTO committee (id, org_unit_id, region_path, kind, party_org_form) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_unit_id, kind) DO NOTHING`,
      [row.id, row.org_unit_id, row.region_path, row.kind, row.party_org_form],
    );
  }

  async setPartyOrgForm(id: string, form: PartyOrgForm): Promise<void> {
    await this.db.query(`UPDATE committee SET party_org_form = $2 WHERE id = $1`, [id, form]);
  }

  /**
   * 一肩挑 in a region, in one statement: villages and communities, those with a Party secretary
   * in office, and those whose secretary also holds the director's seat of the same unit. Each
   * unit has one Party committee with one current term and one secretary, so the joins never
   * multiply rows.
   */
  async oneShoulderCounts(regionPath: string, unitKind: OrgUnitKind | null): Promise<OneShoulderCounts> {
    const params: unknown[] = [];
    const region = regionPath === '' ? 'TRUE' : subtreeCondition('u.region_path', `$${params.push(regionPath)}::text`);
    const kind = unitKind === null ? `u.kind IN ('VILLAGE', 'COMMUNITY')` : `u.kind = $${params.push(unitKind)}`;
    const rows: OneShoulderCounts[] = await this.db.query(
      `SELECT count(*)::int AS unit_count, count(s.id)::int AS secretary_count, count(d.id)::int AS one_shoulder_count
         FROM org_unit u
         LEFT JOIN committee_position s ON s.org_unit_id = u.id AND s.role = 'SECRETARY' AND s.end_reason IS NULL
         LEFT JOIN committee_position d ON d.org_unit_id = u.id AND d.role = 'DIRECTOR' AND d.end_reason IS NULL AND d.person_id = s.person_id
        WHERE ${kind} AND ${region} AND ${scopeCondition('u.region_path', this.scopePath, params)}`,
      params,
    );
    return rows[0]!;
  }
}
