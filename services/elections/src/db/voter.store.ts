import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition, type Page } from '@huanjie/platform';
import type { CommitteeKind } from '../domain/election-rules.data';
import type { ElectionStatus } from '../domain/election.state-machine';
import type { ObjectionKind, ObjectionStatus, VoterBasis } from '../domain/voter.rules';

/** What the roll needs of its election. */
export interface RollElectionRow {
  id: string;
  cycle_id: string;
  region_path: string;
  org_unit_code: string;
  committee_kind: CommitteeKind;
  round_kind: string;
  /** yyyy-mm-dd. */
  election_day: string;
  status: ElectionStatus;
  /** yyyy-mm-dd, or null before 公布选民名单. */
  voter_list_published_on: string | null;
}

/** A voter as clients see it: the masked ID number only (the blind index never leaves the database). */
export interface VoterRow {
  id: string;
  election_id: string;
  region_path: string;
  name: string;
  id_number_masked: string;
  household: string;
  basis: VoterBasis;
  birth_date: string;
  resident_since: string | null;
  approved_on: string | null;
  registered_at: Date;
  removed_at: Date | null;
  removal_reason: string | null;
}

export interface NewVoter {
  election_id: string;
  cycle_id: string;
  region_path: string;
  name: string;
  id_blind_index: string;
  id_number_masked: string;
  household: string;
  basis: VoterBasis;
  birth_date: string;
  resident_since: string | null;
  approved_on: string | null;
  registered_by: string;
}

/** A registration an objection proposes (MISSING) or a correction (DETAILS_WRONG): never the ID number. */
export interface ProposedVoter {
  name?: string;
  id_blind_index?: string;
  id_number_masked?: string;
  household?: string;
  basis?: VoterBasis;
  birth_date?: string;
  resident_since?: string | null;
  approved_on?: string | null;
}

export interface ObjectionRow {
  id: string;
  /** filing order, the cursor of the objection list. */
  seq: string;
  election_id: string;
  voter_id: string | null;
  region_path: string;
  kind: ObjectionKind;
  reason: string;
  proposed: ProposedVoter | null;
  filed_by: string;
  filed_at: Date;
  status: ObjectionStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  registered_voter_id: string | null;
}

const ELECTION_COLUMNS =
  `e.id, e.cycle_id, e.region_path, e.org_unit_code, e.committee_kind, e.round_kind, to_char(e.election_day, 'YYYY-MM-DD') AS election_day, ` +
  `e.status, to_char(e.voter_list_published_on, 'YYYY-MM-DD') AS voter_list_published_on`;

const VOTER_COLUMNS = (t: string) =>
  `${t}.id, ${t}.election_id, ${t}.region_path, ${t}.name, ${t}.id_number_masked, ${t}.household, ${t}.basis, ` +
  `to_char(${t}.birth_date, 'YYYY-MM-DD') AS birth_date, to_char(${t}.resident_since, 'YYYY-MM-DD') AS resident_since, ` +
  `to_char(${t}.approved_on, 'YYYY-MM-DD') AS approved_on, ${t}.registered_at, ${t}.removed_at, ${t}.removal_reason`;

const OBJECTION_COLUMNS = (t: string) =>
  `${t}.id, ${t}.seq::text AS seq, ${t}.election_id, ${t}.voter_id, ${t}.region_path, ${t}.kind, ${t}.reason, ${t}.proposed, ${t}.filed_by, ${t}.filed_at, ` +
  `${t}.status, ${t}.decided_by, ${t}.decided_at, ${t}.decision_note, ${t}.registered_voter_id`;

/** The keyset of the roll's order (household, name, id), as the cursor carries it. */
export type RollKey = [household: string, name: string, id: string];
export const rollKeyOf = (v: Pick<VoterRow, 'household' | 'name' | 'id'>): string => JSON.stringify([v.household, v.name, v.id]);

export function parseRollKey(key: string): RollKey | null {
  try {
    const value: unknown = JSON.parse(key);
    if (Array.isArray(value) && value.length === 3 && value.every((x) => typeof x === 'string') && onlyUuids([String(value[2])]).length === 1) {
      return value as RollKey;
    }
  } catch {
    // not ours
  }
  return null;
}

