import type { EntityManager } from 'typeorm';
import { ElectionResultCertified, ElectionVoided, recordEvent } from '@huanjie/events';
import { conflict, shanghaiDate } from '@huanjie/platform';
import { CandidateStore } from '../db/candidate.store';
import { ElectionStore, type ElectionRow } from '../db/election.store';
import { TallyStore } from '../db/tally.store';
import type { ElectionsContext } from '../deps';
import { transitionCandidate } from '../domain/candidate.state-machine';
import { transition } from '../domain/election.state-machine';
import { termEndsOn } from '../domain/election.rules';
import { vacatedSeats } from '../domain/rounds.rules';
import { audit, CERTIFIERS, onElection, type Actor, type ElectionRef } from './command-kit';
import { appendToChain, familyOf, inheritedWinners, isPrincipal, openRound } from './tally.commands';

async function termYearsOf(manager: EntityManager, cycleId: string): Promise<number> {
  const [row] = await manager.query(`SELECT term_years FROM election_cycle WHERE id = $1`, [cycleId]);
  return Number(row.term_years);
}

/**
 * 确认选举结果: certifies a tallied election with every round beneath it (run-offs, the women's
 * seat) tallied or failed. The winners of all rounds form the result; the certification is
 * appended to the hash chain (with the head of each round's chain), and ElectionResultCertified is
 * published so personnel forms the new term.
 */
export async function certifyElection(ctx: ElectionsContext, input: ElectionRef): Promise<ElectionRow> {
  return onElection(ctx, CERTIFIERS, 'certifyElection', input, async (manager, election, elections) => {
    if (!isPrincipal(election)) {
      throw conflict(
        'ELECTION.CERTIFY_ROUND',
        `ELECTION.CERTIFY_ROUND: a ${election.round_kind} round is certified with the election it belongs to (${election.parent_election_id})`,
      );
    }
    const next = transition(election.status, 'CERTIFY');
    const candidates = new CandidateStore(manager, '');
    const family = await familyOf(elections, candidates, election);
    const pending = family.rounds.filter((r) => r.status !== 'TALLIED' && r.status !== 'FAILED');
    if (pending.length > 0) {
      throw conflict(
        'ELECTION.ROUNDS_PENDING',
        `ELECTION.ROUNDS_PENDING: certify once every round is counted; still open: ${pending.map((r) => `${r.round_kind} ${r.id} (${r.status})`).join(', ')}`,
      );
    }
    const elected = family.candidates.filter((c) => c.status === 'ELECTED');
    // A repeat after a void (补选) fills the vacated seats: the committee it certifies is the earlier
    // result's remaining winners with the new ones, serving out the earlier term.
    const inherited = await inheritedWinners(elections, candidates, election);
    const earlier = inherited?.parent ?? null;
    if (inherited) elected.unshift(...inherited.winners);
    if (elected.length === 0) throw conflict('ELECTION.NOBODY_ELECTED', `ELECTION.NOBODY_ELECTED: no candidate was elected; there is no result to certify`);
    const now = new Date();
    const tally = new TallyStore(manager);
    const roundHeads = [];
    for (const round of family.rounds) {
      roundHeads.push({ electionId: round.id, kind: round.round_kind, status: round.status, headHash: (await tally.lastLink(round.id))?.hash ?? null });
      if (round.status === 'TALLIED') await elections.update(round.id, { status: 'CERTIFIED', certified_at: now });
    }
    const hash = await appendToChain(tally, election.id, 'CERTIFICATION', {
      electionId: election.id,
      elected: elected.map((c) => ({ personId: c.person_id, role: c.role, votes: c.votes ?? 0, round: c.election_id })),
      rounds: roundHeads,
      certifiedBy: ctx.auth.userId,
      certifiedAt: now.toISOString(),
    });
    const updated = await elections.update(election.id, { status: next, certified_at: now });
    const startsOn = shanghaiDate(now);
    const years = await termYearsOf(manager, election.cycle_id);
    const endsOn = earlier ? termEndsOn(shanghaiDate(earlier.certified_at!), years) : termEndsOn(startsOn, years);
    await recordEvent(manager, ElectionResultCertified, {
      subject: election.id,
      data: {
        electionId: election.id,
        orgUnitId: election.org_unit_id,
        regionPath: election.region_path,
        committeeKind: election.committee_kind,
        partyOrgForm: (election.party_org_form as 'BRANCH' | 'GENERAL_BRANCH' | 'COMMITTEE' | null) ?? null,
        termStartsOn: startsOn,
        termEndsOn: endsOn,
        elected: elected.map((c) => ({ personId: c.person_id, role: c.role as 'DIRECTOR' })),
        certifiedAt: now.toISOString(),
      },
    });
    await audit(manager, ctx, 'certifyElection', { type: 'Election', id: election.id, regionPath: election.region_path }, { status: election.status }, {
      status: next,
      elected: elected.length,
      chainHead: hash,
    });
    return updated;
  });
}

