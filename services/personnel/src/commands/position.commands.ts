import type { EntityManager } from 'typeorm';
import { conflict, isUniqueViolation, notFound, shanghaiDate } from '@huanjie/platform';
import type { PositionRow } from '../db/committee.rows';
import { CommitteeStore } from '../db/committee.store';
import { PositionStore } from '../db/position.store';
import { TermStore } from '../db/term.store';
import type { PersonnelContext } from '../deps';
import type { CommitteeKind, EndReason, PositionRole } from '../domain/committee.rules';
import { checkAssignment, planPositionEnd, voidedSeatEnd } from '../domain/position.rules';
import { recordPositionAssigned, recordPositionEnded } from '../events/committee.publisher';
import { audit, positionView, seatHoldersOf, writerOf, type CommitteeWriter } from './committee-writer';

export interface AssignPositionInput {
  termId: string;
  personId: string;
  role: PositionRole;
  startsOn?: string | null;
}

const raced = () => conflict('POSITION.CONCURRENT_CHANGE', 'the committee changed while the seat was being written; try again');

/**
 * The term of a seat change, read after locking its committee: the same lock formTerm takes, so
 * a seat is never added to a term that a new term is replacing at that moment.
 */
async function lockTerm(manager: EntityManager, writer: CommitteeWriter, termId: string) {
  const terms = new TermStore(manager, writer.scopePath);
  const [found] = await terms.byIds([termId]);
  if (!found) throw notFound('TERM.EXISTS', `term ${termId} does not exist or lies outside your scope`);
  const committee = await new CommitteeStore(manager, writer.scopePath).lockById(found.committee_id);
  const [term] = await terms.byIds([termId]);
  return { committee: committee!, term: term! };
}

/** 补选/增补: fills a seat of the current term. */
export async function assignPosition(ctx: PersonnelContext, input: AssignPositionInput): Promise<PositionRow> {
  const writer = writerOf(ctx, 'assignPosition');
  try {
    const row = await ctx.deps.dataSource.transaction(async (manager) => {
      const { committee, term } = await lockTerm(manager, writer, input.termId);
      const holder = (await seatHoldersOf(manager, writer.scopePath, [input.personId])).get(input.personId);
      if (!holder) throw notFound('POSITION.PERSON_EXISTS', `person ${input.personId} does not exist or lies outside your scope`);
      const positions = new PositionStore(manager, writer.scopePath);
      const active = await positions.activeOfCommittee(committee.id);
      const today = shanghaiDate(writer.now);
      // By default the seat starts today, or on the first day of a term that has not begun yet.
      const startsOn = input.startsOn ?? (today < term.starts_on ? term.starts_on : today);
      checkAssignment({
        kind: committee.kind,
        partyOrgForm: committee.party_org_form,
        term: { status: term.status, startsOn: term.starts_on, endsOn: term.ends_on },
        activeSeats: active.map((p) => ({ personId: p.person_id, role: p.role })),
        seat: { personId: input.personId, role: input.role },
        holder,
        startsOn,
      });
      const position: PositionRow = {
        id: writer.newId(),
        term_id: term.id,
        committee_id: committee.id,
        committee_kind: committee.kind,
        org_unit_id: term.org_unit_id,
        region_path: term.region_path,
        person_id: input.personId,
        role: input.role,
        starts_on: startsOn,
        ends_on: null,
        end_reason: null,
        election_id: null,
      };
      await positions.insertMany([position]);
      await recordPositionAssigned(manager, position, writer.now);
      await audit(manager, writer, {
        action: 'assignPosition',
        entityType: 'Position',
        entityId: position.id,
        regionPath: position.region_path,
        before: null,
        after: positionView(position),
      });
      return position;
    });
    ctx.deps.onEventsRecorded();
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw raced();
    throw error;
  }
}

export interface EndPositionInput {
  positionId: string;
  reason: EndReason;
  endsOn?: string | null;
}

/** 离任: a seat vacated during the term — transfer, resignation, removal, or a void declared by hand. */
export async function endPosition(ctx: PersonnelContext, input: EndPositionInput): Promise<PositionRow> {
  const writer = writerOf(ctx, 'endPosition');
  const row = await ctx.deps.dataSource.transaction(async (manager) => {
    const positions = new PositionStore(manager, writer.scopePath);
    const [found] = await positions.byIds([input.positionId]);
    if (!found) throw notFound('POSITION.EXISTS', `position ${input.positionId} does not exist or lies outside your scope`);
    await new CommitteeStore(manager, writer.scopePath).lockById(found.committee_id);
    const [current] = await positions.byIds([input.positionId]);
    const endsOn = planPositionEnd({
      position: { startsOn: current!.starts_on, endReason: current!.end_reason },
      reason: input.reason,
      endsOn: input.endsOn,
      today: shanghaiDate(writer.now),
    });
    const [ended] = await positions.end([{ id: current!.id, endsOn }], input.reason);
    await recordPositionEnded(manager, ended!, writer.now);
    await audit(manager, writer, {
      action: 'endPosition',
      entityType: 'Position',
      entityId: ended!.id,
      regionPath: ended!.region_path,
      before: positionView(current!),
      after: positionView(ended!),
    });
    return ended!;
  });
  ctx.deps.onEventsRecorded();
  return row;
}

export interface VoidSeatsInput {
  electionId: string;
  orgUnitId: string;
  committeeKind: CommitteeKind;
  personIds: readonly string[];
  voidedOn: string;
}

/**
 * 三个一律 — 已经当选的一律宣布选举结果无效: the seats the election gave the named winners end
 * (RESULT_VOIDED). Seats already vacated stay as they are. An election that formed no term here
 * is an error: its result never arrived or was refused, and someone has to look.
 */
export async function voidElectionSeats(manager: EntityManager, writer: CommitteeWriter, input: VoidSeatsInput): Promise<PositionRow[]> {
  const committee = await new CommitteeStore(manager, writer.scopePath).lockOf(input.orgUnitId, input.committeeKind);
  const positions = new PositionStore(manager, writer.scopePath);
  const seats = committee ? (await positions.ofElection(input.electionId)).filter((p) => p.committee_id === committee.id) : [];
  if (seats.length === 0) {
    throw notFound('ELECTION.TERM_FORMED', `election ${input.electionId} formed no term of the ${input.committeeKind} committee of org unit ${input.orgUnitId}`);
  }
  const voided = new Set(input.personIds);
  const targets = seats.filter((p) => p.end_reason === null && voided.has(p.person_id));
  const ended = await positions.end(
    targets.map((p) => ({ id: p.id, endsOn: voidedSeatEnd(p.starts_on, input.voidedOn) })),
    'RESULT_VOIDED',
  );
  for (const p of ended) {
    await recordPositionEnded(manager, p, writer.now);
    await audit(manager, writer, {
      action: 'voidElectionSeat',
      entityType: 'Position',
      entityId: p.id,
      regionPath: p.region_path,
      before: positionView(targets.find((t) => t.id === p.id)!),
      after: positionView(p),
    });
  }
  return ended;
}
