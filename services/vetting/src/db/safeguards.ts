import type { EntityManager } from 'typeorm';
import { onlyUuids, shanghaiDate } from '@huanjie/platform';
import {
  preCheckBlocks,
  runPreCheckRules,
  type ComplaintCategory,
  type PreCheckFacts,
  type PreCheckFinding,
} from '../domain/pre-checks.rules';
import type { RelationKind } from '../domain/safeguard-policy.data';

/**
 * The safeguards as the reviews use them, in the caller's transaction: the pre-checks of a review
 * (runPreChecks stores them) and what stops a review from being cleared (clearingBlocks).
 *
 * Facts come from vetting's own tables: the projections of personnel's and complaints' events
 * (person_fact, seat_fact, complaint_fact) and what vetting records by hand. They are read for the
 * system, without the caller's region scope: a sanction recorded in another district still counts.
 * Every read is batched over many reviews, so N reviews cost the same fixed number of statements.
 */

export interface ReviewRef {
  id: string;
  person_id: string;
  candidate_id: string;
  election_id: string;
  org_unit_id: string;
  region_path: string;
  role?: string | null;
}

export interface ClearingBlock {
  rule: string;
  message: string;
}

/** Reviews still to be concluded: only these have their pre-checks refreshed. */
const UNDECIDED = `('OPEN', 'REOPENED')`;

async function sequentially(statements: (() => Promise<unknown[]>)[]): Promise<unknown[][]> {
  const results: unknown[][] = [];
  for (const run of statements) results.push(await run());
  return results;
}

const isoDate = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

/** The facts of many reviews' people, in seven statements whatever the number of reviews. */
async function factsOf(manager: EntityManager, reviews: readonly ReviewRef[], now: Date): Promise<Map<string, PreCheckFacts>> {
  const today = shanghaiDate(now);
  const personIds = onlyUuids([...new Set(reviews.map((r) => r.person_id))]);
  const p = [personIds];
  // One after another: in a transaction they share one connection, which runs one statement at a time.
  const statements: (() => Promise<unknown[]>)[] = [
    () => manager.query(`SELECT person_id, birth_date::text AS birth_date, gender FROM person_fact WHERE person_id = ANY($1::uuid[])`, p),
    () =>
      manager.query(
        `SELECT id, person_id, evaluated_on::text AS evaluated_on, satisfied, basically_satisfied, dissatisfied
         FROM democratic_evaluation WHERE person_id = ANY($1::uuid[])`,
        p,
      ),
    () => manager.query(`SELECT id, person_id, held_on::text AS held_on FROM admonition_talk WHERE person_id = ANY($1::uuid[])`, p),
    () =>
      manager.query(
        `SELECT id, person_id, kind, effective_from::text AS effective_from, effective_until::text AS effective_until
         FROM disciplinary_sanction WHERE person_id = ANY($1::uuid[]) ORDER BY effective_from, id`,
        p,
      ),
    () =>
      manager.query(
        `SELECT complaint_id, person_id, category, election_id FROM complaint_fact WHERE person_id = ANY($1::uuid[]) ORDER BY substantiated_at, complaint_id`,
        p,
      ),
    // Declared relatives (either side of the declaration) holding a current seat in the unit the
    // person stands in, for each (person, unit) pair under review.
    () =>
      manager.query(
        `SELECT DISTINCT q.person_id, q.org_unit_id, r.id AS relation_id, r.relation, s.position_id, s.committee_kind, s.role
         FROM unnest($1::uuid[], $2::uuid[]) AS q(person_id, org_unit_id)
         JOIN close_relative r ON q.person_id IN (r.person_id, r.relative_person_id)
         JOIN seat_fact s ON s.person_id = CASE WHEN r.person_id = q.person_id THEN r.relative_person_id ELSE r.person_id END
                         AND s.org_unit_id = q.org_unit_id AND s.ends_on IS NULL
        ORDER BY s.position_id`,
        [reviews.map((r) => r.person_id), reviews.map((r) => r.org_unit_id)],
      ),
    () =>
      manager.query(
        `SELECT id, audit_id, person_id, deadline::text AS deadline, description
         FROM audit_finding WHERE person_id = ANY($1::uuid[]) AND status = 'OPEN' ORDER BY deadline, id`,
        p,
      ),
  ];
  const [people, evaluations, admonitions, sanctions, complaints, relatives, findings] = await sequentially(statements);
  const byPerson = <T extends { person_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.person_id, [...(map.get(row.person_id) ?? []), row]);
    return (id: string) => map.get(id) ?? [];
  };
  const person = new Map<string, { birth_date: string; gender: 'MALE' | 'FEMALE' }>(
    (people as { person_id: string; birth_date: string; gender: 'MALE' | 'FEMALE' }[]).map((r) => [r.person_id, r]),
  );
  const ev = byPerson(
    evaluations as {
      id: string;
      person_id: string;
      evaluated_on: string;
      satisfied: number;
      basically_satisfied: number;
      dissatisfied: number;
    }[],
  );
  const ad = byPerson(admonitions as { id: string; person_id: string; held_on: string }[]);
  const sa = byPerson(
    sanctions as { id: string; person_id: string; kind: string; effective_from: string; effective_until: string | null }[],
  );
  const co = byPerson(complaints as { complaint_id: string; person_id: string; category: ComplaintCategory; election_id: string | null }[]);
  const fi = byPerson(findings as { id: string; audit_id: string; person_id: string; deadline: string; description: string }[]);
  const re = byPerson(
    relatives as {
      person_id: string;
      org_unit_id: string;
      relation_id: string;
      relation: string;
      position_id: string;
      committee_kind: string;
      role: string;
    }[],
  );
  const out = new Map<string, PreCheckFacts>();
  for (const r of reviews) {
    const who = person.get(r.person_id);
    out.set(r.id, {
      today,
      role: r.role ?? null,
      regionPath: r.region_path,
      person: who ? { birthDate: who.birth_date, gender: who.gender } : null,
      evaluations: ev(r.person_id).map((e) => ({
        id: e.id,
        evaluatedOn: e.evaluated_on,
        satisfied: e.satisfied,
        basicallySatisfied: e.basically_satisfied,
        dissatisfied: e.dissatisfied,
      })),
      admonitions: ad(r.person_id).map((a) => ({ id: a.id, heldOn: a.held_on })),
      sanctions: sa(r.person_id).map((s) => ({
        id: s.id,
        kind: s.kind,
        effectiveFrom: s.effective_from,
        effectiveUntil: s.effective_until,
      })),
      complaints: co(r.person_id).map((c) => ({ complaintId: c.complaint_id, category: c.category, electionId: c.election_id })),
      relativesSeated: re(r.person_id)
        .filter((x) => x.org_unit_id === r.org_unit_id)
        .map((x) => ({
          relationId: x.relation_id,
          relation: x.relation as RelationKind,
          positionId: x.position_id,
          committeeKind: x.committee_kind,
          role: x.role,
        })),
      openAuditFindings: fi(r.person_id).map((f) => ({
        id: f.id,
        auditId: f.audit_id,
        deadline: isoDate(f.deadline),
        description: f.description,
      })),
    });
  }
  return out;
}

