import DataLoader from 'dataloader';
import { byIdLoader } from '@huanjie/platform';
import { TrainingRecordStore, type TrainingRecordRow } from '../db/training-record.store';
import type { TrainingContext } from '../deps';
import type { EntityManager } from 'typeorm';

/** Training files: N files, people or units cost one statement each kind. */
export function createRecordLoaders(db: EntityManager, scopePath: string) {
  const records = new TrainingRecordStore(db, scopePath);
  return {
    recordById: byIdLoader<TrainingRecordRow>((ids) => records.byIds(ids)),
    recordOfPerson: new DataLoader<string, TrainingRecordRow | null>(async (ids) => {
      const rows = await records.byPersonIds(ids);
      const map = new Map(rows.map((r) => [r.person_id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    coverage: new DataLoader<string, { people: number; hours: number }>(async (paths) => {
      const map = await records.coverageByRegionPaths(paths);
      return paths.map((p) => map.get(p) ?? { people: 0, hours: 0 });
    }),
  };
}

export const recordResolvers = {
  Query: {
    trainingRecord: (_: unknown, args: { id: string }, ctx: TrainingContext) => ctx.loaders.recordById.load(args.id),
  },
  TrainingRecord: {
    __resolveReference: (ref: { id: string }, ctx: TrainingContext) => ctx.loaders.recordById.load(ref.id),
    openedAt: (r: TrainingRecordRow) => new Date(r.opened_at).toISOString(),
    hoursCompleted: (r: TrainingRecordRow) => r.hours_completed,
    coursesCompleted: (r: TrainingRecordRow) => r.courses_completed,
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    trainingRecord: (p: { id: string }, _: unknown, ctx: TrainingContext) => ctx.loaders.recordOfPerson.load(p.id),
  },
  OrgUnit: {
    __resolveReference: (ref: { id: string; regionPath?: string }) => ref,
    trainingCoverage: async (u: { regionPath: string }, _: unknown, ctx: TrainingContext) => {
      const c = await ctx.loaders.coverage.load(u.regionPath);
      return { peopleWithRecord: c.people, hoursCompleted: c.hours };
    },
  },
};
