import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { byIdLoader, groupedLoader, isDivisionCode, badInput, readPage, regionPathFromCode, toConnection, type PageArgs } from '@huanjie/platform';
import { nominateCandidate, withdrawCandidate, type NominateCandidateInput } from '../commands/candidate.commands';
import type { ElectionRef } from '../commands/command-kit';
import { advanceElection, createElection, type CreateElectionInput, type ProceduralEvent } from '../commands/election.commands';
import { certifyElection } from '../commands/result.commands';
import { closeCount, enterTallySheet, verifyChains, type ChainVerification, type EnterTallySheetInput } from '../commands/tally.commands';
import { CandidateStore, type CandidateRow } from '../db/candidate.store';
import { ElectionStore, type ElectionFilter, type ElectionRow } from '../db/election.store';
import { TallyStore, type TallyEntryRow, type TallySheetRow } from '../db/tally.store';
import type { ElectionsContext } from '../deps';
import { rulesForRegion, type CommitteeKind, type ElectionRuleSet, type Fraction } from '../domain/election-rules.data';
import { allowedElectionEvents } from '../domain/election.state-machine';
import { orderedSeats, rulesOfElection } from '../domain/election.rules';

/** The request's loaders for elections, candidates and sheets: each list costs one statement per request. */
export function createElectionLoaders(db: EntityManager, scopePath: string) {
  const elections = new ElectionStore(db, scopePath);
  const candidates = new CandidateStore(db, scopePath);
  const tally = new TallyStore(db);
  return {
    electionById: byIdLoader<ElectionRow>((ids) => elections.byIds(ids)),
    roundsOf: groupedLoader((ids) => elections.roundsOf(ids), (e) => e.parent_election_id!),
    electionsOfUnit: groupedLoader((ids) => elections.ofUnits(ids), (e) => e.org_unit_id),
    candidateById: byIdLoader<CandidateRow>((ids) => candidates.byIds(ids)),
    candidatesOf: groupedLoader((ids) => candidates.ofElections(ids), (c) => c.election_id),
    candidaciesOf: groupedLoader((ids) => candidates.ofPeople(ids), (c) => c.person_id),
    sheetsOf: groupedLoader((ids) => tally.sheetsOf(ids), (s) => s.election_id),
    entriesOf: groupedLoader((ids) => tally.entriesOf(ids), (e) => e.sheet_id),
    chainOf: new DataLoader<string, ChainVerification>(async (ids) => verifyChains(ids, await tally.chains(ids))),
  };
}

const share = (f: Fraction) => `${f.numerator}/${f.denominator}`;

