import type { EntityManager } from 'typeorm';
import { recordEvent, ReviewConcluded, ReviewOpened, ReviewReopened } from '@huanjie/events';
import {
  badInput,
  conflict,
  DomainError,
  forbidden,
  isUuid,
  notFound,
  regionPathFromCode,
  requireInScope,
  requireRole,
  shanghaiDate,
  writeAudit,
} from '@huanjie/platform';
import { clearingBlocks, runPreChecks } from '../db/safeguards';
import { ReviewStore, type ConclusionRecord, type OpinionRow, type ReviewRow } from '../db/review.store';
import type { VettingContext } from '../deps';
import { policyById, policyFor, type ReviewPolicy } from '../domain/negative-lists.data';
import {
  advance,
  callerDepartment,
  checkConclusion,
  checkOpinion,
  disqualifyOnFinding,
  isOpen,
  reopen,
  type Conclusion,
  type ConclusionInput,
  type OpinionFact,
  type OpinionInput,
} from '../domain/review.rules';

/** Who acts: a user through the graph, or the system on an event (userId 'system:<event>'). */
export interface Actor {
  userId: string;
  /** The caller's roles, for the audit record; none for system work. */
  roles?: readonly string[];
  requestId: string | null;
  newId: () => string;
  now: () => Date;
}

const actorOf = (ctx: VettingContext): Actor => ({ userId: ctx.auth.userId, roles: ctx.auth.roles, requestId: ctx.requestId, newId: ctx.deps.newId, now: ctx.deps.now });

const audit = (manager: EntityManager, actor: Actor, action: string, review: ReviewRow, before: object | null, after: object | null) =>
  writeAudit(manager, {
    actor: actor.userId,
    roles: actor.roles,
    action,
    entityType: 'Review',
    entityId: review.id,
    regionPath: review.region_path,
    requestId: actor.requestId,
    before: before === null ? null : { ...before },
    after: after === null ? null : { ...after },
  });

/** The state an audit record keeps of a review (its ids and workflow state; no notes). */
const stateOf = (r: ReviewRow) => ({ status: r.status, level: r.level, round: r.round, negativeListCodes: r.negative_list_codes });

/** The opinions as the rules see them: current = not superseded and of the review's current round. */
export function opinionFacts(review: Pick<ReviewRow, 'round'>, opinions: readonly OpinionRow[]): OpinionFact[] {
  return opinions.map((o) => ({
    id: o.id,
    level: o.level,
    department: o.department as OpinionFact['department'],
    decision: o.decision,
    itemCodes: o.item_codes,
    current: o.superseded_by === null && o.round === review.round,
  }));
}

/**
 * Runs a command on one review: checks the role, opens the transaction, locks the review (so
 * commands on it queue) — NOT_FOUND when it is absent or outside the caller's scope — and wakes
 * the outbox relay once the transaction has committed.
 */
async function onReview<T>(
  ctx: VettingContext,
  action: string,
  reviewId: string,
  work: (manager: EntityManager, review: ReviewRow, policy: ReviewPolicy, opinions: OpinionRow[], store: ReviewStore) => Promise<T>,
): Promise<T> {
  const result = await ctx.deps.dataSource.transaction(async (manager) => {
    const store = new ReviewStore(manager, ctx.auth.regionPath);
    const review = await store.lock(reviewId);
    if (!review) throw notFound('REVIEW.NOT_FOUND', `REVIEW.NOT_FOUND: no review ${reviewId} within your region scope (${action})`);
    return work(manager, review, policyById(review.policy_id), await store.opinionsOf([review.id]), store);
  });
  ctx.deps.onEventsRecorded();
  return result;
}

export interface OpenReviewFacts {
  candidateId: string;
  electionId: string;
  personId: string;
  orgUnitId: string;
  regionPath: string;
  openedAt: Date;
  openedBy: 'NOMINATION' | 'HAND';
  /** The seat stood for, when known (the secretary age pre-check needs it). */
  role?: string | null;
}

/**
 * Opens the review of a candidate under the policy in force in its region on the day: records
 * ReviewOpened and runs the pre-checks, in the caller's transaction. Null when the candidate
 * already has a review (a nomination delivered again, or a second opening by hand).
 */
