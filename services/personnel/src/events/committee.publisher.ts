import type { EntityManager } from 'typeorm';
import { PositionAssigned, PositionEnded, recordEvent, recordEvents, TermStarted } from '@huanjie/events';
import type { CommitteeRow, PositionRow, TermRow } from '../db/committee.rows';

// What personnel tells others about committees (topic personnel.committee.v1). Every event is
// keyed by the committee id, so one committee's term changes and seats arrive in order.

const seatFacts = (p: PositionRow) => ({
  positionId: p.id,
  termId: p.term_id,
  committeeId: p.committee_id,
  committeeKind: p.committee_kind,
  orgUnitId: p.org_unit_id,
  regionPath: p.region_path,
  personId: p.person_id,
  role: p.role,
  startsOn: p.starts_on,
  electionId: p.election_id,
});

export async function recordTermStarted(manager: EntityManager, term: TermRow, committee: CommitteeRow, memberCount: number, time: Date) {
  await recordEvent(manager, TermStarted, {
    subject: committee.id,
    time,
    data: {
      termId: term.id,
      committeeId: committee.id,
      committeeKind: committee.kind,
      orgUnitId: committee.org_unit_id,
      regionPath: committee.region_path,
      partyOrgForm: committee.party_org_form,
      startsOn: term.starts_on,
      endsOn: term.ends_on,
      previousTermId: term.previous_term_id,
      memberCount,
      electionId: term.election_id,
    },
  });
}

const endedFacts = (p: PositionRow) => {
  if (p.ends_on === null || p.end_reason === null) throw new Error(`position ${p.id} has not ended`);
  return { ...seatFacts(p), endsOn: p.ends_on, endReason: p.end_reason };
};

/** PositionAssigned for each seat, in order, in one statement (a new term fills up to nine). */
export async function recordPositionsAssigned(manager: EntityManager, positions: readonly PositionRow[], time: Date) {
  await recordEvents(manager, PositionAssigned, positions.map((p) => ({ subject: p.committee_id, time, data: seatFacts(p) })));
}

/** PositionEnded for each seat, in order, in one statement. */
export async function recordPositionsEnded(manager: EntityManager, positions: readonly PositionRow[], time: Date) {
  await recordEvents(manager, PositionEnded, positions.map((p) => ({ subject: p.committee_id, time, data: endedFacts(p) })));
}

export async function recordPositionAssigned(manager: EntityManager, position: PositionRow, time: Date) {
  await recordPositionsAssigned(manager, [position], time);
}

export async function recordPositionEnded(manager: EntityManager, position: PositionRow, time: Date) {
  await recordPositionsEnded(manager, [position], time);
}
