import type { EntityManager } from 'typeorm';
import { scopeCondition, onlyUuids } from '@huanjie/platform';
import { OPEN_STATUSES, type ComplaintCategory, type ComplaintChannel, type ComplaintStatus } from '../domain/complaint.rules';

export interface ComplaintRow {
  id: string;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  status: ComplaintStatus;
  received_at: Date;
  summary: string;
  org_unit_id: string;
  region_path: string;
  subject_person_id: string | null;
}

const COLUMNS = 'id, channel, category, status, received_at, summary, org_unit_id, region_path, subject_person_id';

// Ids arrive from clients and the gateway; a malformed one would make Postgres reject the whole
// uuid[] cast (an internal error for every key in the batch) instead of simply matching nothing.

/** 信访举报 reads within the caller's region scope, and the write of receiveComplaint. */
export class ComplaintStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[]): Promise<ComplaintRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM complaint WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}`,
      params,
    );
  }

  /** Complaints naming any of many people, in one statement, newest first within each person. */
  async aboutPeople(personIds: readonly string[]): Promise<ComplaintRow[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT ${COLUMNS} FROM complaint
        WHERE subject_person_id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}
        ORDER BY subject_person_id, received_at DESC, id`,
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

  async insert(row: ComplaintRow): Promise<void> {
    await this.db.query(
      `INSERT INTO complaint (id, channel, category, status, received_at, summary, org_unit_id, region_path, subject_person_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.channel,
        row.category,
        row.status,
        row.received_at,
        row.summary,
        row.org_unit_id,
        row.region_path,
        row.subject_person_id,
      ],
    );
  }
}
