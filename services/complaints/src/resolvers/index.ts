import type { EntityManager } from 'typeorm';
import { mergeResolvers } from '@huanjie/platform';
import { complaintResolvers, createComplaintLoaders } from './complaints.resolvers';
import { requestResolvers } from './requests.resolvers';
import { createRiskLoaders, riskResolvers } from './risks.resolvers';

export const resolvers = mergeResolvers(complaintResolvers, riskResolvers, requestResolvers);

/** The request's DataLoaders, one set per area, all reading within the caller's region scope. */
export function createLoaders(db: EntityManager, scopePath: string) {
  return { ...createComplaintLoaders(db, scopePath), ...createRiskLoaders(db, scopePath) };
}

export type ComplaintsLoaders = ReturnType<typeof createLoaders>;