/** The rule set as the graph shows it: numbers where they are numbers, shares in words, every article. */
function rulesView(r: ElectionRuleSet) {
  const surplus = r.candidateSurplus.value;
  const runOff = r.runOff.value;
  return {
    committeeKind: r.kind,
    lawVersion: r.lawVersion,
    effectiveFrom: r.effectiveFrom,
    seats: { ...r.seats.value, article: r.seats.article },
    candidateSurplus: {
      value: surplus.kind === 'MORE_THAN_SEATS' ? 'more candidates than seats' : `at least ${share(surplus.share)} more candidates than seats`,
      article: r.candidateSurplus.article,
    },
    quorum: {
      value: `more than ${share(r.quorum.value.moreThan)} of ${r.quorum.value.basis === 'REGISTERED_VOTED' ? 'registered voters vote' : 'entitled members attend'}`,
      article: r.quorum.article,
    },
    winning: {
      value: `more than ${share(r.winning.value.moreThan)} of ${r.winning.value.basis === 'VOTED' ? 'those who voted' : 'the members entitled to vote'}`,
      article: r.winning.article,
    },
    runOff: {
      value: runOff.kind === 'PLURALITY_WITH_FLOOR' ? `most votes, at least ${share(runOff.atLeastOfCast)} of the ballots cast` : 'as in the first round',
      article: r.runOff.article,
    },
    proxyCap: { value: r.proxyCap.value, article: r.proxyCap.article },
    voterListLeadDays: { value: r.voterListLeadDays.value, article: r.voterListLeadDays.article },
    secretaryMaxAge: { ...r.secretaryMaxAge.value, article: r.secretaryMaxAge.article },
    womenSeat: { value: r.womenSeat.value, article: r.womenSeat.article },
  };
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const candidateRef = (ctx: ElectionsContext, id: string) => ctx.loaders.candidateById.load(id);

interface ResultLineRow {
  id: string;
  role: string;
  votes: number;
}

export const electionResolvers = {
  Query: {
    election: (_: unknown, args: { id: string }, ctx: ElectionsContext) => ctx.loaders.electionById.load(args.id),
    elections: async (
      _: unknown,
      args: PageArgs & { filter?: (Omit<ElectionFilter, 'regionPath'> & { regionCode?: string | null }) | null },
      ctx: ElectionsContext,
    ) => {
      const page = readPage(args);
      const { regionCode, ...filter } = args.filter ?? {};
      if (regionCode != null && !isDivisionCode(regionCode)) {
        throw badInput('ELECTION.REGION_CODE', `ELECTION.REGION_CODE: regionCode must be a 12-digit division code, got ${JSON.stringify(regionCode)}`);
      }
      const regionPath = regionCode ? regionPathFromCode(regionCode) : null;
      const rows = await new ElectionStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).page({ ...filter, regionPath }, page.limit, page.after);
      return toConnection(rows, page, (e) => `${e.election_day}|${e.id}`);
    },
    candidate: (_: unknown, args: { id: string }, ctx: ElectionsContext) => candidateRef(ctx, args.id),
    electionRules: (_: unknown, args: { committeeKind: CommitteeKind; onDate: string; regionCode?: string | null }) => {
      if (args.regionCode != null && !isDivisionCode(args.regionCode)) {
        throw badInput('ELECTION.REGION_CODE', `ELECTION.REGION_CODE: regionCode must be a 12-digit division code, got ${JSON.stringify(args.regionCode)}`);
      }
      return rulesView(rulesForRegion(args.committeeKind, args.onDate, args.regionCode ? regionPathFromCode(args.regionCode) : ''));
    },
  },
  Mutation: {
    createElection: (_: unknown, args: { input: CreateElectionInput }, ctx: ElectionsContext) => createElection(ctx, args.input),
    advanceElection: (_: unknown, args: { input: ElectionRef & { event: ProceduralEvent } }, ctx: ElectionsContext) => advanceElection(ctx, args.input),
    nominateCandidate: (_: unknown, args: { input: NominateCandidateInput }, ctx: ElectionsContext) => nominateCandidate(ctx, args.input),
    withdrawCandidate: (_: unknown, args: { input: { candidateId: string; reason: string } }, ctx: ElectionsContext) => withdrawCandidate(ctx, args.input),
    enterTallySheet: (_: unknown, args: { input: EnterTallySheetInput }, ctx: ElectionsContext) => enterTallySheet(ctx, args.input),
    closeCount: (_: unknown, args: { input: ElectionRef & { attendedMembers?: number | null } }, ctx: ElectionsContext) => closeCount(ctx, args.input),
    certifyElection: (_: unknown, args: { input: ElectionRef }, ctx: ElectionsContext) => certifyElection(ctx, args.input),
  },
  Election: {
    __resolveReference: (ref: { id: string }, ctx: ElectionsContext) => ctx.loaders.electionById.load(ref.id),
    cycle: (e: ElectionRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.cycleById.load(e.cycle_id),
    // Both keys: the gateway may reach personnel by either (regions in the progress report only have a code).
    orgUnit: (e: ElectionRow) => ({ __typename: 'OrgUnit', id: e.org_unit_id, code: e.org_unit_code }),
    orgUnitCode: (e: ElectionRow) => e.org_unit_code,
    regionPath: (e: ElectionRow) => e.region_path,
    committeeKind: (e: ElectionRow) => e.committee_kind,
    partyOrgForm: (e: ElectionRow) => e.party_org_form,
    roundKind: (e: ElectionRow) => e.round_kind,
    parent: (e: ElectionRow, _: unknown, ctx: ElectionsContext) => (e.parent_election_id ? ctx.loaders.electionById.load(e.parent_election_id) : null),
    rounds: (e: ElectionRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.roundsOf.load(e.id),
    seats: (e: ElectionRow) => orderedSeats(e.committee_kind, e.seats).map(([role, count]) => ({ role, count })),
    seatTotal: (e: ElectionRow) => e.seat_total,
    electionDay: (e: ElectionRow) => e.election_day,
    lawVersion: (e: ElectionRow) => e.law_version,
    rules: (e: ElectionRow) => rulesView(rulesOfElection(e)),
    allowedEvents: (e: ElectionRow) => allowedElectionEvents(e.status),
    entitledMembers: (e: ElectionRow) => e.entitled_members,
    attendedMembers: (e: ElectionRow) => e.attended_members,
    registeredVoters: (e: ElectionRow) => e.registered_voters,
    candidates: (e: ElectionRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.candidatesOf.load(e.id),
    tallySheets: (e: ElectionRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.sheetsOf.load(e.id),
    result: (e: ElectionRow) => e.result,
    certifiedAt: (e: ElectionRow) => iso(e.certified_at),
    voidedAt: (e: ElectionRow) => iso(e.voided_at),
    voidReason: (e: ElectionRow) => e.void_reason,
    chain: (e: ElectionRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.chainOf.load(e.id),
  },
  ElectionResult: {
    reason: (r: { reason?: string }) => r.reason ?? null,
    rule: (r: { rule?: string }) => r.rule ?? null,
    elected: (r: { elected?: ResultLineRow[] }) => r.elected ?? [],
    ranked: (r: { ranked?: ResultLineRow[] }) => r.ranked ?? [],
    // A run-off round's own result carries at most one further run-off.
    runOffs: (r: { runOffs?: unknown[]; runOff?: unknown }) => r.runOffs ?? (r.runOff ? [r.runOff] : []),
    womenSeatElection: (r: { womenSeatElection?: boolean }) => r.womenSeatElection ?? false,
  },
  ResultLine: {
    candidate: (l: ResultLineRow, _: unknown, ctx: ElectionsContext) => candidateRef(ctx, l.id),
  },
  RunOffNeed: {
    candidates: async (n: { candidateIds: string[] }, _: unknown, ctx: ElectionsContext) =>
      (await ctx.loaders.candidateById.loadMany(n.candidateIds)).filter((c): c is CandidateRow => c !== null && !(c instanceof Error)),
  },
  Candidate: {
    __resolveReference: (ref: { id: string }, ctx: ElectionsContext) => candidateRef(ctx, ref.id),
    election: (c: CandidateRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.electionById.load(c.election_id),
    person: (c: CandidateRow) => ({ __typename: 'Person', id: c.person_id }),
    nominatedBy: (c: CandidateRow) => c.nominated_by,
    negativeListCodes: (c: CandidateRow) => c.negative_list_codes,
    statusReason: (c: CandidateRow) => c.status_reason,
    nominatedAt: (c: CandidateRow) => c.created_at.toISOString(),
  },
  TallySheet: {
    boxCode: (s: TallySheetRow) => s.box_code,
    mismatchFields: (s: TallySheetRow) => s.mismatch_fields,
    entries: (s: TallySheetRow, _: unknown, ctx: ElectionsContext) => ctx.loaders.entriesOf.load(s.id),
    ballotsIssued: (s: TallySheetRow) => s.accepted_content?.ballotsIssued ?? null,
    ballotsReturned: (s: TallySheetRow) => s.accepted_content?.ballotsReturned ?? null,
    ballotsInvalid: (s: TallySheetRow) => s.accepted_content?.ballotsInvalid ?? null,
    votes: (s: TallySheetRow) =>
      Object.values(s.accepted_content?.votes ?? {}).flatMap((perCandidate) => Object.entries(perCandidate).map(([candidateId, votes]) => ({ candidateId, votes }))),
    writeIns: (s: TallySheetRow) => Object.entries(s.accepted_content?.writeIns ?? {}).map(([role, votes]) => ({ role, votes })),
  },
  TallyEntry: {
    enteredAt: (e: TallyEntryRow) => e.entered_at.toISOString(),
  },
  CandidateVotes: {
    candidate: (v: { candidateId: string }, _: unknown, ctx: ElectionsContext) => candidateRef(ctx, v.candidateId),
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ref,
    candidacies: (p: { id: string }, _: unknown, ctx: ElectionsContext) => ctx.loaders.candidaciesOf.load(p.id),
  },
  // Merged with the cycles module's OrgUnit resolvers, which resolve the reference.
  OrgUnit: {
    elections: (u: { id: string }, _: unknown, ctx: ElectionsContext) => ctx.loaders.electionsOfUnit.load(u.id),
  },
};
