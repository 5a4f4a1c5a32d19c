import { badInput, conflict, isDivisionCode, isUniqueViolation, isUuid, notFound, regionPathFromCode, requireInScope, requireRole } from '@huanjie/platform';
import { CandidateStore, type CandidateChange } from '../db/candidate.store';
import { CandidateEligibilityStore } from '../db/candidate-eligibility.store';
import { ElectionCycleStore } from '../db/election-cycle.store';
import { ElectionStore, type ElectionRow } from '../db/election.store';
import type { ElectionsContext } from '../deps';
import { transitionCandidate } from '../domain/candidate.state-machine';
import { candidateShortfalls, describeShortfalls, planElection, rulesOfElection, type NewElectionInput } from '../domain/election.rules';
import { checkVoterListPublication } from '../domain/election-rules.data';
import { transition, type ElectionEvent } from '../domain/election.state-machine';
import { audit, MANAGERS, onElection, type ElectionRef } from './command-kit';
import { countRegisteredVoters, voterListPublishedOn } from '../db/voter-roll.reader';

export interface CreateElectionInput extends NewElectionInput {
  cycleId: string;
  orgUnitId: string;
  orgUnitCode: string;
}

/** 部署选举: a regular election of one committee of one unit in a cycle; starts PLANNED. */
export async function createElection(ctx: ElectionsContext, input: CreateElectionInput): Promise<ElectionRow> {
  requireRole(ctx.auth, MANAGERS, 'createElection');
  if (!isUuid(input.orgUnitId)) throw badInput('ELECTION.ORG_UNIT', `ELECTION.ORG_UNIT: orgUnitId must be a uuid, got ${JSON.stringify(input.orgUnitId)}`);
  if (!isDivisionCode(input.orgUnitCode)) {
    throw badInput('ELECTION.ORG_UNIT', `ELECTION.ORG_UNIT: orgUnitCode must be a 12-digit division code, got ${JSON.stringify(input.orgUnitCode)}`);
  }
  const regionPath = regionPathFromCode(input.orgUnitCode);
  requireInScope(ctx.auth, regionPath, `unit ${input.orgUnitCode}`);
  const [cycle] = await new ElectionCycleStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).byIds([input.cycleId]);
  if (!cycle) throw notFound('ELECTION.CYCLE_NOT_FOUND', `ELECTION.CYCLE_NOT_FOUND: no election cycle ${input.cycleId} covering your region scope`);
  if (!(cycle.region_path === '' || regionPath === cycle.region_path || regionPath.startsWith(`${cycle.region_path}.`))) {
    throw badInput('ELECTION.OUTSIDE_CYCLE', `ELECTION.OUTSIDE_CYCLE: unit ${input.orgUnitCode} lies outside the region of cycle ${cycle.name} (${cycle.region_code})`);
  }
  const plan = planElection(input, { startsOn: cycle.starts_on, endsOn: cycle.ends_on }, regionPath);
  return ctx.deps.dataSource.transaction(async (manager) => {
    let row: ElectionRow;
    try {
      row = await new ElectionStore(manager, ctx.auth.regionPath).insert({
        id: ctx.deps.newId(),
        cycle_id: cycle.id,
        org_unit_id: input.orgUnitId,
        org_unit_code: input.orgUnitCode,
        region_path: regionPath,
        committee_kind: plan.committeeKind,
        party_org_form: plan.partyOrgForm,
        round_kind: 'REGULAR',
        parent_election_id: null,
        seats: plan.seats,
        seat_total: plan.seatTotal,
        election_day: plan.electionDay,
        method: plan.method,
        law_version: plan.lawVersion,
        status: 'PLANNED',
        entitled_members: plan.entitledMembers,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(
          'ELECTION.ALREADY_PLANNED',
          `ELECTION.ALREADY_PLANNED: unit ${input.orgUnitCode} already has its ${plan.committeeKind} election in cycle ${cycle.name}; later rounds hang beneath it`,
        );
      }
      throw error;
    }
    await audit(manager, ctx, 'createElection', { type: 'Election', id: row.id, regionPath }, null, row);
    return row;
  });
}

/** The procedural steps a manager takes an election through; the count and the result have their own commands. */
export const PROCEDURAL_EVENTS = ['OPEN_NOMINATIONS', 'START_VETTING', 'OPEN_VOTER_REGISTRATION', 'SCHEDULE', 'OPEN_POLLS'] as const;
export type ProceduralEvent = (typeof PROCEDURAL_EVENTS)[number];

const countBy = <T>(items: readonly T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc), {});

