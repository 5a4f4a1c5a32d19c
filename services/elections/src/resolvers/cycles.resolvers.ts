import DataLoader from 'dataloader';
import { byIdLoader } from '@huanjie/platform';
import { createElectionCycle } from '../commands/election-cycle.commands';
import type { ElectionCycleRow, ElectionCycleStore } from '../db/election-cycle.store';
import type { ElectionsContext } from '../deps';
import type { NewElectionCycleInput } from '../domain/election-cycle.rules';

export function createCycleLoaders(cycles: ElectionCycleStore) {
  return {
    cycleById: byIdLoader<ElectionCycleRow>((ids) => cycles.byIds(ids)),
    /** Keyed by the unit's region path, which the gateway supplies through @requires. */
    cyclesCovering: new DataLoader<string, ElectionCycleRow[]>(async (paths) => {
      const rows = await cycles.coveringRegionPaths(paths);
      const map = new Map<string, ElectionCycleRow[]>();
      for (const { unit_path, ...cycle } of rows) {
        const list = map.get(unit_path);
        if (list) list.push(cycle);
        else map.set(unit_path, [cycle]);
      }
      return paths.map((p) => map.get(p) ?? []);
    }),
  };
}

export const cycleResolvers = {
  Query: {
    electionCycle: (_: unknown, args: { id: string }, ctx: ElectionsContext) => ctx.loaders.cycleById.load(args.id),
  },
  Mutation: {
    createElectionCycle: (_: unknown, args: { input: NewElectionCycleInput }, ctx: ElectionsContext) =>
      createElectionCycle(ctx, args.input),
  },
  ElectionCycle: {
    __resolveReference: (ref: { id: string }, ctx: ElectionsContext) => ctx.loaders.cycleById.load(ref.id),
    regionCode: (c: ElectionCycleRow) => c.region_code,
    regionPath: (c: ElectionCycleRow) => c.region_path,
    termYears: (c: ElectionCycleRow) => c.term_years,
    startsOn: (c: ElectionCycleRow) => c.starts_on,
    endsOn: (c: ElectionCycleRow) => c.ends_on,
  },
  OrgUnit: {
    __resolveReference: (ref: { id: string; regionPath?: string }) => ref,
    electionCycles: (u: { regionPath: string }, _: unknown, ctx: ElectionsContext) => ctx.loaders.cyclesCovering.load(u.regionPath),
  },
};
