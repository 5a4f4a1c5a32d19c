import type { EntityManager } from 'typeorm';
import { mergeResolvers } from '@huanjie/platform';
import { ReviewStore } from '../db/review.store';
import { createReviewLoaders, reviewResolvers } from './reviews.resolvers';
import { createSafeguardLoaders, safeguardResolvers } from './safeguards.resolvers';

/** The subgraph's resolvers: one module per area (reviews and opinions, pre-checks, pledges, audits), merged. */
export const resolvers = mergeResolvers(reviewResolvers, safeguardResolvers);

/** The request's DataLoaders, one set per area, all reading within the caller's region scope. */
export function createLoaders(db: EntityManager, scopePath: string) {
  return {
    ...createReviewLoaders(new ReviewStore(db, scopePath)),
    ...createSafeguardLoaders(db, scopePath),
  };
}

export type VettingLoaders = ReturnType<typeof createLoaders>;