/**
 * Moves an election one procedural step on, with what the step brings:
 * - START_VETTING: every nominated candidate goes under review (a review concluded already applies
 *   at once); each role must have enough nominations for a contested election (差额).
 * - SCHEDULE: no review may be pending; each role must have enough eligible candidates; the voter
 *   list (villagers'/residents') must be published in time; the eligible candidates go on the ballot.
 * - OPEN_POLLS: the ballot locks; the registered voters are counted from the roll.
 */
export async function advanceElection(ctx: ElectionsContext, input: ElectionRef & { event: ProceduralEvent }): Promise<ElectionRow> {
  if (!(PROCEDURAL_EVENTS as readonly string[]).includes(input.event)) {
    throw badInput('ELECTION.EVENT', `ELECTION.EVENT: advanceElection takes ${PROCEDURAL_EVENTS.join(', ')}; got ${JSON.stringify(input.event)}`);
  }
  return onElection(ctx, MANAGERS, 'advanceElection', input, async (manager, election, elections) => {
    const next = transition(election.status, input.event as ElectionEvent);
    const rules = rulesOfElection(election);
    const candidates = new CandidateStore(manager, '');
    const mine = await candidates.ofElections([election.id], true);
    const changes: CandidateChange[] = [];
    const extra: Parameters<ElectionStore['update']>[1] = {};
    if (input.event === 'START_VETTING' && election.round_kind !== 'RUN_OFF') {
      const nominated = mine.filter((c) => c.status === 'NOMINATED');
      const short = candidateShortfalls(rules, election.seats, countBy(nominated, (c) => c.role));
      if (short.length > 0) throw conflict('RULES.CANDIDATE_SURPLUS', `RULES.CANDIDATE_SURPLUS: too few nominations to start the review: ${describeShortfalls(rules, short)}`);
      const decided = new Map((await new CandidateEligibilityStore(manager).byCandidateIds(nominated.map((c) => c.id))).map((d) => [d.candidate_id, d]));
      for (const c of nominated) {
        const underReview = transitionCandidate(c.status, 'START_REVIEW', next);
        const decision = decided.get(c.id);
        if (!decision) changes.push({ id: c.id, status: underReview });
        else
          changes.push({
            id: c.id,
            status: transitionCandidate(underReview, decision.outcome === 'CLEARED' ? 'CLEAR' : 'DISQUALIFY', next),
            negativeListCodes: decision.negative_list_codes,
          });
      }
    }
    if (input.event === 'SCHEDULE') {
      const pending = mine.filter((c) => c.status === 'UNDER_REVIEW' || c.status === 'NOMINATED');
      if (pending.length > 0) {
        throw conflict('ELECTION.REVIEW_PENDING', `ELECTION.REVIEW_PENDING: ${pending.length} candidate(s) still await the qualification review (联审); schedule once every review has concluded`);
      }
      const eligible = mine.filter((c) => c.status === 'ELIGIBLE');
      const short = candidateShortfalls(rules, election.seats, countBy(eligible, (c) => c.role));
      if (short.length > 0) throw conflict('RULES.CANDIDATE_SURPLUS', `RULES.CANDIDATE_SURPLUS: too few eligible candidates for the ballot: ${describeShortfalls(rules, short)}`);
      if (election.committee_kind !== 'PARTY') {
        const publishedOn = await voterListPublishedOn(manager, rootOf(election));
        if (!publishedOn) {
          throw conflict('ELECTION.VOTER_LIST_UNPUBLISHED', `ELECTION.VOTER_LIST_UNPUBLISHED: publish the voter list before fixing the election (${rules.voterListLeadDays.article})`);
        }
        checkVoterListPublication(rules, publishedOn, election.election_day);
      }
      for (const c of eligible) changes.push({ id: c.id, status: transitionCandidate(c.status, 'PUT_ON_BALLOT', election.status) });
    }
    if (input.event === 'OPEN_POLLS' && election.committee_kind !== 'PARTY') {
      extra.registered_voters = await countRegisteredVoters(manager, rootOf(election));
      if (extra.registered_voters === 0) {
        throw conflict('ELECTION.NO_VOTERS', `ELECTION.NO_VOTERS: nobody is registered to vote; register voters before the polls open`);
      }
    }
    await candidates.apply(changes);
    const updated = await elections.update(election.id, { ...extra, status: next });
    await audit(manager, ctx, `advanceElection:${input.event}`, { type: 'Election', id: election.id, regionPath: election.region_path }, { status: election.status }, {
      status: next,
      candidatesChanged: changes.length,
      ...(extra.registered_voters !== undefined ? { registeredVoters: extra.registered_voters } : {}),
    });
    return updated;
  });
}

/** The regular election a round belongs to (its voter roll and its chain of certification). */
export const rootOf = (election: Pick<ElectionRow, 'id' | 'parent_election_id'>) => election.parent_election_id ?? election.id;
