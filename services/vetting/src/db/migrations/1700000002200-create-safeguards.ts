import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The safeguards of 联审: pre-check findings, what vetting records by hand (民主评议, 诫勉谈话, 处分,
 * 近亲属, 纪律承诺书, election workers, 离任审计 and its findings), and three local projections of
 * other services' facts.
 *
 * The projections keep only what a check needs to decide (DESIGN: a subgraph keeps ids and what it
 * needs to decide), fed by events and never edited by hand:
 *   person_fact    birth date and gender (secretary age rule), region path — PersonRegistered/Updated;
 *   seat_fact      who sits on which committee of which unit (近亲属回避, secretaries' pledges) —
 *                  PositionAssigned/Ended;
 *   complaint_fact which substantiated complaint names whom, and its category — ComplaintSubstantiated.
 * No name, ID number, phone or complainant is kept.
 */
export class CreateSafeguards1700000002200 implements MigrationInterface {
  name = 'CreateSafeguards1700000002200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_fact (
        person_id uuid PRIMARY KEY,
        birth_date date NOT NULL,
        gender text NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        region_path text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE seat_fact (
        position_id uuid PRIMARY KEY,
        committee_id uuid NOT NULL,
        committee_kind text NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        person_id uuid NOT NULL,
        role text NOT NULL,
        starts_on date NOT NULL,
        ends_on date,
        end_reason text
      )`);
    await q.query(`CREATE INDEX seat_fact_current ON seat_fact (person_id) WHERE ends_on IS NULL`);
    await q.query(`CREATE INDEX seat_fact_region ON seat_fact (region_path text_pattern_ops) WHERE ends_on IS NULL`);
    await q.query(`
      CREATE TABLE complaint_fact (
        complaint_id uuid NOT NULL,
        person_id uuid NOT NULL,
        category text NOT NULL,
        election_id uuid,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        substantiated_at timestamptz NOT NULL,
        PRIMARY KEY (complaint_id, person_id)
      )`);
    await q.query(`CREATE INDEX complaint_fact_person ON complaint_fact (person_id)`);

    // What vetting records by hand. Every row carries the region path of the unit it concerns, so
    // reads are scoped like reviews; recorded_by is the caller's user id (never a name).
    await q.query(`
      CREATE TABLE democratic_evaluation (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        term_id uuid,
        evaluated_on date NOT NULL,
        satisfied int NOT NULL CHECK (satisfied >= 0),
        basically_satisfied int NOT NULL CHECK (basically_satisfied >= 0),
        dissatisfied int NOT NULL CHECK (dissatisfied >= 0),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CHECK (satisfied + basically_satisfied + dissatisfied > 0),
        UNIQUE (person_id, org_unit_id, evaluated_on)
      )`);
    await q.query(`
      CREATE TABLE admonition_talk (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        region_path text NOT NULL,
        held_on date NOT NULL,
        held_by text NOT NULL,
        evaluation_id uuid REFERENCES democratic_evaluation (id),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX admonition_talk_person ON admonition_talk (person_id)`);
    await q.query(`
      CREATE TABLE disciplinary_sanction (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        region_path text NOT NULL,
        kind text NOT NULL,
        effective_from date NOT NULL,
        effective_until date,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CHECK (effective_until IS NULL OR effective_until >= effective_from)
      )`);
    await q.query(`CREATE INDEX disciplinary_sanction_person ON disciplinary_sanction (person_id)`);
    // A relation is declared once per pair, whichever of the two it was declared for.
    await q.query(`
      CREATE TABLE close_relative (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        relative_person_id uuid NOT NULL,
        relation text NOT NULL,
        region_path text NOT NULL,
        declared_by text NOT NULL,
        declared_at timestamptz NOT NULL,
        CHECK (person_id <> relative_person_id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX close_relative_pair ON close_relative (LEAST(person_id, relative_person_id), GREATEST(person_id, relative_person_id))`,
    );
    await q.query(`CREATE INDEX close_relative_relative ON close_relative (relative_person_id)`);
    await q.query(`CREATE INDEX close_relative_person ON close_relative (person_id)`);

    // 纪律承诺书: one pledge per person, kind and election (candidates) or cycle (workers, secretaries).
    await q.query(`
      CREATE TABLE pledge (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('CANDIDATE', 'ELECTION_WORKER', 'UNIT_SECRETARY')),
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        election_id uuid,
        cycle_id uuid,
        signed_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CHECK (kind <> 'CANDIDATE' OR election_id IS NOT NULL),
        CHECK (kind = 'CANDIDATE' OR cycle_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX pledge_candidate ON pledge (person_id, election_id) WHERE kind = 'CANDIDATE'`);
    await q.query(`CREATE UNIQUE INDEX pledge_per_cycle ON pledge (person_id, kind, cycle_id) WHERE kind <> 'CANDIDATE'`);
    await q.query(`CREATE INDEX pledge_region ON pledge (region_path text_pattern_ops)`);
    // 换届工作人员: who must sign a 保证书 in a cycle (candidates come from reviews, secretaries from seats).
    await q.query(`
      CREATE TABLE election_worker (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        cycle_id uuid NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL,
        UNIQUE (person_id, cycle_id)
      )`);
    await q.query(`CREATE INDEX election_worker_region ON election_worker (region_path text_pattern_ops)`);

    // 离任审计: one audit per ended seat when opened from PositionEnded (position_id unique), any
    // number by hand. Findings stay OPEN until rectified or waived, whether or not the audit is closed.
    await q.query(`
      CREATE TABLE departure_audit (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        org_unit_id uuid NOT NULL,
        region_path text NOT NULL,
        position_id uuid UNIQUE,
        role text,
        origin text NOT NULL CHECK (origin IN ('POSITION_ENDED', 'MANUAL')),
        end_reason text,
        opened_on date NOT NULL,
        opened_by text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
        closed_at timestamptz,
        closed_by text,
        conclusion text,
        CHECK ((status = 'OPEN') = (closed_at IS NULL))
      )`);
    await q.query(`CREATE INDEX departure_audit_person ON departure_audit (person_id)`);
    await q.query(`CREATE INDEX departure_audit_region ON departure_audit (region_path text_pattern_ops)`);
    await q.query(`
      CREATE TABLE audit_finding (
        id uuid PRIMARY KEY,
        audit_id uuid NOT NULL REFERENCES departure_audit (id),
        person_id uuid NOT NULL,
        region_path text NOT NULL,
        seq int NOT NULL,
        description text NOT NULL,
        amount numeric(14, 2),
        deadline date NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'RECTIFIED', 'WAIVED')),
        resolved_on date,
        resolution_note text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (audit_id, seq),
        CHECK ((status = 'OPEN') = (resolved_on IS NULL))
      )`);
    await q.query(`CREATE INDEX audit_finding_open ON audit_finding (person_id) WHERE status = 'OPEN'`);

    // 预审结果: the findings of a review's last pre-check run, replaced whole on each run. No
    // foreign key to review: its check would take a key-share lock on the review row, and a run
    // (holding the per-person lock, see db/safeguards.ts) would then wait on a review command that
    // holds the row and waits for that person lock — a deadlock. Reviews are never deleted.
    await q.query(`
      CREATE TABLE pre_check_finding (
        review_id uuid NOT NULL,
        seq int NOT NULL,
        check_kind text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('BARS', 'NEEDS_DECISION', 'NEEDS_ADMONITION', 'INFO')),
        item_code text,
        source text NOT NULL,
        detail text NOT NULL,
        evidence_ids text[] NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (review_id, seq)
      )`);
    // When a review was last pre-checked (findings or none), and the seat stood for as the caller
    // gave it (ReviewRef.role), so a later re-run on a changed fact still applies the secretary rule.
    await q.query(`
      CREATE TABLE pre_check_run (
        review_id uuid PRIMARY KEY,
        computed_at timestamptz NOT NULL,
        today date NOT NULL,
        role text
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'pre_check_run',
      'pre_check_finding',
      'audit_finding',
      'departure_audit',
      'election_worker',
      'pledge',
      'close_relative',
      'disciplinary_sanction',
      'admonition_talk',
      'democratic_evaluation',
      'complaint_fact',
      'seat_fact',
      'person_fact',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
