import type { EntityManager } from 'typeorm';
import { PositionAssigned, PositionEnded, recordEvent, TermStarted } from '@huanjie/events';
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

export async function recordPositionAssigned(manager: EntityManager, position: PositionRow, time: Date) {
  await recordEvent(manager, PositionAssigned, { subject: position.committee_id, time, data: seatFacts(position) });
}

export async function recordPositionEnded(manager: EntityManager, position: PositionRow, time: Date) {
  if (position.ends_on === null || position.end_reason === null) throw new Error(`position ${position.id} has not ended`);
  await recordEvent(manager, PositionEnded, {
    subject: position.committee_id,
    time,
    data: { ...seatFacts(position), endsOn: position.ends_on, endReason: position.end_reason },
  });
}
