import type { EntityManager } from 'typeorm';
import { badInput, conflict, isUuid } from '@huanjie/platform';
import { CandidateStore, type CandidateChange, type CandidateRow } from '../db/candidate.store';
import { ElectionStore, type ElectionRow } from '../db/election.store';
import { TallyStore, type ChainRow, type TallySheetRow } from '../db/tally.store';
import type { ElectionsContext } from '../deps';
import { orderedSeats, rulesOfElection, WOMEN_SEAT_ROLE } from '../domain/election.rules';
import { transition } from '../domain/election.state-machine';
import { GENESIS_HASH, recordHash, verifyChain, type Json } from '../domain/hash-chain';
import { candidateOutcomes, runOffRounds, womenSeatRoundNeeded, type PlannedRound } from '../domain/rounds.rules';
import { compareEntries, computeElectionResult, computeRunOff, validateTallySheet, type TallySheet } from '../domain/tally.rules';
import { audit, MANAGERS, onElection, type Actor, type ElectionRef } from './command-kit';

export interface EnterTallySheetInput {
  electionId: string;
  boxCode: string;
  ballotsIssued: number;
  ballotsReturned: number;
  ballotsInvalid: number;
  votes: readonly { candidateId: string; votes: number }[];
  writeIns?: readonly { role: string; votes: number }[] | null;
}

/** Appends a record to an election's hash chain (the election row is locked by the caller). */
export async function appendToChain(tally: TallyStore, electionId: string, kind: 'TALLY_SHEET' | 'CERTIFICATION' | 'VOID', content: Json): Promise<string> {
  const last = await tally.lastLink(electionId);
  const prevHash = last ? last.hash : GENESIS_HASH;
  const record = { index: last ? last.seq + 1 : 0, content, prevHash, hash: recordHash(prevHash, content) };
  await tally.appendLink(electionId, kind, record);
  return record.hash;
}

/**
 * 计票 entry of one ballot box's sheet by one clerk. The sheet is accepted only when two entries by
 * different clerks match field for field; a mismatch is flagged with the fields that differ and
 * the next two entries start a fresh comparison — entries are never merged or overwritten. An
 * accepted sheet is appended to the election's hash chain.
 */
