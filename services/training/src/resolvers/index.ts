import type { EntityManager } from 'typeorm';
import { mergeResolvers } from '@huanjie/platform';
import { courseResolvers, createCourseLoaders } from './courses.resolvers';
import { coverageResolvers } from './coverage.resolvers';
import { createMentoringLoaders, mentoringResolvers } from './mentoring.resolvers';
import { createOnboardingLoaders, onboardingResolvers } from './onboarding.resolvers';
import { createRecordLoaders, recordResolvers } from './records.resolvers';

/** The subgraph's resolvers: one module per area (files, courses, onboarding, mentoring, the report), merged. */
export const resolvers = mergeResolvers(recordResolvers, courseResolvers, onboardingResolvers, mentoringResolvers, coverageResolvers);

/** The request's DataLoaders, one set per area, all reading within the caller's region scope. */
export function createLoaders(db: EntityManager, scopePath: string) {
  return {
    ...createRecordLoaders(db, scopePath),
    ...createCourseLoaders(db, scopePath),
    ...createOnboardingLoaders(db, scopePath),
    ...createMentoringLoaders(db, scopePath),
  };
}

export type TrainingLoaders = ReturnType<typeof createLoaders>;
