import { badInput, readPage, regionPathFromCode, requireInScope, toConnection, type PageArgs } from '@huanjie/platform';
import { assignPosition, endPosition, type AssignPositionInput, type EndPositionInput } from '../commands/position.commands';
import { startTerm, type StartTermInput } from '../commands/term.commands';
import type { CommitteeRow, PositionRow, TermRow } from '../db/committee.rows';
import type { OrgUnitRow, PersonRow } from '../db/rows';
import type { PersonnelContext } from '../deps';
import { sizeRangeOf } from '../domain/committee.rules';
import { holdsBothTopPosts } from '../domain/one-shoulder.rules';
import { ELECTING_KINDS, type OrgUnitKind } from '../domain/org-unit.rules';

const one = <T>(rows: T[]): T | null => rows[0] ?? null;

export const committeeResolvers = {
  Query: {
    committee: (_: unknown, args: { id: string }, ctx: PersonnelContext) => ctx.committeeLoaders.committeeById.load(args.id),
    term: (_: unknown, args: { id: string }, ctx: PersonnelContext) => ctx.committeeLoaders.termById.load(args.id),
    oneShoulderRate: async (_: unknown, args: { regionCode: string; unitKind?: OrgUnitKind | null }, ctx: PersonnelContext) => {
      const regionPath = regionPathFromCode(args.regionCode);
      requireInScope(ctx.auth, regionPath, `region ${args.regionCode}`);
      const unitKind = args.unitKind ?? null;
      if (unitKind !== null && !ELECTING_KINDS.includes(unitKind)) {
        throw badInput('ONE_SHOULDER.UNIT_KIND', `一肩挑 is counted over villages and communities: unitKind is VILLAGE or COMMUNITY, not ${unitKind}`);
      }
      const counts = await ctx.committeeLoaders.committees.oneShoulderCounts(regionPath, unitKind);
      return {
        regionCode: args.regionCode,
        unitCount: counts.unit_count,
        secretaryCount: counts.secretary_count,
        oneShoulderCount: counts.one_shoulder_count,
        rate: counts.unit_count === 0 ? null : counts.one_shoulder_count / counts.unit_count,
      };
    },
  },
  Mutation: {
    startTerm: (_: unknown, args: { input: StartTermInput }, ctx: PersonnelContext) => startTerm(ctx, args.input),
    assignPosition: (_: unknown, args: { input: AssignPositionInput }, ctx: PersonnelContext) => assignPosition(ctx, args.input),
    endPosition: (_: unknown, args: { input: EndPositionInput }, ctx: PersonnelContext) => endPosition(ctx, args.input),
  },
  OrgUnit: {
    committees: (unit: OrgUnitRow, _: unknown, ctx: PersonnelContext) => ctx.committeeLoaders.committeesOfUnit.load({ parentId: unit.id, variant: null }),
  },
  Person: {
    positions: (p: PersonRow, args: { activeOnly?: boolean | null }, ctx: PersonnelContext) =>
      ctx.committeeLoaders.positionsOfPerson.load({ parentId: p.id, variant: args.activeOnly ?? false }),
    holdsBothTopPosts: async (p: PersonRow, _: unknown, ctx: PersonnelContext) => {
      const seats = await ctx.committeeLoaders.positionsOfPerson.load({ parentId: p.id, variant: true });
      return holdsBothTopPosts(seats.map((s) => ({ orgUnitId: s.org_unit_id, role: s.role, active: s.end_reason === null })));
    },
  },
  Committee: {
    __resolveReference: (ref: { id: string }, ctx: PersonnelContext) => ctx.committeeLoaders.committeeById.load(ref.id),
    partyOrgForm: (c: CommitteeRow) => c.party_org_form,
    orgUnit: (c: CommitteeRow, _: unknown, ctx: PersonnelContext) => ctx.loaders.orgUnitById.load(c.org_unit_id),
    sizeRange: (c: CommitteeRow) => sizeRangeOf(c.kind, c.party_org_form),
    currentTerm: async (c: CommitteeRow, _: unknown, ctx: PersonnelContext) =>
      one(await ctx.committeeLoaders.currentTermOf.load({ parentId: c.id, variant: null })),
    terms: async (c: CommitteeRow, args: PageArgs, ctx: PersonnelContext) => {
      const page = readPage(args);
      return toConnection(await ctx.committeeLoaders.termsOf.load({ parentId: c.id, variant: args }), page, (t) => t.starts_on);
    },
  },
  Term: {
    __resolveReference: (ref: { id: string }, ctx: PersonnelContext) => ctx.committeeLoaders.termById.load(ref.id),
    committee: (t: TermRow, _: unknown, ctx: PersonnelContext) => ctx.committeeLoaders.committeeById.load(t.committee_id),
    startsOn: (t: TermRow) => t.starts_on,
    endsOn: (t: TermRow) => t.ends_on,
    electionId: (t: TermRow) => t.election_id,
    previousTerm: (t: TermRow, _: unknown, ctx: PersonnelContext) => (t.previous_term_id ? ctx.committeeLoaders.termById.load(t.previous_term_id) : null),
    positions: (t: TermRow, args: { activeOnly?: boolean | null }, ctx: PersonnelContext) =>
      ctx.committeeLoaders.positionsOfTerm.load({ parentId: t.id, variant: args.activeOnly ?? false }),
  },
  Position: {
    __resolveReference: (ref: { id: string }, ctx: PersonnelContext) => ctx.committeeLoaders.positionById.load(ref.id),
    person: (p: PositionRow, _: unknown, ctx: PersonnelContext) => ctx.loaders.personById.load(p.person_id),
    term: (p: PositionRow, _: unknown, ctx: PersonnelContext) => ctx.committeeLoaders.termById.load(p.term_id),
    committee: (p: PositionRow, _: unknown, ctx: PersonnelContext) => ctx.committeeLoaders.committeeById.load(p.committee_id),
    startsOn: (p: PositionRow) => p.starts_on,
    endsOn: (p: PositionRow) => p.ends_on,
    endReason: (p: PositionRow) => p.end_reason,
    active: (p: PositionRow) => p.end_reason === null,
    electionId: (p: PositionRow) => p.election_id,
  },
};