export async function openReviewFor(manager: EntityManager, actor: Actor, facts: OpenReviewFacts): Promise<ReviewRow | null> {
  const policy = policyFor(facts.regionPath, shanghaiDate(facts.openedAt));
  const store = new ReviewStore(manager, '');
  const review = await store.open({
    id: actor.newId(),
    candidate_id: facts.candidateId,
    election_id: facts.electionId,
    person_id: facts.personId,
    org_unit_id: facts.orgUnitId,
    region_path: facts.regionPath,
    opened_at: facts.openedAt,
    policy_id: policy.id,
    level: policy.levels[0]!.level,
    opened_by: facts.openedBy,
  });
  if (!review) return null;
  await store.addHistory({ review_id: review.id, at: facts.openedAt, actor: actor.userId, kind: 'OPENED', level: review.level, round: 1, detail: { policyId: policy.id, openedBy: facts.openedBy } });
  await recordEvent(manager, ReviewOpened, {
    subject: review.id,
    data: {
      reviewId: review.id,
      candidateId: review.candidate_id,
      electionId: review.election_id,
      personId: review.person_id,
      orgUnitId: review.org_unit_id,
      regionPath: review.region_path,
      level: review.level,
      policyId: policy.id,
      openedBy: facts.openedBy,
    },
  });
  await audit(manager, actor, 'openReview', review, null, { ...stateOf(review), candidateId: review.candidate_id, policyId: policy.id, openedBy: facts.openedBy });
  await runPreChecks(manager, { ...review, role: facts.role ?? null }, actor.now());
  return review;
}

export interface OpenReviewInput {
  candidateId: string;
  electionId: string;
  personId: string;
  orgUnitId: string;
  /** 行政区划代码 of the village or community (the review's region path comes from it). */
  orgUnitCode: string;
  /** The seat stood for (职务, e.g. SECRETARY), when known. */
  role?: string | null;
}

