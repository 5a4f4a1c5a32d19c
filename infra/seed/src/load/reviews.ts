import { setTimeout as sleep } from 'node:timers/promises';
import type { SeedCandidate } from '../generate/types';
import type { LoadContext } from './context';
import type { LoadedElection } from './elections';
import type { Actor, Graph } from './graph';
import { forEachLimit } from './progress';

/**
 * 联审 of the pilot units' candidates, to the end: vetting opened each review when the nomination
 * arrived (CandidateNominated); every department the policy asks for at each level (镇初审 → 县级
 * 联审) gives its opinion as that department's reviewer, the 组织部 moves the review up and
 * concludes it — CLEARED, or DISQUALIFIED on the department's BAR (the item and the opinion cited).
 */
const REVIEW_OF = `query SeedReviewOf($id: ID!) {
  candidate(id: $id) {
    review { id status level levels requiredDepartments { department level answered } clearingBlocks { rule message } }
  }
}`;
const RECORD_OPINION = `mutation SeedOpinion($input: RecordOpinionInput!) { recordOpinion(input: $input) { id } }`;
const ADVANCE_LEVEL = `mutation SeedAdvanceLevel($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { level } }`;
const CONCLUDE = `mutation SeedConclude($input: ConcludeReviewInput!) { concludeReview(input: $input) { status } }`;

interface ReviewView {
  id: string;
  status: string;
  level: string;
  levels: string[];
  requiredDepartments: { department: string; level: string; answered: boolean }[];
  clearingBlocks: { rule: string; message: string }[];
}

/** The township's officer speaks for TOWNSHIP (镇初审); every other department has its reviewer. */
const actorFor = (department: string): Actor => (department === 'TOWNSHIP' ? 'TOWN_OFFICER' : `REVIEWER:${department}`);

async function reviewOf(
  graph: Graph,
  candidateId: string,
  until: (r: ReviewView) => boolean,
  deadline: number,
  what: string,
): Promise<ReviewView> {
  for (;;) {
    const { candidate } = await graph.send<{ candidate: { review: ReviewView | null } | null }>('ORG_ADMIN', REVIEW_OF, {
      id: candidateId,
    });
    const review = candidate?.review ?? null;
    if (review && until(review)) return review;
    if (Date.now() > deadline) throw new Error(`${what} (candidate ${candidateId}); last seen: ${JSON.stringify(review)}`);
    await sleep(250);
  }
}

async function concludeOne(graph: Graph, candidateId: string, plan: NonNullable<SeedCandidate['review']>, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let review = await reviewOf(graph, candidateId, () => true, deadline, 'vetting did not open a review for the nomination in time');
  let barOpinionId: string | null = null;
  for (;;) {
    for (const r of review.requiredDepartments.filter((x) => x.level === review.level && !x.answered)) {
      const bars = plan.outcome === 'DISQUALIFIED' && plan.bar!.department === r.department;
      const input = bars
        ? { reviewId: review.id, decision: 'BAR', itemCodes: [plan.bar!.itemCode], note: plan.bar!.note }
        : { reviewId: review.id, decision: 'CLEAR' };
      const { recordOpinion } = await graph.send<{ recordOpinion: { id: string } }>(actorFor(r.department), RECORD_OPINION, { input });
      if (bars) barOpinionId = recordOpinion.id;
    }
    if (review.level === review.levels.at(-1)) break;
    await graph.send('ORG_ADMIN', ADVANCE_LEVEL, { id: review.id });
    review = await reviewOf(graph, candidateId, () => true, deadline, 'the review could not be read');
  }
  if (plan.outcome === 'CLEARED') {
    // Pre-checks from personnel's facts may still be arriving (PersonRegistered): give them a minute to clear.
    await reviewOf(
      graph,
      candidateId,
      (r) => r.clearingBlocks.length === 0,
      Math.min(deadline, Date.now() + 60_000),
      'the review is still blocked from clearing',
    );
    await graph.send('ORG_ADMIN', CONCLUDE, { input: { reviewId: review.id, outcome: 'CLEARED' } });
  } else {
    if (!barOpinionId) throw new Error(`the policy asked no opinion of ${plan.bar!.department}, which was to bar candidate ${candidateId}`);
    await graph.send('ORG_ADMIN', CONCLUDE, {
      input: { reviewId: review.id, outcome: 'DISQUALIFIED', itemCodes: [plan.bar!.itemCode], opinionIds: [barOpinionId] },
    });
  }
}

export async function concludeReviews(
  { graph, data, concurrency, progress }: LoadContext,
  elections: ReadonlyMap<string, LoadedElection>,
  waitMs: number,
): Promise<{ cleared: number; disqualified: number }> {
  const work = data.elections.flatMap((e) =>
    e.candidates.filter((c) => c.review).map((c) => ({ candidateId: elections.get(e.key)!.candidates.get(c.personKey)!, plan: c.review! })),
  );
  await forEachLimit(
    work,
    concurrency,
    (w) => concludeOne(graph, w.candidateId, w.plan, waitMs),
    progress('联审 concluded (pilot units)', work.length),
  );
  return {
    cleared: work.filter((w) => w.plan.outcome === 'CLEARED').length,
    disqualified: work.filter((w) => w.plan.outcome === 'DISQUALIFIED').length,
  };
}