export async function enterTallySheet(ctx: ElectionsContext, input: EnterTallySheetInput): Promise<TallySheetRow> {
  const boxCode = input.boxCode.trim();
  if (boxCode.length < 1 || boxCode.length > 40) throw badInput('TALLY.BOX', `TALLY.BOX: boxCode (the ballot box, 票箱) must be 1–40 characters`);
  return onElection(ctx, MANAGERS, 'enterTallySheet', input.electionId, async (manager, election) => {
    if (election.status !== 'POLLING') {
      throw conflict('TALLY.NOT_POLLING', `TALLY.NOT_POLLING: tally sheets are entered while the election is POLLING; it is ${election.status}`);
    }
    const onBallot = new Map(
      (await new CandidateStore(manager, '').ofElections([election.id])).filter((c) => c.status === 'ON_BALLOT').map((c) => [c.id, c]),
    );
    const sheet: TallySheet = {
      boxId: boxCode,
      clerkId: ctx.auth.userId,
      ballotsIssued: input.ballotsIssued,
      ballotsReturned: input.ballotsReturned,
      ballotsInvalid: input.ballotsInvalid,
      votes: {},
      writeIns: {},
    };
    for (const { candidateId, votes } of input.votes) {
      const candidate = isUuid(candidateId) ? onBallot.get(candidateId) : undefined;
      if (!candidate) throw badInput('TALLY.UNKNOWN_CANDIDATE', `TALLY.UNKNOWN_CANDIDATE: ${candidateId} is not on this election's ballot`);
      const role = (sheet.votes[candidate.role] ??= {});
      if (candidateId in role) throw badInput('TALLY.DUPLICATE_CANDIDATE', `TALLY.DUPLICATE_CANDIDATE: votes for ${candidateId} are given twice`);
      role[candidateId] = votes;
    }
    for (const { role, votes } of input.writeIns ?? []) {
      if (role in sheet.writeIns) throw badInput('TALLY.DUPLICATE_ROLE', `TALLY.DUPLICATE_ROLE: write-ins for ${role} are given twice`);
      sheet.writeIns[role] = votes;
    }
    validateTallySheet(sheet, election.seats);

    const tally = new TallyStore(manager);
    const row = await tally.lockSheet(ctx.deps.newId(), election.id, boxCode);
    if (row.status === 'ACCEPTED') {
      throw conflict('TALLY.ALREADY_ACCEPTED', `TALLY.ALREADY_ACCEPTED: the sheet of box ${boxCode} was accepted; accepted sheets are not re-entered`);
    }
    const first = await tally.unpairedEntry(row.id);
    if (first && first.clerk === ctx.auth.userId) {
      throw conflict('TALLY.SAME_CLERK', `TALLY.SAME_CLERK: the second entry of box ${boxCode} must be made by a different clerk than the first`);
    }
    const entryId = ctx.deps.newId();
    await tally.addEntry({ id: entryId, sheet_id: row.id, clerk: ctx.auth.userId, content: sheet, paired_with: first?.id ?? null });
    let updated = row;
    if (first) {
      const comparison = compareEntries(first.content, sheet);
      if (comparison.outcome === 'MATCH') {
        const accepted: TallySheet = { ...sheet, clerkId: `${first.clerk} + ${ctx.auth.userId}` };
        updated = await tally.updateSheet(row.id, 'ACCEPTED', [], accepted);
        await appendToChain(tally, election.id, 'TALLY_SHEET', {
          electionId: election.id,
          boxCode,
          ballotsIssued: sheet.ballotsIssued,
          ballotsReturned: sheet.ballotsReturned,
          ballotsInvalid: sheet.ballotsInvalid,
          votes: sheet.votes,
          writeIns: sheet.writeIns,
          clerks: [first.clerk, ctx.auth.userId],
        });
      } else {
        updated = await tally.updateSheet(row.id, 'MISMATCH', comparison.fields, null);
      }
    }
    await audit(manager, ctx, 'enterTallySheet', { type: 'TallySheet', id: row.id, regionPath: election.region_path }, { status: row.status }, {
      status: updated.status,
      boxCode,
      entryId,
      mismatchFields: updated.mismatch_fields,
    });
    return updated;
  });
}

/** The election whose certification covers a round: a REGULAR or REPEAT election. */
const isPrincipal = (e: Pick<ElectionRow, 'round_kind'>) => e.round_kind === 'REGULAR' || e.round_kind === 'REPEAT';

/**
 * 计票结束: computes the result from the accepted sheets by the election's rules. Quorum missed:
 * FAILED, and a repeat round (重新选举) is planned. Otherwise TALLIED: the winners are elected,
 * ties at the last seat and unfilled seats open run-off rounds (另行选举) with those standing
 * again, and when no woman can be elected any more the women's seat round (专职专选) opens.
 */
