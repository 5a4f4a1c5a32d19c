import type { EntityManager } from 'typeorm';
import { CandidateNominated, recordEvent } from '@huanjie/events';
import { badInput, conflict, isUniqueViolation, isUuid, notFound, requireRole } from '@huanjie/platform';
import { CandidateStore, type CandidateRow } from '../db/candidate.store';
import { ElectionStore } from '../db/election.store';
import type { ElectionsContext } from '../deps';
import { allowedCandidateEvents, transitionCandidate } from '../domain/candidate.state-machine';
import { isBallotLocked } from '../domain/election.state-machine';
import { CandidateEligibilityStore } from '../db/candidate-eligibility.store';
import { WOMEN_SEAT_ROLE } from '../domain/election.rules';
import { audit, MANAGERS, onElection } from './command-kit';

/**
 * 提名方式: PARTY_MEMBERS 党员推荐 and ORGANISATION 组织推荐 (两推一选 for the Party committee);
 * VILLAGERS 村(居)民提名 and HOUSEHOLDS 一户一票 for the villagers'/residents' committee; SELF 个人自荐.
 */
export const NOMINATION_SOURCES = ['PARTY_MEMBERS', 'VILLAGERS', 'HOUSEHOLDS', 'ORGANISATION', 'SELF'] as const;
export type NominationSource = (typeof NOMINATION_SOURCES)[number];
const SOURCES_BY_KIND: Record<string, readonly NominationSource[]> = {
  PARTY: ['PARTY_MEMBERS', 'ORGANISATION', 'SELF'],
  VILLAGERS: ['VILLAGERS', 'HOUSEHOLDS', 'SELF'],
  RESIDENTS: ['VILLAGERS', 'HOUSEHOLDS', 'SELF'],
};

export interface NominateCandidateInput {
  electionId: string;
  personId: string;
  role: string;
  /** as on the nomination form: the women's seat rule is applied from it at the count. */
  gender: 'MALE' | 'FEMALE';
  nominatedBy: NominationSource;
  /** how many recommended the person (推荐票数 / 联名人数). */
  recommendations: number;
}

/** 推荐提名: only while the election takes nominations; publishes CandidateNominated (vetting opens a review). */
export async function nominateCandidate(ctx: ElectionsContext, input: NominateCandidateInput): Promise<CandidateRow> {
  if (!isUuid(input.personId)) throw badInput('CANDIDATE.PERSON', `CANDIDATE.PERSON: personId must be a uuid, got ${JSON.stringify(input.personId)}`);
  if (!Number.isInteger(input.recommendations) || input.recommendations < 0 || input.recommendations > 100_000) {
    throw badInput('CANDIDATE.RECOMMENDATIONS', `CANDIDATE.RECOMMENDATIONS: recommendations must be a whole number from 0 to 100000, got ${input.recommendations}`);
  }
  return onElection(ctx, MANAGERS, 'nominateCandidate', input.electionId, async (manager, election) => {
    if (election.status !== 'NOMINATING') {
      throw conflict('CANDIDATE.NOT_NOMINATING', `CANDIDATE.NOT_NOMINATING: the election is ${election.status}; nominations are taken only while it is NOMINATING`);
    }
    if (!(input.role in election.seats)) {
      throw badInput('CANDIDATE.ROLE', `CANDIDATE.ROLE: this election fills ${Object.keys(election.seats).join(', ')}; ${input.role} is not one of its seats`);
    }
    if (!(SOURCES_BY_KIND[election.committee_kind] ?? []).includes(input.nominatedBy)) {
      throw badInput(
        'CANDIDATE.NOMINATED_BY',
        `CANDIDATE.NOMINATED_BY: a ${election.committee_kind} candidate is nominated by ${SOURCES_BY_KIND[election.committee_kind]!.join(', ')}; got ${input.nominatedBy}`,
      );
    }
    if (input.role === WOMEN_SEAT_ROLE && input.gender !== 'FEMALE') {
      throw badInput('CANDIDATE.WOMEN_SEAT', `CANDIDATE.WOMEN_SEAT: the women's seat (专职专选) is contested by women only`);
    }
    let row: CandidateRow;
    try {
      [row] = (await new CandidateStore(manager, '').insert([
        {
          id: ctx.deps.newId(),
          election_id: election.id,
          person_id: input.personId,
          region_path: election.region_path,
          role: input.role,
          gender: input.gender,
          nominated_by: input.nominatedBy,
          recommendations: input.recommendations,
          status: 'NOMINATED',
          negative_list_codes: [],
        },
      ])) as [CandidateRow];
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('CANDIDATE.DUPLICATE', `CANDIDATE.DUPLICATE: person ${input.personId} is already a candidate in this election`);
      throw error;
    }
    await recordEvent(manager, CandidateNominated, {
      subject: row.id,
      data: {
        candidateId: row.id,
        electionId: election.id,
        personId: row.person_id,
        orgUnitId: election.org_unit_id,
        regionPath: election.region_path,
        committeeKind: election.committee_kind,
        nominatedBy: input.nominatedBy,
        role: input.role as 'DIRECTOR',
      },
    });
    await audit(manager, ctx, 'nominateCandidate', { type: 'Candidate', id: row.id, regionPath: row.region_path }, null, row);
    return row;
  });
}