/** The pre-check findings of many reviews, computed now from the facts, without storing them. */
export async function evaluatePreChecks(
  manager: EntityManager,
  reviews: readonly ReviewRef[],
  now: Date,
): Promise<Map<string, PreCheckFinding[]>> {
  if (reviews.length === 0) return new Map();
  const facts = await factsOf(manager, reviews, now);
  return new Map(reviews.map((r) => [r.id, runPreCheckRules(facts.get(r.id)!)]));
}

/** Replaces the stored findings of many reviews with a fresh run: two statements of writes. */
async function storePreChecks(manager: EntityManager, reviews: readonly ReviewRef[], now: Date): Promise<void> {
  if (reviews.length === 0) return;
  const findings = await evaluatePreChecks(manager, reviews, now);
  const ids = reviews.map((r) => r.id);
  const rows = reviews.flatMap((r) => findings.get(r.id)!.map((f, i) => ({ review_id: r.id, seq: i + 1, ...f })));
  // Unreferenced data-modifying CTEs run after the main statement, so the delete goes first on its own.
  await manager.query(`DELETE FROM pre_check_finding WHERE review_id = ANY($1::uuid[])`, [ids]);
  await manager.query(
    `WITH ran AS (
       INSERT INTO pre_check_run (review_id, computed_at, today, role) SELECT unnest($1::uuid[]), $2, $3, unnest($5::text[])
       ON CONFLICT (review_id) DO UPDATE
         SET computed_at = EXCLUDED.computed_at, today = EXCLUDED.today, role = COALESCE(EXCLUDED.role, pre_check_run.role))
     INSERT INTO pre_check_finding (review_id, seq, check_kind, outcome, item_code, source, detail, evidence_ids, computed_at)
     SELECT f.review_id, f.seq, f.check_kind, f.outcome, f.item_code, f.source, f.detail,
            ARRAY(SELECT jsonb_array_elements_text(f.evidence_ids)), $2
       FROM jsonb_to_recordset($4::jsonb)
         AS f(review_id uuid, seq int, check_kind text, outcome text, item_code text, source text, detail text, evidence_ids jsonb)`,
    [
      ids,
      now,
      shanghaiDate(now),
      JSON.stringify(
        rows.map((r) => ({
          review_id: r.review_id,
          seq: r.seq,
          check_kind: r.check,
          outcome: r.outcome,
          item_code: r.itemCode,
          source: r.source,
          detail: r.detail,
          evidence_ids: r.evidenceIds,
        })),
      ),
      reviews.map((r) => r.role ?? null),
    ],
  );
}