export async function closeCount(ctx: ElectionsContext, input: ElectionRef & { attendedMembers?: number | null }): Promise<ElectionRow> {
  return onElection(ctx, MANAGERS, 'closeCount', input, async (manager, election, elections) => {
    if (election.status !== 'POLLING') throw conflict('TALLY.NOT_POLLING', `TALLY.NOT_POLLING: the count is closed while the election is POLLING; it is ${election.status}`);
    const tally = new TallyStore(manager);
    const sheets = await tally.sheetsOf([election.id]);
    const open = sheets.filter((s) => s.status !== 'ACCEPTED');
    if (sheets.length === 0) throw conflict('TALLY.NO_SHEETS', `TALLY.NO_SHEETS: no tally sheet has been entered`);
    if (open.length > 0) {
      throw conflict('TALLY.SHEETS_PENDING', `TALLY.SHEETS_PENDING: ${open.map((s) => `${s.box_code} (${s.status})`).join(', ')} not accepted yet; every box needs two matching entries`);
    }
    const principal = isPrincipal(election) ? election : (await elections.byIds([election.parent_election_id!]))[0]!;
    const rules = rulesOfElection(election);
    const candidateStore = new CandidateStore(manager, '');
    const onBallot = (await candidateStore.ofElections([election.id], true)).filter((c) => c.status === 'ON_BALLOT');
    const candidates = onBallot.map((c) => ({ id: c.id, role: c.role, gender: c.gender }));
    const accepted = sheets.map((s) => s.accepted_content!);
    const party = election.committee_kind === 'PARTY';
    const registered = party ? principal.entitled_members! : election.registered_voters!;
    const attended = party ? (input.attendedMembers ?? undefined) : undefined;
    if (!party && input.attendedMembers != null) {
      throw badInput('TALLY.ATTENDED', `TALLY.ATTENDED: attendedMembers is counted at a PARTY meeting; a ${election.committee_kind} election counts ballots returned`);
    }

    let result: Record<string, unknown>;
    let changes: CandidateChange[] = [];
    let rounds: PlannedRound[] = [];
    if (election.round_kind === 'RUN_OFF') {
      const [role, seats] = Object.entries(election.seats)[0]!;
      const r = computeRunOff({ rules, sheets: accepted, registered, attended, role, seats, candidates });
      result = r as unknown as Record<string, unknown>;
      if (r.validity === 'VALID') {
        changes = candidateOutcomes(r.ranked, r.elected, r.runOff ? [r.runOff] : []).map((o) => ({ id: o.id, status: o.status, votes: o.votes, reason: o.reason }));
        rounds = runOffRounds(r.runOff ? [r.runOff] : []);
      }
    } else {
      // Roles in the committee's order (head first): the result lists winners in that order.
      const seatsPerRole = Object.fromEntries(orderedSeats(election.committee_kind, election.seats));
      const r = computeElectionResult({ rules, sheets: accepted, registered, attended, seatsPerRole, candidates });
      result = r as unknown as Record<string, unknown>;
      if (r.validity === 'VALID') {
        changes = candidateOutcomes(r.ranked, r.elected, r.runOffs).map((o) => ({ id: o.id, status: o.status, votes: o.votes, reason: o.reason }));
        rounds = runOffRounds(r.runOffs);
      }
    }
    const valid = result.validity === 'VALID';
    const next = transition(election.status, valid ? 'RECORD_TALLY' : 'FAIL');
    await candidateStore.apply(changes);
    const updated = await elections.update(election.id, {
      status: next,
      result,
      ...(party && attended !== undefined ? { attended_members: attended } : {}),
    });

    const opened: ElectionRow[] = [];
    const byId = new Map(onBallot.map((c) => [c.id, c]));
    for (const round of rounds) {
      opened.push(await openRound(manager, ctx, principal, round, 'SCHEDULED', round.candidateIds.map((id) => byId.get(id)!)));
    }
    if (!valid && isPrincipal(election)) {
      // 重新选举: the same seats, planned anew; the failed record stays.
      opened.push(await openRound(manager, ctx, election.round_kind === 'REPEAT' ? (await elections.byIds([election.parent_election_id!]))[0]! : election, { kind: 'REPEAT', seats: election.seats, candidateIds: [] }, 'PLANNED', []));
    }
    if (valid && rules.womenSeat.value) {
      const family = await familyOf(elections, candidateStore, principal);
      const inherited = await inheritedWinners(elections, candidateStore, principal);
      if (inherited) family.candidates.push(...inherited.winners);
      const womenSeatRoundExists = family.rounds.some((e) => e.round_kind === 'WOMEN_SEAT');
      const openRounds = new Set(family.rounds.filter((e) => !['TALLIED', 'CERTIFIED', 'FAILED', 'VOIDED'].includes(e.status)).map((e) => e.id));
      const stillStanding = [...family.candidates.filter((c) => openRounds.has(c.election_id) && c.status !== 'WITHDRAWN'), ...rounds.flatMap((r) => r.candidateIds.map((id) => byId.get(id)!))];
      if (womenSeatRoundNeeded({ womenSeatRule: true, elected: family.candidates.filter((c) => c.status === 'ELECTED'), stillStanding, womenSeatRoundExists })) {
        opened.push(await openRound(manager, ctx, principal, { kind: 'WOMEN_SEAT', seats: { [WOMEN_SEAT_ROLE]: 1 }, candidateIds: [] }, 'NOMINATING', []));
      }
    }
    await audit(manager, ctx, 'closeCount', { type: 'Election', id: election.id, regionPath: election.region_path }, { status: election.status }, {
      status: next,
      validity: result.validity,
      roundsOpened: opened.map((e) => ({ id: e.id, kind: e.round_kind, status: e.status })),
    });
    return updated;
  });
}

