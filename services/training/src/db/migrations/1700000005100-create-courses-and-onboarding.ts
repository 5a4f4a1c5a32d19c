import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Courses, sessions, enrolments, onboarding and its 十个一 checklist, mentoring — and the two local
 * projections the coverage report needs of facts training does not own (DESIGN: a subgraph stores
 * ids plus the region path, never a copy of another's fields):
 * - seat_fact: who holds which seat (PositionAssigned / PositionEnded): the report's secretaries;
 * - training_record.reserve: whether a person is a reserve cadre (PersonRegistered / PersonUpdated).
 * Nothing else of a person is kept: no name, no birth date.
 */
export class CreateCoursesAndOnboarding1700000005100 implements MigrationInterface {
  name = 'CreateCoursesAndOnboarding1700000005100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE training_record ADD COLUMN reserve boolean NOT NULL DEFAULT false, ADD COLUMN facts_at timestamptz`);
    await q.query(`UPDATE training_record SET facts_at = opened_at`);

    await q.query(`
      CREATE TABLE course (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        type text NOT NULL,
        audiences text[] NOT NULL,
        required boolean NOT NULL,
        region_code text NOT NULL,
        region_path text NOT NULL,
        hours numeric(6,1) NOT NULL,
        scored boolean NOT NULL,
        pass_score integer,
        active boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        CHECK (scored = (pass_score IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX course_region ON course (region_path text_pattern_ops)`);
    await q.query(`CREATE INDEX course_onboarding ON course (region_path) WHERE type = 'ONBOARDING' AND active`);

    await q.query(`
      CREATE TABLE training_session (
        id uuid PRIMARY KEY,
        course_id uuid NOT NULL REFERENCES course(id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        place text,
        online boolean NOT NULL,
        mode text NOT NULL,
        capacity integer,
        head_count integer,
        trainer text NOT NULL,
        region_code text NOT NULL,
        region_path text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        CHECK (ends_on >= starts_on),
        CHECK ((mode = 'ROLL') = (capacity IS NOT NULL)),
        CHECK (mode = 'HEAD_COUNT' OR head_count IS NULL)
      )`);
    await q.query(`CREATE INDEX training_session_course ON training_session (course_id, starts_on)`);
    await q.query(`CREATE INDEX training_session_region ON training_session (region_path text_pattern_ops, starts_on)`);

    // One open enrolment (awaiting a session, seated or waiting) per person and course.
    await q.query(`
      CREATE TABLE enrolment (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        course_id uuid NOT NULL REFERENCES course(id),
        session_id uuid REFERENCES training_session(id),
        person_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        status text NOT NULL,
        origin text NOT NULL,
        waitlisted_at timestamptz,
        attendance text,
        score numeric(5,1),
        certificate_no text UNIQUE,
        completed_on date,
        enrolled_by text NOT NULL,
        enrolled_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX enrolment_open ON enrolment (person_id, course_id) WHERE status IN ('AWAITING_SESSION', 'ENROLLED', 'WAITLISTED')`,
    );
    await q.query(`CREATE INDEX enrolment_session ON enrolment (session_id, status, seq)`);
    await q.query(`CREATE INDEX enrolment_person ON enrolment (person_id)`);
    await q.query(`CREATE INDEX enrolment_region ON enrolment (region_path text_pattern_ops)`);

    // 初任培训 of a member of a new term: one per person and term. course_id and enrolment_id stay
    // null while no onboarding course covers the unit (PENDING_COURSE); creating one enrols them.
    await q.query(`
      CREATE TABLE onboarding (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        person_id uuid NOT NULL,
        position_id uuid NOT NULL,
        term_id uuid NOT NULL,
        committee_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        role text NOT NULL,
        starts_on date NOT NULL,
        enrolment_id uuid REFERENCES enrolment(id),
        created_at timestamptz NOT NULL,
        UNIQUE (person_id, term_id)
      )`);
    await q.query(`CREATE INDEX onboarding_term ON onboarding (term_id)`);
    await q.query(`CREATE INDEX onboarding_pending ON onboarding (region_path text_pattern_ops) WHERE enrolment_id IS NULL`);
    await q.query(`CREATE INDEX onboarding_region ON onboarding (region_path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE onboarding_checklist (
        id uuid PRIMARY KEY,
        committee_id uuid NOT NULL,
        term_id uuid NOT NULL UNIQUE,
        committee_kind text NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        term_starts_on date NOT NULL,
        created_at timestamptz NOT NULL,
        completed_on date
      )`);
    await q.query(`CREATE INDEX onboarding_checklist_committee ON onboarding_checklist (committee_id, term_starts_on DESC)`);
    await q.query(`CREATE INDEX onboarding_checklist_region ON onboarding_checklist (region_path text_pattern_ops)`);
    await q.query(`
      CREATE TABLE checklist_task (
        checklist_id uuid NOT NULL REFERENCES onboarding_checklist(id),
        task text NOT NULL,
        evidence_note text,
        completed_on date,
        recorded_by text,
        recorded_at timestamptz,
        PRIMARY KEY (checklist_id, task)
      )`);

    await q.query(`
      CREATE TABLE mentorship (
        id uuid PRIMARY KEY,
        mentor_person_id uuid NOT NULL,
        mentee_person_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        starts_on date NOT NULL,
        ends_on date,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        CHECK (mentor_person_id <> mentee_person_id),
        CHECK (ends_on IS NULL OR ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX mentorship_mentor ON mentorship (mentor_person_id)`);
    await q.query(`CREATE INDEX mentorship_mentee ON mentorship (mentee_person_id)`);
    await q.query(`
      CREATE TABLE mentorship_meeting (
        id uuid PRIMARY KEY,
        mentorship_id uuid NOT NULL REFERENCES mentorship(id),
        held_on date NOT NULL,
        topic text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX mentorship_meeting_of ON mentorship_meeting (mentorship_id, held_on)`);

    await q.query(`
      CREATE TABLE seat_fact (
        position_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        term_id uuid NOT NULL,
        committee_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        role text NOT NULL,
        starts_on date NOT NULL,
        ends_on date
      )`);
    await q.query(`CREATE INDEX seat_fact_region ON seat_fact (region_path text_pattern_ops) WHERE ends_on IS NULL`);
  }
  async down(q: QueryRunner): Promise<void> {
    for (const table of ['seat_fact', 'mentorship_meeting', 'mentorship', 'checklist_task', 'onboarding_checklist', 'onboarding', 'enrolment', 'training_session', 'course']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`ALTER TABLE training_record DROP COLUMN reserve, DROP COLUMN facts_at`);
  }
}