/**
 * Serialises pre-check runs per person until the transaction ends. A run reads the facts after
 * taking the lock, so of two transactions that each add a fact (or open a review) for the same
 * person, the later run sees the earlier one's commit and its findings are the last written.
 */
async function lockPeople(manager: EntityManager, personIds: readonly string[]): Promise<void> {
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('vetting.pre-checks:' || id::text, 0)) FROM unnest($1::uuid[]) AS id ORDER BY id`,
    [onlyUuids(personIds)],
  );
}

/**
 * Computes and stores the pre-check findings of a review, replacing any earlier run (so calling it
 * again is harmless). Runs in the caller's transaction.
 */
export async function runPreChecks(manager: EntityManager, review: ReviewRef, now: Date): Promise<void> {
  await lockPeople(manager, [review.person_id]);
  await storePreChecks(manager, [review], now);
}

/**
 * Re-runs the pre-checks of the undecided reviews of some people: called whenever a fact about them
 * changes (an event, or something recorded by hand), so what the reviewers see stays current.
 * The seat stood for (role) is the review's when its table has one, else the one the last run
 * was given.
 */
export async function refreshPreChecksOf(manager: EntityManager, personIds: readonly string[], now: Date): Promise<number> {
  const ids = onlyUuids([...new Set(personIds)]);
  if (ids.length === 0) return 0;
  await lockPeople(manager, ids);
  // The seat stood for: the review's own, if its table keeps one, else what the last run was given.
  const reviews: (ReviewRef & { run_role: string | null })[] = await manager.query(
    `SELECT r.*, pcr.role AS run_role FROM review r LEFT JOIN pre_check_run pcr ON pcr.review_id = r.id
      WHERE r.person_id = ANY($1::uuid[]) AND r.status IN ${UNDECIDED}`,
    [ids],
  );
  await storePreChecks(
    manager,
    reviews.map((r) => ({ ...refOf(r), role: r.role ?? r.run_role })),
    now,
  );
  return reviews.length;
}

/** A ReviewRef from a review row (whatever else the row carries). */
export function refOf(row: ReviewRef): ReviewRef {
  return {
    id: row.id,
    person_id: row.person_id,
    candidate_id: row.candidate_id,
    election_id: row.election_id,
    org_unit_id: row.org_unit_id,
    region_path: row.region_path,
    role: row.role ?? null,
  };
}

/**
 * Why each of many reviews may not be CLEARED now: the pre-checks evaluated afresh (a stored run
 * may be older than the facts), the candidate's pledge for the election, and the person's open
 * departure-audit findings. Nine statements whatever the number of reviews.
 */
export async function clearingBlocksOf(
  manager: EntityManager,
  reviews: readonly ReviewRef[],
  now: Date = new Date(),
): Promise<Map<string, ClearingBlock[]>> {
  if (reviews.length === 0) return new Map();
  const findings = await evaluatePreChecks(manager, reviews, now);
  const pledged: { person_id: string; election_id: string }[] = await manager.query(
    `SELECT DISTINCT p.person_id, p.election_id
         FROM pledge p JOIN unnest($1::uuid[], $2::uuid[]) AS q(person_id, election_id)
           ON p.person_id = q.person_id AND p.election_id = q.election_id
        WHERE p.kind = 'CANDIDATE'`,
    [reviews.map((r) => r.person_id), reviews.map((r) => r.election_id)],
  );
  const signed = new Set(pledged.map((p) => `${p.person_id}|${p.election_id}`));
  const out = new Map<string, ClearingBlock[]>();
  for (const r of reviews) {
    const blocks: ClearingBlock[] = [];
    if (!signed.has(`${r.person_id}|${r.election_id}`)) {
      blocks.push({
        rule: 'PLEDGE.MISSING',
        message: 'the candidate has not signed the 换届纪律承诺书 for this election; a candidate without a signed pledge cannot be cleared',
      });
    }
    const own = findings.get(r.id)!;
    for (const f of own.filter((x) => x.check === 'AUDIT_FINDING_OPEN')) {
      blocks.push({
        rule: 'AUDIT.FINDING_OPEN',
        message: `a departure-audit (离任审计) finding of this person is not rectified (finding ${f.evidenceIds[0]}): ${f.detail}`,
      });
    }
    blocks.push(...preCheckBlocks(own));
    out.set(r.id, blocks);
  }
  return out;
}

/**
 * Why the review may not be CLEARED now; empty when nothing stops it. `now` decides what is in
 * force today (sanctions, ages): pass the service clock; the real clock otherwise.
 */
export async function clearingBlocks(manager: EntityManager, review: ReviewRef, now: Date = new Date()): Promise<ClearingBlock[]> {
  return (await clearingBlocksOf(manager, [review], now)).get(review.id)!;
}