/** 三个一律 grounds: a win obtained this way is void. */
export const VOIDING_CATEGORIES = ['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE'] as const;
export type VoidingCategory = (typeof VOIDING_CATEGORIES)[number];

export interface SubstantiatedFinding {
  complaintId: string;
  orgUnitId: string;
  category: string;
  electionId: string | null;
  subjectPersonIds: string[];
  substantiatedAt: string;
}

/**
 * A substantiated complaint on a 三个一律 ground against people elected in a certified election
 * voids their election: their candidacies become VOIDED, the election VOIDED (nothing deleted),
 * the void is appended to the hash chain, ElectionVoided is published (personnel ends their
 * seats), and a repeat round (重新选举/补选) is planned for the seats they leave. Returns the
 * elections voided; none when the finding names nobody elected in a certified election.
 */
export async function voidOnFinding(manager: EntityManager, actor: Actor, finding: SubstantiatedFinding): Promise<ElectionRow[]> {
  if (!(VOIDING_CATEGORIES as readonly string[]).includes(finding.category) || finding.subjectPersonIds.length === 0) return [];
  const elections = new ElectionStore(manager, '');
  const candidates = new CandidateStore(manager, '');
  // The certified principal elections the finding can concern, locked: the named one (or the one
  // its round belongs to), else those of the unit.
  const params: unknown[] = finding.electionId ? [finding.electionId] : [finding.orgUnitId];
  const ids: { id: string }[] = await manager.query(
    finding.electionId
      ? `SELECT COALESCE(CASE WHEN e.round_kind IN ('RUN_OFF', 'WOMEN_SEAT') THEN e.parent_election_id END, e.id) AS id FROM election e WHERE e.id = $1`
      : `SELECT e.id FROM election e WHERE e.org_unit_id = $1 AND e.round_kind IN ('REGULAR', 'REPEAT') AND e.status = 'CERTIFIED'`,
    params,
  );
  const voided: ElectionRow[] = [];
  for (const { id } of ids) {
    const election = await elections.lock(id);
    if (!election || election.status !== 'CERTIFIED') continue;
    const family = await familyOf(elections, candidates, election);
    const culprits = family.candidates.filter((c) => c.status === 'ELECTED' && finding.subjectPersonIds.includes(c.person_id));
    if (culprits.length === 0) continue;
    const byElection = new Map([election, ...family.rounds].map((e) => [e.id, e]));
    await candidates.apply(culprits.map((c) => ({ id: c.id, status: transitionCandidate(c.status, 'VOID', byElection.get(c.election_id)!.status), reason: finding.category })));
    const now = new Date();
    for (const round of family.rounds) {
      if (culprits.some((c) => c.election_id === round.id) && round.status === 'CERTIFIED') {
        await elections.update(round.id, { status: transition(round.status, 'VOID'), voided_at: now, void_reason: finding.category });
      }
    }
    const updated = await elections.update(election.id, { status: transition(election.status, 'VOID'), voided_at: now, void_reason: finding.category });
    await appendToChain(new TallyStore(manager), election.id, 'VOID', {
      electionId: election.id,
      complaintId: finding.complaintId,
      reason: finding.category,
      personIds: culprits.map((c) => c.person_id),
      voidedAt: finding.substantiatedAt,
    });
    await recordEvent(manager, ElectionVoided, {
      subject: election.id,
      data: {
        electionId: election.id,
        orgUnitId: election.org_unit_id,
        regionPath: election.region_path,
        committeeKind: election.committee_kind,
        personIds: culprits.map((c) => c.person_id),
        reason: finding.category as VoidingCategory,
        voidedAt: finding.substantiatedAt,
      },
    });
    const regular = election.round_kind === 'REGULAR' ? election : (await elections.byIds([election.parent_election_id!]))[0]!;
    await openRound(manager, actor, regular, { kind: 'REPEAT', seats: vacatedSeats(culprits), candidateIds: [] }, 'PLANNED', []);
    await audit(manager, actor, 'voidElection', { type: 'Election', id: election.id, regionPath: election.region_path }, { status: election.status }, {
      status: updated.status,
      complaintId: finding.complaintId,
      reason: finding.category,
      voidedCandidates: culprits.map((c) => c.id),
    });
    voided.push(updated);
  }
  return voided;
}
