import DataLoader from 'dataloader';
import {
  badInput,
  byIdLoader,
  hasRole,
  isIsoDate,
  readPage,
  regionPathFromCode,
  requireInScope,
  shanghaiDate,
  toConnection,
  type PageArgs,
} from '@huanjie/platform';
import {
  advanceReviewLevel,
  concludeReview,
  openReview,
  opinionFacts,
  recordOpinion,
  reopenReview,
  type OpenReviewInput,
} from '../commands/review.commands';
import { ReviewReportStore, type ReviewSelection } from '../db/review-report.store';
import type { ConclusionRecord, HistoryRow, OpinionRow, ReviewRow, ReviewStore } from '../db/review.store';
import type { VettingContext } from '../deps';
import {
  DEPARTMENTS,
  POLICIES,
  itemOf,
  levelPolicy,
  policyById,
  policyFor,
  type DepartmentCode,
  type ListItem,
  type ReviewPolicy,
} from '../domain/negative-lists.data';
import { isOpen, isOverdue, opinionDeadline, type ConclusionInput, type Decision } from '../domain/review.rules';

/** Groups rows fetched for many keys by one of their columns. */
function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/**
 * One statement per kind of list, however many reviews, candidates or people a request touches.
 * Reviews read by candidate or person prime the by-id loader, so their opinions' `review` costs nothing.
 */