/** A principal election with all its rounds and all their candidates (after this transaction's changes). */
export async function familyOf(elections: ElectionStore, candidates: CandidateStore, principal: ElectionRow) {
  const rounds = await elections.roundsOf([principal.id]);
  const all = await candidates.ofElections([principal.id, ...rounds.map((r) => r.id)]);
  return { rounds, candidates: all };
}

/**
 * A repeat after a void (补选) inherits the earlier result's remaining winners: they sit on the
 * committee it completes. Returns the voided parent and those winners, or null for any other election.
 */
export async function inheritedWinners(elections: ElectionStore, candidates: CandidateStore, principal: ElectionRow) {
  if (principal.round_kind !== 'REPEAT') return null;
  const [parent] = await elections.byIds([principal.parent_election_id!]);
  if (parent?.status !== 'VOIDED' || !parent.certified_at) return null;
  // The parent's own ballot and its run-off / women's seat rounds; repeats (this one) are not its result.
  const rounds = (await elections.roundsOf([parent.id])).filter((r) => r.round_kind !== 'REPEAT');
  const all = await candidates.ofElections([parent.id, ...rounds.map((r) => r.id)]);
  return { parent, winners: all.filter((c) => c.status === 'ELECTED') };
}

/** Opens a round beneath `parent`, with candidates standing again (a run-off) or none yet. */
export async function openRound(
  manager: EntityManager,
  ctx: Actor,
  parent: ElectionRow,
  round: PlannedRound,
  status: 'PLANNED' | 'NOMINATING' | 'SCHEDULED',
  standing: readonly CandidateRow[],
): Promise<ElectionRow> {
  const row = await new ElectionStore(manager, '').insert({
    id: ctx.deps.newId(),
    cycle_id: parent.cycle_id,
    org_unit_id: parent.org_unit_id,
    org_unit_code: parent.org_unit_code,
    region_path: parent.region_path,
    committee_kind: parent.committee_kind,
    party_org_form: parent.party_org_form,
    round_kind: round.kind,
    parent_election_id: parent.id,
    seats: round.seats,
    seat_total: Object.values(round.seats).reduce((a, b) => a + b, 0),
    election_day: parent.election_day,
    method: parent.method,
    law_version: parent.law_version,
    status,
    entitled_members: parent.entitled_members,
  });
  await new CandidateStore(manager, '').insert(
    standing.map((c) => ({
      id: ctx.deps.newId(),
      election_id: row.id,
      person_id: c.person_id,
      region_path: c.region_path,
      role: c.role,
      gender: c.gender,
      nominated_by: c.nominated_by,
      recommendations: c.recommendations,
      status: 'ON_BALLOT' as const,
      negative_list_codes: c.negative_list_codes,
    })),
  );
  await audit(manager, ctx, 'openRound', { type: 'Election', id: row.id, regionPath: row.region_path }, null, row);
  return row;
}

/** The chain of an election verified: where it breaks, if it does. */
export interface ChainVerification {
  electionId: string;
  length: number;
  valid: boolean;
  /** position of the first record whose link does not hold; null when the chain holds. */
  firstBrokenSeq: number | null;
  headHash: string | null;
}

/** Verifies the chains of many elections from their stored rows (one read for all, see TallyStore.chains). */
export function verifyChains(electionIds: readonly string[], rows: readonly ChainRow[]): ChainVerification[] {
  const byElection = new Map<string, ChainRow[]>();
  for (const row of rows) {
    const list = byElection.get(row.election_id) ?? [];
    list.push(row);
    byElection.set(row.election_id, list);
  }
  return electionIds.map((electionId) => {
    const chain = byElection.get(electionId) ?? [];
    const broken = verifyChain(chain.map((r) => ({ index: r.seq, content: r.content, prevHash: r.prev_hash, hash: r.hash })));
    return { electionId, length: chain.length, valid: broken === null, firstBrokenSeq: broken, headHash: chain.at(-1)?.hash ?? null };
  });
}

export { isPrincipal };