/** 人工启动联审: for a candidate whose nomination never reached vetting (ORG_ADMIN). */
export async function openReview(ctx: VettingContext, input: OpenReviewInput): Promise<ReviewRow> {
  requireRole(ctx.auth, ['ORG_ADMIN'], 'openReview');
  for (const [field, value] of Object.entries({ candidateId: input.candidateId, electionId: input.electionId, personId: input.personId, orgUnitId: input.orgUnitId })) {
    if (!isUuid(value)) throw badInput('REVIEW.ID', `REVIEW.ID: ${field} must be a uuid, got ${JSON.stringify(value)}`);
  }
  const seats = ['SECRETARY', 'DEPUTY_SECRETARY', 'PARTY_MEMBER_SEAT', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER', 'WOMEN_MEMBER'];
  if (input.role != null && !seats.includes(input.role)) {
    throw badInput('REVIEW.ROLE', `REVIEW.ROLE: role must be one of ${seats.join(', ')}, got ${JSON.stringify(input.role)}`);
  }
  const regionPath = regionPathFromCode(input.orgUnitCode);
  requireInScope(ctx.auth, regionPath, `the unit ${input.orgUnitCode}`);
  const review = await ctx.deps.dataSource.transaction((manager) =>
    openReviewFor(manager, actorOf(ctx), { ...input, regionPath, openedAt: ctx.deps.now(), openedBy: 'HAND' }),
  );
  if (!review) throw conflict('REVIEW.ALREADY_OPEN', `REVIEW.ALREADY_OPEN: candidate ${input.candidateId} already has a review`);
  ctx.deps.onEventsRecorded();
  return review;
}

/** 部门意见: a department's reviewer records its opinion at the review's current level (see checkOpinion). */
export async function recordOpinion(ctx: VettingContext, input: OpinionInput & { reviewId: string }): Promise<OpinionRow> {
  // Who may answer at all is settled before the review is looked up: a caller with no 联审
  // department is refused alike wherever the review lies (not NOT_FOUND outside the scope).
  if (callerDepartment(ctx.auth) === null) {
    throw forbidden(
      'REVIEW.OWN_DEPARTMENT_ONLY',
      'REVIEW.OWN_DEPARTMENT_ONLY: an opinion is given by a 联审 department\'s reviewer (REVIEWER with its department) or the township (TOWN_OFFICER); you speak for no 联审 department',
    );
  }
  return onReview(ctx, 'recordOpinion', input.reviewId, async (manager, review, policy, _opinions, store) => {
    const opinion = checkOpinion(policy, review, ctx.auth, input);
    const actor = actorOf(ctx);
    const row: OpinionRow = {
      id: actor.newId(),
      review_id: review.id,
      round: review.round,
      level: review.level,
      department: opinion.department,
      decision: opinion.decision,
      item_codes: opinion.itemCodes,
      note: opinion.note,
      recorded_by: actor.userId,
      recorded_at: actor.now(),
      superseded_by: null,
      region_path: review.region_path,
    };
    const superseded = await store.addOpinion(row);
    await store.addHistory({
      review_id: review.id,
      at: row.recorded_at,
      actor: actor.userId,
      kind: 'OPINION',
      level: review.level,
      round: review.round,
      detail: { opinionId: row.id, department: row.department, decision: row.decision, itemCodes: row.item_codes, supersedes: superseded },
    });
    await audit(manager, actor, 'recordOpinion', review, superseded ? { supersededOpinionId: superseded } : null, {
      opinionId: row.id,
      department: row.department,
      decision: row.decision,
      itemCodes: row.item_codes,
      level: row.level,
      round: row.round,
    });
    return row;
  });
}

/** 提交上一级审查: every department of the level has answered; the review moves to the next level (ORG_ADMIN). */
export async function advanceReviewLevel(ctx: VettingContext, input: { reviewId: string }): Promise<ReviewRow> {
  requireRole(ctx.auth, ['ORG_ADMIN'], 'advanceReviewLevel');
  return onReview(ctx, 'advanceReviewLevel', input.reviewId, async (manager, review, policy, opinions, store) => {
    const level = advance(policy, review, opinionFacts(review, opinions));
    const actor = actorOf(ctx);
    const next: ReviewRow = { ...review, level, level_entered_at: actor.now() };
    await store.save(next);
    await store.addHistory({ review_id: review.id, at: next.level_entered_at, actor: actor.userId, kind: 'ADVANCED', level, round: review.round, detail: { from: review.level } });
    await audit(manager, actor, 'advanceReviewLevel', review, stateOf(review), stateOf(next));
    return next;
  });
}

/** Writes a conclusion, its history and audit, and publishes ReviewConcluded (elections decides eligibility on it). */
async function concludeWith(manager: EntityManager, actor: Actor, store: ReviewStore, review: ReviewRow, conclusion: Conclusion, action: string): Promise<ReviewRow> {
  const at = actor.now();
  const record: ConclusionRecord = { ...conclusion, concludedBy: actor.userId, concludedAt: at.toISOString(), round: review.round, level: review.level };
  const next: ReviewRow = { ...review, status: conclusion.outcome, concluded_at: at, negative_list_codes: conclusion.itemCodes, conclusion: record };
  await store.save(next);
  await store.addHistory({ review_id: review.id, at, actor: actor.userId, kind: 'CONCLUDED', level: review.level, round: review.round, detail: { ...conclusion } });
  await recordEvent(manager, ReviewConcluded, {
    subject: review.id,
    data: {
      reviewId: review.id,
      candidateId: review.candidate_id,
      personId: review.person_id,
      regionPath: review.region_path,
      outcome: conclusion.outcome,
      negativeListCodes: conclusion.itemCodes,
    },
  });
  await audit(manager, actor, action, review, stateOf(review), { ...stateOf(next), conclusion: { ...conclusion } });
  return next;
}

/**
 * 审查结论 (ORG_ADMIN), see checkConclusion. Clearing also asks the safeguards (pledge signed,
 * audit findings resolved, no barring pre-check finding, admonition talk held): any block refuses
 * it with CONFLICT REVIEW.CLEARING_BLOCKED naming every block.
 */
export async function concludeReview(ctx: VettingContext, input: ConclusionInput & { reviewId: string }): Promise<ReviewRow> {
  requireRole(ctx.auth, ['ORG_ADMIN'], 'concludeReview');
  return onReview(ctx, 'concludeReview', input.reviewId, async (manager, review, policy, opinions, store) => {
    const conclusion = checkConclusion(policy, review, opinionFacts(review, opinions), input);
    if (conclusion.outcome === 'CLEARED') {
      const blocks = await clearingBlocks(manager, review, ctx.deps.now());
      if (blocks.length > 0) {
        throw new DomainError('CONFLICT', 'REVIEW.CLEARING_BLOCKED', `REVIEW.CLEARING_BLOCKED: ${blocks.map((b) => `${b.rule}: ${b.message}`).join('; ')}`, { blocks });
      }
    }
    return concludeWith(manager, actorOf(ctx), store, review, conclusion, 'concludeReview');
  });
}

async function reopenWith(
  manager: EntityManager,
  actor: Actor,
  store: ReviewStore,
  review: ReviewRow,
  policy: ReviewPolicy,
  why: { reason: 'COMPLAINT_SUBSTANTIATED' | 'BY_HAND'; complaintId: string | null; note: string | null },
): Promise<ReviewRow> {
  const state = reopen(policy, review);
  const at = actor.now();
  const previousOutcome = review.status as 'CLEARED' | 'DISQUALIFIED';
  // The conclusion set aside stays in the history; the review carries none until it concludes again.
  const next: ReviewRow = { ...review, ...state, level_entered_at: at, concluded_at: null, negative_list_codes: [], conclusion: null };
  await store.save(next);
  await store.addHistory({ review_id: review.id, at, actor: actor.userId, kind: 'REOPENED', level: next.level, round: next.round, detail: { previousOutcome, ...why } });
  await recordEvent(manager, ReviewReopened, {
    subject: review.id,
    data: {
      reviewId: review.id,
      candidateId: review.candidate_id,
      personId: review.person_id,
      regionPath: review.region_path,
      level: next.level,
      round: next.round,
      previousOutcome,
      reason: why.reason,
      complaintId: why.complaintId,
    },
  });
  await audit(manager, actor, 'reopenReview', review, stateOf(review), { ...stateOf(next), ...why });
  return next;
}

/** 重新审查 by the organisation department (e.g. new facts, an appeal upheld), with the reason. */
export async function reopenReview(ctx: VettingContext, input: { reviewId: string; reason: string }): Promise<ReviewRow> {
  requireRole(ctx.auth, ['ORG_ADMIN'], 'reopenReview');
  const note = input.reason.trim();
  if (note.length === 0 || Array.from(note).length > 500) throw badInput('REVIEW.REOPEN_REASON', 'REVIEW.REOPEN_REASON: the reason for reopening must be 1–500 characters');
  return onReview(ctx, 'reopenReview', input.reviewId, (manager, review, policy, _opinions, store) =>
    reopenWith(manager, actorOf(ctx), store, review, policy, { reason: 'BY_HAND', complaintId: null, note }),
  );
}

export interface Finding {
  complaintId: string;
  orgUnitId: string;
  category: string;
  electionId: string | null;
  subjectPersonIds: readonly string[];
}

/**
 * A substantiated complaint about candidates under review or cleared. On a 三个一律 ground
 * (vote-buying, clan or criminal interference) their reviews conclude DISQUALIFIED at once, citing
 * the item and the complaint; on any other ground a cleared review reopens for the departments to
 * weigh the finding, and an open one notes it in its history. Disqualified reviews stay as they are.
 */
export async function applyFinding(manager: EntityManager, actor: Actor, finding: Finding): Promise<void> {
  const store = new ReviewStore(manager, '');
  const reviews = await store.lockForFinding(finding.subjectPersonIds, finding.electionId, finding.orgUnitId);
  for (const review of reviews) {
    const policy = policyById(review.policy_id);
    const conclusion = disqualifyOnFinding(policy, review, finding);
    if (conclusion) {
      await concludeWith(manager, actor, store, review, conclusion, 'disqualifyOnFinding');
    } else if (review.status === 'CLEARED') {
      await reopenWith(manager, actor, store, review, policy, { reason: 'COMPLAINT_SUBSTANTIATED', complaintId: finding.complaintId, note: finding.category });
    } else if (isOpen(review.status)) {
      await store.addHistory({
        review_id: review.id,
        at: actor.now(),
        actor: actor.userId,
        kind: 'FINDING_NOTED',
        level: review.level,
        round: review.round,
        detail: { complaintId: finding.complaintId, category: finding.category },
      });
      await audit(manager, actor, 'noteFinding', review, null, { complaintId: finding.complaintId, category: finding.category });
    }
  }
}
