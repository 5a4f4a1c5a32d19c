import type { EntityManager } from 'typeorm';
import { onlyUuids, scopeCondition } from '@huanjie/platform';

export interface MentorshipRow {
  id: string;
  mentor_person_id: string;
  mentee_person_id: string;
  org_unit_id: string;
  region_path: string;
  starts_on: string;
  ends_on: string | null;
  created_by: string;
  created_at: Date;
}

export interface MeetingRow {
  id: string;
  mentorship_id: string;
  held_on: string;
  topic: string;
  recorded_by: string;
  recorded_at: Date;
}

const MENTORSHIP = `id, mentor_person_id, mentee_person_id, org_unit_id, region_path, starts_on::text AS starts_on, ends_on::text AS ends_on, created_by, created_at`;
const MEETING = `id, mentorship_id, held_on::text AS held_on, topic, recorded_by, recorded_at`;

/** 老带新 pairs and their meetings, within the caller's scope (by the mentee's unit). */
export class MentoringStore {
  constructor(
    private readonly db: EntityManager,
    private readonly scopePath: string,
  ) {}

  async byIds(ids: readonly string[], forUpdate = false): Promise<MentorshipRow[]> {
    const params: unknown[] = [onlyUuids(ids)];
    return this.db.query(
      `SELECT ${MENTORSHIP} FROM mentorship WHERE id = ANY($1::uuid[]) AND ${scopeCondition('region_path', this.scopePath, params)}${forUpdate ? ' FOR UPDATE' : ''}`,
      params,
    );
  }

  /** Pairs in which any of the people is mentor or mentee, newest first; `of_person_id` says for whom. */
  async ofPeople(personIds: readonly string[]): Promise<(MentorshipRow & { of_person_id: string })[]> {
    const params: unknown[] = [onlyUuids(personIds)];
    return this.db.query(
      `SELECT p.id AS of_person_id, ${MENTORSHIP.split(', ').map((c) => `m.${c}`).join(', ')}
         FROM unnest($1::uuid[]) AS p(id)
         JOIN mentorship m ON p.id IN (m.mentor_person_id, m.mentee_person_id)
        WHERE ${scopeCondition('m.region_path', this.scopePath, params)}
        ORDER BY m.starts_on DESC, m.created_at DESC`,
      params,
    );
  }

  /** The mentee's pairs, locked: a new one must not overlap them. */
  async ofMenteeLocked(menteeId: string): Promise<MentorshipRow[]> {
    // Serialises concurrent pairings of one mentee: the advisory lock holds to the end of the transaction.
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('mentee:' || $1::text))`, [menteeId]);
    return this.db.query(`SELECT ${MENTORSHIP} FROM mentorship WHERE mentee_person_id = $1`, [menteeId]);
  }

  async insert(row: MentorshipRow): Promise<MentorshipRow> {
    const [saved] = await this.db.query(
      `INSERT INTO mentorship (id, mentor_person_id, mentee_person_id, org_unit_id, region_path, starts_on, ends_on, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${MENTORSHIP}`,
      [row.id, row.mentor_person_id, row.mentee_person_id, row.org_unit_id, row.region_path, row.starts_on, row.ends_on, row.created_by, row.created_at],
    );
    return saved;
  }

  async end(id: string, endsOn: string): Promise<MentorshipRow> {
    const [rows] = await this.db.query(`UPDATE mentorship SET ends_on = $2 WHERE id = $1 RETURNING ${MENTORSHIP}`, [id, endsOn]);
    return rows[0];
  }

  async meetingsOf(mentorshipIds: readonly string[]): Promise<MeetingRow[]> {
    return this.db.query(`SELECT ${MEETING} FROM mentorship_meeting WHERE mentorship_id = ANY($1::uuid[]) ORDER BY held_on, recorded_at`, [onlyUuids(mentorshipIds)]);
  }

  async insertMeeting(row: MeetingRow): Promise<MeetingRow> {
    const [saved] = await this.db.query(
      `INSERT INTO mentorship_meeting (id, mentorship_id, held_on, topic, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${MEETING}`,
      [row.id, row.mentorship_id, row.held_on, row.topic, row.recorded_by, row.recorded_at],
    );
    return saved;
  }
}
