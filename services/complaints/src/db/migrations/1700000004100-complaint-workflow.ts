import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 6: the complaint workflow (states, deadlines, escalation, duplicates and merging), the
 * complainant (encrypted, DISCIPLINE only), receipt codes, attachments as metadata and hashes, the
 * risk register (一村一策) and residents' requests (我为群众办实事).
 */
export class ComplaintWorkflow1700000004100 implements MigrationInterface {
  name = 'ComplaintWorkflow1700000004100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_channel_check`);
    await q.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_category_check`);
    await q.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_status_check`);
    await q.query(`ALTER TABLE complaint ADD CONSTRAINT complaint_channel_check
      CHECK (channel IN ('HOTLINE', 'EMAIL', 'LETTER', 'VISIT', 'ONLINE', 'SUPERVISION_GROUP', 'REFERRAL_12345'))`);
    await q.query(`ALTER TABLE complaint ADD CONSTRAINT complaint_category_check
      CHECK (category IN ('VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'PROCEDURE', 'ELIGIBILITY', 'FINANCES', 'CONDUCT', 'OTHER'))`);
    // Earlier rows: INVESTIGATING had no assignment step; they stay INVESTIGATING.
    await q.query(`ALTER TABLE complaint ADD CONSTRAINT complaint_status_check
      CHECK (status IN ('RECEIVED', 'ACCEPTED', 'ASSIGNED', 'INVESTIGATING', 'SUBSTANTIATED', 'UNSUBSTANTIATED', 'REJECTED', 'MERGED', 'CLOSED'))`);
    await q.query(`
      ALTER TABLE complaint
        ADD COLUMN severity text NOT NULL DEFAULT 'MEDIUM' CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH')),
        ADD COLUMN election_id uuid,
        ADD COLUMN subject_person_ids uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN election_period boolean NOT NULL DEFAULT false,
        ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN anonymous boolean NOT NULL DEFAULT true,
        ADD COLUMN complainant_enc text,
        ADD COLUMN receipt_hash text UNIQUE,
        ADD COLUMN level text NOT NULL DEFAULT 'TOWN' CHECK (level IN ('TOWN', 'DISTRICT', 'CITY')),
        ADD COLUMN policy_id text NOT NULL DEFAULT 'NATIONAL',
        ADD COLUMN first_response_due timestamptz,
        ADD COLUMN responded_at timestamptz,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN handle_due timestamptz,
        ADD COLUMN extensions integer NOT NULL DEFAULT 0,
        ADD COLUMN assigned_org_unit_id uuid,
        ADD COLUMN investigator text,
        ADD COLUMN merged_into uuid REFERENCES complaint (id),
        ADD COLUMN finding_at timestamptz,
        ADD COLUMN finding_by text,
        ADD COLUMN resolution text,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN closed_by text,
        ADD COLUMN overdue_ever boolean NOT NULL DEFAULT false,
        ADD COLUMN updated_at timestamptz`);
    await q.query(`UPDATE complaint SET subject_person_ids = ARRAY[subject_person_id] WHERE subject_person_id IS NOT NULL`);
    await q.query(`UPDATE complaint SET first_response_due = received_at + interval '15 days', updated_at = received_at`);
    await q.query(`ALTER TABLE complaint ALTER COLUMN first_response_due SET NOT NULL, ALTER COLUMN updated_at SET NOT NULL`);
    await q.query(`DROP INDEX complaint_subject`);
    await q.query(`ALTER TABLE complaint DROP COLUMN subject_person_id`);
    await q.query(`CREATE INDEX complaint_subjects ON complaint USING gin (subject_person_ids)`);
    await q.query(`CREATE INDEX complaint_election ON complaint (election_id) WHERE election_id IS NOT NULL`);
    // The overdue lists and the escalation job read open cases by their deadlines.
    await q.query(`CREATE INDEX complaint_first_response ON complaint (first_response_due) WHERE status = 'RECEIVED'`);
    await q.query(`CREATE INDEX complaint_handling ON complaint (handle_due) WHERE status IN ('ACCEPTED', 'ASSIGNED', 'INVESTIGATING')`);
    await q.query(`CREATE INDEX complaint_duplicates ON complaint (category, received_at)`);

    // 办理记录: every transition with who and why. A merged case's history stays with it; the case
    // it went into records the merge too, so both histories are kept.
    await q.query(`
      CREATE TABLE complaint_history (
        id bigserial PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaint (id),
        at timestamptz NOT NULL,
        actor text NOT NULL,
        event text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        reason text,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX complaint_history_case ON complaint_history (complaint_id, id)`);
    await q.query(`
      INSERT INTO complaint_history (complaint_id, at, actor, event, from_status, to_status)
      SELECT id, received_at, 'migration', 'RECEIVE', NULL, status FROM complaint`);

    // 逐级督办: one escalation per case and missed deadline, so the job is idempotent.
    await q.query(`
      CREATE TABLE complaint_escalation (
        complaint_id uuid NOT NULL REFERENCES complaint (id),
        deadline text NOT NULL CHECK (deadline IN ('FIRST_RESPONSE', 'HANDLING')),
        due timestamptz NOT NULL,
        from_level text NOT NULL,
        to_level text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (complaint_id, deadline)
      )`);

    // 风险防控台账 (一村一策).
    await q.query(`
      CREATE TABLE risk_item (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        type text NOT NULL,
        level text NOT NULL CHECK (level IN ('LOW', 'MEDIUM', 'HIGH')),
        title text NOT NULL,
        owner_person_id uuid NOT NULL,
        mitigation_plan text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'MITIGATING', 'RESOLVED')),
        review_on date NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`);
    await q.query(`CREATE INDEX risk_item_unit ON risk_item (org_unit_id, status)`);
    await q.query(`CREATE INDEX risk_item_region ON risk_item (region_path text_pattern_ops)`);

    // 我为群众办实事: no resident's identity, only what was asked, where and where it was settled.
    await q.query(`
      CREATE TABLE resident_request (
        id uuid PRIMARY KEY,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        cycle_id uuid,
        category text NOT NULL,
        summary text NOT NULL,
        raised_on date NOT NULL,
        resolved_level text CHECK (resolved_level IN ('VILLAGE', 'TOWN', 'DISTRICT')),
        resolved_on date,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        CHECK ((resolved_level IS NULL) = (resolved_on IS NULL))
      )`);
    await q.query(`CREATE INDEX resident_request_region ON resident_request (region_path text_pattern_ops, raised_on)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resident_request`);
    await q.query(`DROP TABLE risk_item`);
    await q.query(`DROP TABLE complaint_escalation`);
    await q.query(`DROP TABLE complaint_history`);
    await q.query(`ALTER TABLE complaint ADD COLUMN subject_person_id uuid`);
    await q.query(`UPDATE complaint SET subject_person_id = subject_person_ids[1]`);
    await q.query(`CREATE INDEX complaint_subject ON complaint (subject_person_id, received_at DESC) WHERE subject_person_id IS NOT NULL`);
    await q.query(`DROP INDEX complaint_subjects, complaint_election, complaint_first_response, complaint_handling, complaint_duplicates`);
    await q.query(`
      ALTER TABLE complaint
        DROP COLUMN severity, DROP COLUMN election_id, DROP COLUMN subject_person_ids, DROP COLUMN election_period,
        DROP COLUMN attachments, DROP COLUMN anonymous, DROP COLUMN complainant_enc, DROP COLUMN receipt_hash, DROP COLUMN level,
        DROP COLUMN policy_id, DROP COLUMN first_response_due, DROP COLUMN responded_at, DROP COLUMN accepted_at, DROP COLUMN handle_due,
        DROP COLUMN extensions, DROP COLUMN assigned_org_unit_id, DROP COLUMN investigator, DROP COLUMN merged_into, DROP COLUMN finding_at,
        DROP COLUMN finding_by, DROP COLUMN resolution, DROP COLUMN closed_at, DROP COLUMN closed_by, DROP COLUMN overdue_ever, DROP COLUMN updated_at`);
    // Statuses, channels and categories the earlier schema does not know cannot be kept.
    await q.query(`DELETE FROM complaint WHERE status NOT IN ('RECEIVED', 'INVESTIGATING', 'SUBSTANTIATED', 'UNSUBSTANTIATED', 'CLOSED')
                     OR channel NOT IN ('HOTLINE', 'LETTER', 'VISIT', 'ONLINE', 'EMAIL')
                     OR category NOT IN ('VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'ELIGIBILITY', 'PROCEDURE', 'OTHER')`);
    await q.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_channel_check, DROP CONSTRAINT complaint_category_check, DROP CONSTRAINT complaint_status_check`);
    await q.query(`ALTER TABLE complaint ADD CONSTRAINT complaint_channel_check CHECK (channel IN ('HOTLINE', 'LETTER', 'VISIT', 'ONLINE', 'EMAIL'))`);
    await q.query(`ALTER TABLE complaint ADD CONSTRAINT complaint_category_check
      CHECK (category IN ('VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'ELIGIBILITY', 'PROCEDURE', 'OTHER'))`);
    await q.query(`ALTER TABLE complaint ADD CONSTRAINT complaint_status_check
      CHECK (status IN ('RECEIVED', 'INVESTIGATING', 'SUBSTANTIATED', 'UNSUBSTANTIATED', 'CLOSED'))`);
  }
}
