import type { EntityManager } from 'typeorm';
import { isUniqueViolation, conflict, notFound } from '@huanjie/platform';
import type { CommitteeRow, PositionRow, TermRow } from '../db/committee.rows';
import type { OrgUnitRow } from '../db/rows';
import { CommitteeStore } from '../db/committee.store';
import { OrgUnitStore } from '../db/org-unit.store';
import { PositionStore } from '../db/position.store';
import { TermStore } from '../db/term.store';
import type { PersonnelContext } from '../deps';
import { checkCommitteeForUnit, type CommitteeKind, type PartyOrgForm } from '../domain/committee.rules';
import { planTerm, type Seat } from '../domain/term.rules';
import { recordPositionsAssigned, recordPositionsEnded, recordTermStarted } from '../events/committee.publisher';
import { audit, committeeView, positionView, seatHoldersOf, termView, writerOf, type CommitteeWriter } from './committee-writer';

export interface FormTermInput {
  orgUnitId: string;
  kind: CommitteeKind;
  /** Required the first time a unit's Party committee is recorded; replaces the recorded form otherwise. */
  partyOrgForm?: PartyOrgForm | null;
  startsOn: string;
  endsOn?: string | null;
  roster: readonly Seat[];
  /** The election whose certified result this is; null when the term is entered by hand. */
  electionId: string | null;
}

export interface FormedTerm {
  term: TermRow;
  assigned: PositionRow[];
  ended: PositionRow[];
}

/** The unit's committee, locked; recorded first if this is its first term on record. */
async function lockCommittee(manager: EntityManager, writer: CommitteeWriter, unit: OrgUnitRow, input: FormTermInput) {
  const committees = new CommitteeStore(manager, writer.scopePath);
  let committee = await committees.lockOf(unit.id, input.kind);
  if (!committee) {
    const form = checkCommitteeForUnit({ unitKind: unit.kind, kind: input.kind, partyOrgForm: input.partyOrgForm, existingForm: null });
    await committees.insertIfAbsent({ id: writer.newId(), org_unit_id: unit.id, region_path: unit.region_path, kind: input.kind, party_org_form: form });
    committee = await committees.lockOf(unit.id, input.kind);
  }
  return committee!;
}

/**
 * 换届: a new term of a unit's committee with its seats. The current term and every seat still
 * held in it end the day before (TERM_ENDED). One transaction, the caller's: the committee row is
 * locked first, so the rules are checked against the state that the writes change. Events go to
 * the outbox in the order they happened: seats vacated, term started, seats filled.
 */
export async function formTerm(manager: EntityManager, writer: CommitteeWriter, input: FormTermInput, action: string): Promise<FormedTerm> {
  const [unit] = await new OrgUnitStore(manager, writer.scopePath).byIds([input.orgUnitId]);
  if (!unit) throw notFound('ORG_UNIT.EXISTS', `org unit ${input.orgUnitId} does not exist or lies outside your scope`);
  const committee = await lockCommittee(manager, writer, unit, input);
  const form = checkCommitteeForUnit({ unitKind: unit.kind, kind: input.kind, partyOrgForm: input.partyOrgForm, existingForm: committee.party_org_form });

  const terms = new TermStore(manager, writer.scopePath);
  const positions = new PositionStore(manager, writer.scopePath);
  const existingTerms = await terms.allOf(committee.id);
  const currentSeats = await positions.activeOfCommittee(committee.id);
  const holders = await seatHoldersOf(manager, writer.scopePath, input.roster.map((s) => s.personId));
  const plan = planTerm({
    kind: input.kind,
    partyOrgForm: form,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    roster: input.roster,
    holders,
    existingTerms: existingTerms.map((t) => ({ id: t.id, startsOn: t.starts_on, endsOn: t.ends_on, status: t.status })),
    currentSeatStarts: currentSeats.map((p) => p.starts_on),
  });

  const current: CommitteeRow = { ...committee, party_org_form: form };
  if (form !== committee.party_org_form && form !== null) await new CommitteeStore(manager, writer.scopePath).setPartyOrgForm(committee.id, form);
  const previousTerm = plan.previous ? existingTerms.find((t) => t.id === plan.previous!.id)! : null;
  let ended: PositionRow[] = [];
  if (plan.previous) {
    ended = await positions.end(currentSeats.map((p) => ({ id: p.id, endsOn: plan.previous!.endsOn })), 'TERM_ENDED');
    await terms.end(plan.previous.id, plan.previous.endsOn);
  }
  const term: TermRow = {
    id: writer.newId(),
    committee_id: committee.id,
    org_unit_id: unit.id,
    region_path: unit.region_path,
    starts_on: plan.startsOn,
    ends_on: plan.endsOn,
    status: 'ACTIVE',
    previous_term_id: plan.previous?.id ?? null,
    election_id: input.electionId,
  };
  await terms.insert(term);
  const assigned: PositionRow[] = input.roster.map((seat) => ({
    id: writer.newId(),
    term_id: term.id,
    committee_id: committee.id,
    committee_kind: input.kind,
    org_unit_id: unit.id,
    region_path: unit.region_path,
    person_id: seat.personId,
    role: seat.role,
    starts_on: plan.startsOn,
    ends_on: null,
    end_reason: null,
    election_id: input.electionId,
  }));
  await positions.insertMany(assigned);

  // Vacated seats, then the term, then the filled seats: one statement each, in that order.
  await recordPositionsEnded(manager, ended, writer.now);
  await recordTermStarted(manager, term, current, assigned.length, writer.now);
  await recordPositionsAssigned(manager, assigned, writer.now);
  await audit(manager, writer, {
    action,
    entityType: 'Term',
    entityId: term.id,
    regionPath: unit.region_path,
    before: previousTerm ? { term: termView(previousTerm), seats: currentSeats.map(positionView) } : null,
    after: { committee: committeeView(current), term: termView(term), seats: assigned.map(positionView), ended: ended.map(positionView) },
  });
  return { term, assigned, ended };
}

export interface StartTermInput {
  orgUnitId: string;
  committeeKind: CommitteeKind;
  partyOrgForm?: PartyOrgForm | null;
  startsOn: string;
  endsOn?: string | null;
  positions: Seat[];
}

/** startTerm: a term entered by hand (e.g. the committees serving when the register opens). */
export async function startTerm(ctx: PersonnelContext, input: StartTermInput): Promise<TermRow> {
  const writer = writerOf(ctx, 'startTerm');
  try {
    const formed = await ctx.deps.dataSource.transaction((manager) =>
      formTerm(
        manager,
        writer,
        {
          orgUnitId: input.orgUnitId,
          kind: input.committeeKind,
          partyOrgForm: input.partyOrgForm,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          roster: input.positions,
          electionId: null,
        },
        'startTerm',
      ),
    );
    ctx.deps.onEventsRecorded();
    return formed.term;
  } catch (error) {
    // The rules ran under the committee lock; a unique index firing means a write the lock did not cover.
    if (isUniqueViolation(error)) throw conflict('TERM.CONCURRENT_CHANGE', 'the committee changed while the term was being formed; try again');
    throw error;
  }
}
