import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 选民登记 — the voter rolls of villagers' and residents' committee elections, and the objections
 * (申诉) to a published list. A voter is identified by the HMAC blind index of the national ID
 * number (the number itself is never stored; a masked form is shown). Rows are never deleted: an
 * upheld objection sets removed_at, and "on the roll" means removed_at IS NULL — the tally counts
 * `SELECT count(*) FROM voter WHERE election_id = $1 AND removed_at IS NULL`.
 */
export class CreateVoterRolls1700000003300 implements MigrationInterface {
  name = 'CreateVoterRolls1700000003300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE election ADD COLUMN voter_list_published_on date`);
    await q.query(`
      CREATE TABLE voter (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        election_id uuid NOT NULL,
        cycle_id uuid NOT NULL,
        region_path text NOT NULL,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
        id_blind_index char(64) NOT NULL,
        id_number_masked text NOT NULL,
        household text NOT NULL CHECK (char_length(household) BETWEEN 1 AND 40),
        basis text NOT NULL CHECK (basis IN ('HUKOU', 'HUKOU_RESIDENT', 'NON_HUKOU_RESIDENT')),
        birth_date date NOT NULL,
        resident_since date,
        approved_on date,
        registered_by text NOT NULL,
        import_id uuid,
        registered_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz,
        removal_reason text,
        CHECK ((removed_at IS NULL) = (removal_reason IS NULL)),
        CHECK ((basis = 'NON_HUKOU_RESIDENT') = (resident_since IS NOT NULL AND approved_on IS NOT NULL))
      )`);
    // election_id → election, with cycle_id its election's cycle, checked once per statement over all
    // the rows it added rather than by a foreign key's trigger per row: a FOREIGN KEY cost 40 % of
    // inserting a million voters (one lookup of the same election per row). Elections are never
    // deleted (the state machine keeps every one as history), and a voter never changes election.
    await q.query(`
      CREATE FUNCTION voter_election_exists() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM added a WHERE NOT EXISTS (SELECT 1 FROM election e WHERE e.id = a.election_id AND e.cycle_id = a.cycle_id)) THEN
          RAISE EXCEPTION 'voter.election_id must name an election, and voter.cycle_id its cycle' USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER voter_election_exists AFTER INSERT ON voter REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION voter_election_exists()`);
    await q.query(`
      CREATE FUNCTION voter_election_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a voter stays on the roll of the election it was registered in' USING ERRCODE = 'foreign_key_violation';
      END $$`);
    await q.query(`CREATE TRIGGER voter_election_fixed BEFORE UPDATE OF election_id, cycle_id ON voter FOR EACH ROW EXECUTE FUNCTION voter_election_fixed()`);
    // One active registration per person in the whole cycle (across all its elections).
    await q.query(`CREATE UNIQUE INDEX voter_one_per_cycle ON voter (cycle_id, id_blind_index) WHERE removed_at IS NULL`);
    // The roll in its order (household, name), paged by keyset; also serves the tally's count.
    await q.query(`CREATE INDEX voter_roll ON voter (election_id, household, name, id)`);

    await q.query(`
      CREATE TABLE voter_objection (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        election_id uuid NOT NULL REFERENCES election (id),
        voter_id uuid REFERENCES voter (id),
        region_path text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('WRONGLY_LISTED', 'MISSING', 'DETAILS_WRONG')),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
        proposed jsonb,
        filed_by text NOT NULL,
        filed_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'UPHELD', 'DISMISSED')),
        decided_by text,
        decided_at timestamptz,
        decision_note text,
        registered_voter_id uuid REFERENCES voter (id),
        CHECK ((kind = 'MISSING') = (voter_id IS NULL)),
        CHECK ((status = 'OPEN') = (decided_at IS NULL))
      )`);
    await q.query(`CREATE INDEX voter_objection_election ON voter_objection (election_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE voter_objection`);
    await q.query(`DROP TABLE voter`);
    await q.query(`DROP FUNCTION voter_election_fixed`);
    await q.query(`DROP FUNCTION voter_election_exists`);
    await q.query(`ALTER TABLE election DROP COLUMN voter_list_published_on`);
  }
}
