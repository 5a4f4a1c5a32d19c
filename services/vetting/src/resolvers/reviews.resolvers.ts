import DataLoader from 'dataloader';
import { byIdLoader } from '@huanjie/platform';
import type { ReviewRow, ReviewStore } from '../db/review.store';
import type { VettingContext } from '../deps';

export function createReviewLoaders(reviews: ReviewStore) {
  return {
    byId: byIdLoader<ReviewRow>((ids) => reviews.byIds(ids)),
    byPerson: new DataLoader<string, ReviewRow[]>(async (personIds) => {
      const rows = await reviews.byPersonIds(personIds);
      const map = new Map<string, ReviewRow[]>();
      for (const row of rows) {
        const list = map.get(row.person_id);
        if (list) list.push(row);
        else map.set(row.person_id, [row]);
      }
      return personIds.map((id) => map.get(id) ?? []);
    }),
  };
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export const reviewResolvers = {
  Query: {
    review: (_: unknown, args: { id: string }, ctx: VettingContext) => ctx.loaders.byId.load(args.id),
  },
  Review: {
    __resolveReference: (ref: { id: string }, ctx: VettingContext) => ctx.loaders.byId.load(ref.id),
    candidateId: (r: ReviewRow) => r.candidate_id,
    electionId: (r: ReviewRow) => r.election_id,
    openedAt: (r: ReviewRow) => iso(r.opened_at),
    concludedAt: (r: ReviewRow) => iso(r.concluded_at),
    negativeListCodes: (r: ReviewRow) => r.negative_list_codes,
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    reviews: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.byPerson.load(p.id),
  },
};
