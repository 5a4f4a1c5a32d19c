import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { byIdLoader, childrenLoader, pageVariant, readPage, toConnection, type PageArgs } from '@huanjie/platform';
import {
  decideVoterObjection,
  fileVoterObjection,
  objectionView,
  publishVoterList,
  registerVoter,
  rollRules,
  type DecideObjectionInput,
  type FileObjectionInput,
  type RegisterVoterInput,
} from '../commands/voter.commands';
import { rollKeyOf, VoterStore, type ObjectionRow, type RollElectionRow, type VoterRow } from '../db/voter.store';
import type { ElectionsContext } from '../deps';
import { voterRulesFor, type ObjectionStatus } from '../domain/voter.rules';

interface RollPageVariant extends PageArgs {
  includeRemoved: boolean;
}
interface ObjectionPageVariant extends PageArgs {
  status: ObjectionStatus | null;
}

/** The roll's loaders: every list costs one statement per distinct set of arguments, however many rolls ask. */
export function createVoterLoaders(db: EntityManager, scopePath: string) {
  const store = new VoterStore(db, scopePath);
  return {
    rollElection: byIdLoader<RollElectionRow>((ids) => store.elections(ids)),
    rollVoters: childrenLoader<RollPageVariant, VoterRow>(
      (ids, v) => store.rollPages(ids, readPage(v), v.includeRemoved),
      (row) => row.election_id,
      (v) => `${pageVariant(v)}|${v.includeRemoved}`,
    ),
    rollCount: new DataLoader<string, number>(async (ids) => {
      const counts = new Map((await store.activeCounts(ids)).map((r) => [r.election_id, r.n]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    voterById: byIdLoader<VoterRow>((ids) => store.votersByIds(ids)),
    rollObjections: childrenLoader<ObjectionPageVariant, ObjectionRow>(
      (ids, v) => store.objectionPages(ids, readPage(v), v.status),
      (row) => row.election_id,
      (v) => `${pageVariant(v)}|${v.status ?? ''}`,
    ),
  };
}
export type VoterLoaders = ReturnType<typeof createVoterLoaders>;

/** The loaders live on ctx.loaders (resolvers/index.ts spreads them in). */
const loaders = (ctx: ElectionsContext): VoterLoaders => ctx.loaders;

/** A roll exists for a villagers'/residents' election that is not a later round; null otherwise. */
function hasRoll(e: RollElectionRow): boolean {
  return e.committee_kind !== 'PARTY' && e.round_kind !== 'RUN_OFF' && e.round_kind !== 'WOMEN_SEAT';
}

const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function minusDays(isoDate: string, days: number): string {
  const t = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export const voterResolvers = {
  Query: {
    voterRoll: async (_: unknown, args: { electionId: string }, ctx: ElectionsContext) => {
      const e = await loaders(ctx).rollElection.load(args.electionId);
      if (!e) return null;
      rollRules(e); // refuses a Party election or a later round, naming the rule
      return e;
    },
  },
  Mutation: {
    registerVoter: (_: unknown, args: { input: RegisterVoterInput }, ctx: ElectionsContext) => registerVoter(ctx, args.input),
    publishVoterList: (_: unknown, args: { input: { electionId: string; publishedOn: string } }, ctx: ElectionsContext) =>
      publishVoterList(ctx, args.input.electionId, args.input.publishedOn),
    fileVoterObjection: (_: unknown, args: { input: FileObjectionInput }, ctx: ElectionsContext) => fileVoterObjection(ctx, args.input),
    decideVoterObjection: (_: unknown, args: { input: DecideObjectionInput }, ctx: ElectionsContext) => decideVoterObjection(ctx, args.input),
  },
  Election: {
    voterRoll: async (e: { id: string }, _: unknown, ctx: ElectionsContext) => {
      const roll = await loaders(ctx).rollElection.load(e.id);
      return roll && hasRoll(roll) ? roll : null;
    },
  },
  VoterRoll: {
    __resolveReference: async (ref: { id: string }, ctx: ElectionsContext) => {
      const roll = await loaders(ctx).rollElection.load(ref.id);
      return roll && hasRoll(roll) ? roll : null;
    },
    election: (e: RollElectionRow) => ({ id: e.id }),
    electionDay: (e: RollElectionRow) => e.election_day,
    publishedOn: (e: RollElectionRow) => e.voter_list_published_on,
    publishBy: (e: RollElectionRow) => {
      const lead = voterRulesFor(e.committee_kind, e.election_day).voterListLeadDays.value;
      return lead === null ? null : minusDays(e.election_day, lead);
    },
    publicationRule: (e: RollElectionRow) => voterRulesFor(e.committee_kind, e.election_day).voterListLeadDays.article,
    registeredCount: (e: RollElectionRow, _: unknown, ctx: ElectionsContext) => loaders(ctx).rollCount.load(e.id),
    voters: async (e: RollElectionRow, args: RollPageVariant, ctx: ElectionsContext) => {
      const variant = { first: args.first ?? null, after: args.after ?? null, includeRemoved: args.includeRemoved ?? false };
      const page = readPage(variant);
      const rows = await loaders(ctx).rollVoters.load({ parentId: e.id, variant });
      return toConnection(rows, page, rollKeyOf);
    },
    objections: async (e: RollElectionRow, args: ObjectionPageVariant, ctx: ElectionsContext) => {
      const variant = { first: args.first ?? null, after: args.after ?? null, status: args.status ?? null };
      const page = readPage(variant);
      const rows = await loaders(ctx).rollObjections.load({ parentId: e.id, variant });
      return toConnection(rows, page, (o) => o.seq);
    },
  },
  Voter: {
    electionId: (v: VoterRow) => v.election_id,
    idNumberMasked: (v: VoterRow) => v.id_number_masked,
    birthDate: (v: VoterRow) => v.birth_date,
    residentSince: (v: VoterRow) => v.resident_since,
    approvedOn: (v: VoterRow) => v.approved_on,
    registeredAt: (v: VoterRow) => iso(v.registered_at),
    removedAt: (v: VoterRow) => iso(v.removed_at),
    removalReason: (v: VoterRow) => v.removal_reason,
  },
  VoterObjection: {
    electionId: (o: ObjectionRow) => o.election_id,
    voter: (o: ObjectionRow, _: unknown, ctx: ElectionsContext) => (o.voter_id ? loaders(ctx).voterById.load(o.voter_id) : null),
    proposed: (o: ObjectionRow) => objectionView(o).proposed,
    filedBy: (o: ObjectionRow) => o.filed_by,
    filedAt: (o: ObjectionRow) => iso(o.filed_at),
    decidedBy: (o: ObjectionRow) => o.decided_by,
    decidedAt: (o: ObjectionRow) => iso(o.decided_at),
    decisionNote: (o: ObjectionRow) => o.decision_note,
    registeredVoter: (o: ObjectionRow, _: unknown, ctx: ElectionsContext) =>
      o.registered_voter_id ? loaders(ctx).voterById.load(o.registered_voter_id) : null,
  },
  ProposedVoter: {
    idNumberMasked: (p: { id_number_masked?: string }) => p.id_number_masked ?? null,
    birthDate: (p: { birth_date?: string }) => p.birth_date ?? null,
    residentSince: (p: { resident_since?: string | null }) => p.resident_since ?? null,
    approvedOn: (p: { approved_on?: string | null }) => p.approved_on ?? null,
  },
};