/** Voter rolls and objections within the caller's region scope; every read filters by it. */
export class VoterStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  /** The election a roll belongs to, optionally locked (FOR UPDATE / FOR SHARE); null when absent or out of scope. */
  async election(id: string, lock: '' | 'FOR UPDATE' | 'FOR SHARE' = ''): Promise<RollElectionRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: RollElectionRow[] = await this.db.query(
      `SELECT ${ELECTION_COLUMNS} FROM election e WHERE e.id = ANY($1::uuid[]) AND ${scopeCondition('e.region_path', this.scopePath, params)} ${lock}`,
      params,
    );
    return rows[0] ?? null;
  }

  async elections(ids: readonly string[]): Promise<RollElectionRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${ELECTION_COLUMNS} FROM election e WHERE e.id = ANY($1::uuid[]) AND ${scopeCondition('e.region_path', this.scopePath, params)}`, params);
  }

  /** One page of each election's roll in one statement (household, name, id order). */
  async rollPages(electionIds: readonly string[], page: Page, includeRemoved: boolean): Promise<VoterRow[]> {
    const params: unknown[] = [onlyUuids(electionIds), page.limit + 1];
    const conditions = ['v.election_id = e.id', scopeCondition('v.region_path', this.scopePath, params)];
    if (!includeRemoved) conditions.push('v.removed_at IS NULL');
    const after = page.after === null ? null : parseRollKey(page.after);
    if (after) {
      params.push(...after);
      const n = params.length;
      conditions.push(`(v.household, v.name, v.id) > ($${n - 2}::text, $${n - 1}::text, $${n}::uuid)`);
    }
    return this.db.query(
      `SELECT r.* FROM unnest($1::uuid[]) AS e(id)
        CROSS JOIN LATERAL (
          SELECT ${VOTER_COLUMNS('v')} FROM voter v WHERE ${conditions.join(' AND ')}
           ORDER BY v.household, v.name, v.id LIMIT $2
        ) r`,
      params,
    );
  }

  /** Voters on each roll (removed_at IS NULL), one statement for many rolls. */
  async activeCounts(electionIds: readonly string[]): Promise<{ election_id: string; n: number }[]> {
    const params: unknown[] = [onlyUuids(electionIds)];
    return this.db.query(
      `SELECT v.election_id, count(*)::int AS n FROM voter v
        WHERE v.election_id = ANY($1::uuid[]) AND v.removed_at IS NULL AND ${scopeCondition('v.region_path', this.scopePath, params)}
        GROUP BY v.election_id`,
      params,
    );
  }

  async votersByIds(ids: readonly string[]): Promise<VoterRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(`SELECT ${VOTER_COLUMNS('v')} FROM voter v WHERE v.id = ANY($1::uuid[]) AND ${scopeCondition('v.region_path', this.scopePath, params)}`, params);
  }

  async lockVoter(id: string): Promise<VoterRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: VoterRow[] = await this.db.query(
      `SELECT ${VOTER_COLUMNS('v')} FROM voter v WHERE v.id = ANY($1::uuid[]) AND ${scopeCondition('v.region_path', this.scopePath, params)} FOR UPDATE`,
      params,
    );
    return rows[0] ?? null;
  }

  /**
   * Serialises registrations in one cycle until the transaction ends: the one-registration rule
   * is checked and then written, by single registrations, objections and bulk imports alike.
   */
  async lockCycleRegistrations(cycleId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('voter-roll:' || $1, 0))`, [cycleId]);
  }

  /**
   * The active registration of a person in a cycle, whichever election it is in (the uniqueness
   * rule spans the cycle, so this looks beyond the caller's scope; only the org unit code is told).
   */
  async activeInCycle(cycleId: string, blindIndex: string): Promise<{ id: string; election_id: string; org_unit_code: string; committee_kind: string } | null> {
    const rows = await this.db.query(
      `SELECT v.id, v.election_id, e.org_unit_code, e.committee_kind FROM voter v JOIN election e ON e.id = v.election_id
        WHERE v.cycle_id = $1 AND v.id_blind_index = $2 AND v.removed_at IS NULL`,
      [cycleId, blindIndex],
    );
    return rows[0] ?? null;
  }

  async insertVoter(v: NewVoter): Promise<VoterRow> {
    const [row]: VoterRow[] = await this.db.query(
      `INSERT INTO voter AS v (election_id, cycle_id, region_path, name, id_blind_index, id_number_masked, household, basis, birth_date,
                               resident_since, approved_on, registered_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING ${VOTER_COLUMNS('v')}`,
      [
        v.election_id,
        v.cycle_id,
        v.region_path,
        v.name,
        v.id_blind_index,
        v.id_number_masked,
        v.household,
        v.basis,
        v.birth_date,
        v.resident_since,
        v.approved_on,
        v.registered_by,
      ],
    );
    return row!;
  }

  /** Off the roll, kept as history: an upheld objection removes, never deletes. */
  async removeVoter(id: string, reason: string): Promise<VoterRow> {
    const [[row]]: [VoterRow[]] = await this.db.query(
      `UPDATE voter v SET removed_at = now(), removal_reason = $2 WHERE v.id = $1 AND v.removed_at IS NULL RETURNING ${VOTER_COLUMNS('v')}`,
      [id, reason],
    );
    return row!;
  }

  async correctVoter(id: string, fix: Pick<ProposedVoter, 'name' | 'household' | 'basis'>): Promise<VoterRow> {
    const [[row]]: [VoterRow[]] = await this.db.query(
      `UPDATE voter v SET name = coalesce($2, v.name), household = coalesce($3, v.household), basis = coalesce($4, v.basis)
        WHERE v.id = $1 RETURNING ${VOTER_COLUMNS('v')}`,
      [id, fix.name ?? null, fix.household ?? null, fix.basis ?? null],
    );
    return row!;
  }

  async setPublishedOn(electionId: string, publishedOn: string): Promise<void> {
    await this.db.query(`UPDATE election SET voter_list_published_on = $2, updated_at = now() WHERE id = $1`, [electionId, publishedOn]);
  }

  async insertObjection(o: Omit<ObjectionRow, 'seq' | 'filed_at' | 'status' | 'decided_by' | 'decided_at' | 'decision_note' | 'registered_voter_id'>): Promise<ObjectionRow> {
    const [row]: ObjectionRow[] = await this.db.query(
      `INSERT INTO voter_objection AS o (id, election_id, voter_id, region_path, kind, reason, proposed, filed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${OBJECTION_COLUMNS('o')}`,
      [o.id, o.election_id, o.voter_id, o.region_path, o.kind, o.reason, o.proposed === null ? null : JSON.stringify(o.proposed), o.filed_by],
    );
    return row!;
  }

  async objection(id: string, lock: '' | 'FOR UPDATE' = ''): Promise<ObjectionRow | null> {
    const params: unknown[] = [onlyUuids([id])];
    const rows: ObjectionRow[] = await this.db.query(
      `SELECT ${OBJECTION_COLUMNS('o')} FROM voter_objection o WHERE o.id = ANY($1::uuid[]) AND ${scopeCondition('o.region_path', this.scopePath, params)} ${lock}`,
      params,
    );
    return rows[0] ?? null;
  }

  async decideObjection(id: string, status: 'UPHELD' | 'DISMISSED', decidedBy: string, note: string, registeredVoterId: string | null): Promise<ObjectionRow> {
    const [[row]]: [ObjectionRow[]] = await this.db.query(
      `UPDATE voter_objection o SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4, registered_voter_id = $5
        WHERE o.id = $1 RETURNING ${OBJECTION_COLUMNS('o')}`,
      [id, status, decidedBy, note, registeredVoterId],
    );
    return row!;
  }

  /** One page of each election's objections, oldest first, in one statement. */
  async objectionPages(electionIds: readonly string[], page: Page, status: ObjectionStatus | null): Promise<ObjectionRow[]> {
    const params: unknown[] = [onlyUuids(electionIds), page.limit + 1];
    const conditions = ['o.election_id = e.id', scopeCondition('o.region_path', this.scopePath, params)];
    if (status) {
      params.push(status);
      conditions.push(`o.status = $${params.length}`);
    }
    if (page.after !== null && /^\d{1,18}$/.test(page.after)) {
      params.push(page.after);
      conditions.push(`o.seq > $${params.length}::bigint`);
    }
    return this.db.query(
      `SELECT r.* FROM unnest($1::uuid[]) AS e(id)
        CROSS JOIN LATERAL (
          SELECT ${OBJECTION_COLUMNS('o')} FROM voter_objection o WHERE ${conditions.join(' AND ')}
           ORDER BY o.seq LIMIT $2
        ) r`,
      params,
    );
  }
}