export function createReviewLoaders(reviews: ReviewStore) {
  const byId = byIdLoader<ReviewRow>((ids) => reviews.byIds(ids));
  const primed = (rows: ReviewRow[]) => {
    for (const row of rows) byId.prime(row.id, row);
    return rows;
  };
  return {
    byId,
    byPerson: new DataLoader<string, ReviewRow[]>(async (personIds) => groupBy(personIds, primed(await reviews.byPersonIds(personIds)), (r) => r.person_id)),
    byCandidate: new DataLoader<string, ReviewRow | null>(async (ids) =>
      groupBy(ids, primed(await reviews.byCandidateIds(ids)), (r) => r.candidate_id).map((l) => l[0] ?? null),
    ),
    opinionsOf: new DataLoader<string, OpinionRow[]>(async (ids) => groupBy(ids, await reviews.opinionsOf(ids), (o) => o.review_id)),
    historyOf: new DataLoader<string, HistoryRow[]>(async (ids) => groupBy(ids, await reviews.historyOf(ids), (h) => h.review_id)),
  };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const today = (ctx: VettingContext) => shanghaiDate(ctx.deps.now());
const policyOf = (r: ReviewRow) => policyById(r.policy_id);

/** Codes resolved against a policy; a code the policy lacks (never expected) is left out rather than failing the read. */
const itemsOf = (policy: ReviewPolicy, codes: readonly string[]) => codes.map((c) => itemOf(policy, c)).filter((i): i is ListItem => i !== undefined);

/** Who may read what a department found: the organisation department, discipline inspection, the reviewers and auditors. */
const NOTE_READERS = ['ORG_ADMIN', 'DISCIPLINE', 'REVIEWER', 'AUDITOR'] as const;

function itemText(code: string): string | null {
  for (const p of POLICIES) {
    const item = itemOf(p, code);
    if (item) return item.text;
  }
  return null;
}

function regionOf(ctx: VettingContext, regionCode: string | null | undefined): string {
  if (!regionCode) return ctx.auth.regionPath;
  const path = regionPathFromCode(regionCode);
  requireInScope(ctx.auth, path, `the region ${regionCode}`);
  return path;
}

function checkDate(field: string, value: string | null | undefined) {
  if (value != null && !isIsoDate(value)) throw badInput('REPORT.DATE', `REPORT.DATE: ${field} must be yyyy-mm-dd, got ${JSON.stringify(value)}`);
}

interface ReportInput {
  regionCode: string;
  openedFrom?: string | null;
  openedTo?: string | null;
  electionIds?: string[] | null;
}

const MAX_ELECTION_IDS = 5000;

async function vettingReport(ctx: VettingContext, input: ReportInput) {
  checkDate('openedFrom', input.openedFrom);
  checkDate('openedTo', input.openedTo);
  if (input.electionIds && input.electionIds.length > MAX_ELECTION_IDS) {
    throw badInput('REPORT.ELECTIONS', `REPORT.ELECTIONS: at most ${MAX_ELECTION_IDS} election ids`);
  }
  const selection: ReviewSelection = { regionPath: regionOf(ctx, input.regionCode), openedFrom: input.openedFrom, openedTo: input.openedTo, electionIds: input.electionIds };
  const store = new ReviewReportStore(ctx.deps.dataSource.manager);
  const day = today(ctx);
  const [totals, departments] = await Promise.all([store.totals(selection), store.departments(selection, day)]);
  return {
    regionCode: input.regionCode,
    openedFrom: input.openedFrom ?? null,
    openedTo: input.openedTo ?? null,
    today: day,
    reviewed: totals.reviewed,
    open: totals.open,
    reopened: totals.reopened,
    cleared: totals.cleared,
    disqualified: totals.disqualified,
    disqualifiedByItem: totals.by_item.map((i) => ({ code: i.code, text: itemText(i.code), count: i.count })),
    departments: departments.map((d) => ({
      department: d.department,
      departmentName: DEPARTMENTS[d.department as DepartmentCode] ?? d.department,
      opinions: d.opinions,
      clear: d.clear,
      concern: d.concern,
      bar: d.bar,
      disqualificationsCited: d.disqualifications_cited,
      pending: d.pending,
      overdue: d.overdue,
    })),
  };
}

interface ReviewFilter {
  regionCode?: string | null;
  status?: string | null;
  awaitingDepartment?: string | null;
  overdueOnly?: boolean | null;
}

async function reviewsPage(ctx: VettingContext, args: PageArgs & { filter?: ReviewFilter | null }) {
  // The cursor is `<openedAt>|<id>` (readPage and toConnection encode it).
  const page = readPage(args);
  const filter = args.filter ?? {};
  let after: { openedAt: string; id: string } | null = null;
  if (page.after) {
    const [openedAt, id] = page.after.split('|');
    if (!openedAt || !id || Number.isNaN(Date.parse(openedAt))) throw badInput('PAGE.CURSOR', 'the `after` cursor is not one this service issued');
    after = { openedAt, id };
  }
  const rows = await new ReviewReportStore(ctx.deps.dataSource.manager).page(
    {
      regionPath: regionOf(ctx, filter.regionCode),
      status: filter.status,
      awaitingDepartment: filter.awaitingDepartment,
      overdueOnly: filter.overdueOnly ?? false,
      today: today(ctx),
    },
    page.limit,
    after,
  );
  for (const row of rows) ctx.loaders.byId.prime(row.id, row);
  return toConnection(rows, page, (r) => `${iso(r.opened_at)}|${r.id}`);
}
interface ConclusionView extends ConclusionRecord {
  reviewId: string;
  policy: ReviewPolicy;
}

export const reviewResolvers = {
  Query: {
    review: (_: unknown, args: { id: string }, ctx: VettingContext) => ctx.loaders.byId.load(args.id),
    negativeList: (_: unknown, args: { regionCode: string; onDate: string }) => policyFor(regionPathFromCode(args.regionCode), args.onDate),
    reviews: (_: unknown, args: PageArgs & { filter?: ReviewFilter | null }, ctx: VettingContext) => reviewsPage(ctx, args),
    vettingReport: (_: unknown, args: { input: ReportInput }, ctx: VettingContext) => vettingReport(ctx, args.input),
  },
  Mutation: {
    openReview: (_: unknown, args: { input: OpenReviewInput }, ctx: VettingContext) => openReview(ctx, args.input),
    recordOpinion: (
      _: unknown,
      args: { input: { reviewId: string; department?: string | null; decision: Decision; itemCodes: string[]; note: string } },
      ctx: VettingContext,
    ) => recordOpinion(ctx, args.input),
    advanceReviewLevel: (_: unknown, args: { input: { reviewId: string } }, ctx: VettingContext) => advanceReviewLevel(ctx, args.input),
    concludeReview: (_: unknown, args: { input: ConclusionInput & { reviewId: string } }, ctx: VettingContext) => concludeReview(ctx, args.input),
    reopenReview: (_: unknown, args: { input: { reviewId: string; reason: string } }, ctx: VettingContext) => reopenReview(ctx, args.input),
  },
  Review: {
    __resolveReference: (ref: { id: string }, ctx: VettingContext) => ctx.loaders.byId.load(ref.id),
    candidateId: (r: ReviewRow) => r.candidate_id,
    candidate: (r: ReviewRow) => ({ id: r.candidate_id }),
    electionId: (r: ReviewRow) => r.election_id,
    person: (r: ReviewRow) => ({ id: r.person_id }),
    levels: (r: ReviewRow) => policyOf(r).levels.map((l) => l.level),
    policy: (r: ReviewRow) => policyOf(r),
    openedBy: (r: ReviewRow) => r.opened_by,
    openedAt: (r: ReviewRow) => iso(r.opened_at),
    levelEnteredAt: (r: ReviewRow) => iso(r.level_entered_at),
    concludedAt: (r: ReviewRow) => iso(r.concluded_at),
    negativeListCodes: (r: ReviewRow) => r.negative_list_codes,
    requiredDepartments: async (r: ReviewRow, _: unknown, ctx: VettingContext) => {
      if (!isOpen(r.status)) return [];
      const policy = policyOf(r);
      const opinions = await ctx.loaders.opinionsOf.load(r.id);
      const current = opinionFacts(r, opinions);
      const deadline = opinionDeadline(policy, r.level, shanghaiDate(new Date(r.level_entered_at)))!;
      return (levelPolicy(policy, r.level)?.departments ?? []).map((department) => {
        const fact = current.find((o) => o.current && o.level === r.level && o.department === department);
        return {
          department,
          departmentName: DEPARTMENTS[department],
          level: r.level,
          answered: fact !== undefined,
          opinion: fact ? opinions.find((o) => o.id === fact.id) : null,
          deadline,
          overdue: fact === undefined && isOverdue(deadline, today(ctx)),
        };
      });
    },
    opinions: async (r: ReviewRow, args: { includeSuperseded?: boolean | null }, ctx: VettingContext) => {
      const opinions = await ctx.loaders.opinionsOf.load(r.id);
      return args.includeSuperseded ? opinions : opinions.filter((o) => o.superseded_by === null && o.round === r.round);
    },
    conclusion: (r: ReviewRow): ConclusionView | null => (r.conclusion && !isOpen(r.status) ? { ...r.conclusion, reviewId: r.id, policy: policyOf(r) } : null),
    history: (r: ReviewRow, _: unknown, ctx: VettingContext) => ctx.loaders.historyOf.load(r.id),
  },
  DepartmentOpinion: {
    review: (o: OpinionRow, _: unknown, ctx: VettingContext) => ctx.loaders.byId.load(o.review_id),
    departmentName: (o: OpinionRow) => DEPARTMENTS[o.department as DepartmentCode] ?? o.department,
    itemCodes: (o: OpinionRow) => o.item_codes,
    items: async (o: OpinionRow, _: unknown, ctx: VettingContext) => {
      const review = await ctx.loaders.byId.load(o.review_id);
      return review ? itemsOf(policyOf(review), o.item_codes) : [];
    },
    note: (o: OpinionRow, _: unknown, ctx: VettingContext) => (hasRole(ctx.auth, ...NOTE_READERS) ? o.note : null),
    recordedBy: (o: OpinionRow) => o.recorded_by,
    recordedAt: (o: OpinionRow) => iso(o.recorded_at),
    current: async (o: OpinionRow, _: unknown, ctx: VettingContext) => {
      const review = await ctx.loaders.byId.load(o.review_id);
      return o.superseded_by === null && review !== null && o.round === review.round;
    },
    supersededBy: (o: OpinionRow) => o.superseded_by,
  },
  ReviewConclusion: {
    items: (c: ConclusionView) => itemsOf(c.policy, c.itemCodes),
    opinions: async (c: ConclusionView, _: unknown, ctx: VettingContext) => {
      const opinions = await ctx.loaders.opinionsOf.load(c.reviewId);
      return c.opinionIds.map((id) => opinions.find((o) => o.id === id)).filter((o) => o !== undefined);
    },
  },
  ReviewStep: {
    at: (h: HistoryRow) => iso(h.at),
    detail: (h: HistoryRow) => JSON.stringify(h.detail),
  },
  Candidate: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    review: (c: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.byCandidate.load(c.id),
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    reviews: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.byPerson.load(p.id),
  },
};