/** 退出: a candidate withdraws (or is withdrawn) before polling; the ballot is locked after. */
export async function withdrawCandidate(ctx: ElectionsContext, input: { candidateId: string; reason: string }): Promise<CandidateRow> {
  // The role before the lookup: a caller without it is FORBIDDEN whether or not the candidate
  // lies in their region, so the refusal says nothing about it (onElection checks it again).
  requireRole(ctx.auth, MANAGERS, 'withdrawCandidate');
  const reason = input.reason.trim();
  if (reason.length < 1 || Array.from(reason).length > 200) {
    throw badInput('CANDIDATE.REASON', `CANDIDATE.REASON: the reason for withdrawing must be 1–200 characters`);
  }
  const [candidate] = await new CandidateStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).byIds([input.candidateId]);
  if (!candidate) throw notFound('CANDIDATE.NOT_FOUND', `CANDIDATE.NOT_FOUND: no candidate ${input.candidateId} within your region scope`);
  return onElection(ctx, MANAGERS, 'withdrawCandidate', candidate.election_id, async (manager, election) => {
    const store = new CandidateStore(manager, '');
    const locked = (await store.lock(candidate.id))!;
    const status = transitionCandidate(locked.status, 'WITHDRAW', election.status);
    await store.apply([{ id: locked.id, status, reason }]);
    await audit(manager, ctx, 'withdrawCandidate', { type: 'Candidate', id: locked.id, regionPath: locked.region_path }, { status: locked.status }, { status, reason });
    return { ...locked, status, status_reason: reason };
  });
}

/**
 * A concluded 联审 (ReviewConcluded), after the consumer recorded it: the candidate takes the
 * latest recorded decision (a late-arriving older one does not count). Under review → eligible or
 * ineligible; a review concluded again moves an eligible or listed candidate to ineligible (off
 * the ballot) or back. One still NOMINATED takes the decision when the review stage opens. Once the
 * ballot is locked nothing changes here — a disqualifying finding after the polls voids the result
 * instead (三个一律) — and a withdrawn or counted candidate stays as they are.
 */
export async function applyEligibility(manager: EntityManager, candidateId: string): Promise<void> {
  const store = new CandidateStore(manager, '');
  const candidate = await store.lock(candidateId);
  const [decision] = await new CandidateEligibilityStore(manager).byCandidateIds([candidateId]);
  if (!candidate || !decision) return;
  const event = decision.outcome === 'CLEARED' ? 'CLEAR' : 'DISQUALIFY';
  const wanted = event === 'CLEAR' ? ['ELIGIBLE', 'ON_BALLOT'] : ['INELIGIBLE'];
  if (candidate.status === 'NOMINATED' || wanted.includes(candidate.status) || !allowedCandidateEvents(candidate.status).includes(event)) return;
  const [election] = await new ElectionStore(manager, '').byIds([candidate.election_id]);
  if (isBallotLocked(election!.status)) return;
  const status = transitionCandidate(candidate.status, event, election!.status);
  await store.apply([{ id: candidate.id, status, negativeListCodes: decision.negative_list_codes }]);
}
