import type { CommitteeKind, EndReason, PartyOrgForm, PositionRole } from '../domain/committee.rules';

/** committee as read from SQL. */
export interface CommitteeRow {
  id: string;
  org_unit_id: string;
  region_path: string;
  kind: CommitteeKind;
  party_org_form: PartyOrgForm | null;
}

/** committee_term as read from SQL; dates as yyyy-mm-dd. */
export interface TermRow {
  id: string;
  committee_id: string;
  org_unit_id: string;
  region_path: string;
  starts_on: string;
  ends_on: string;
  status: 'ACTIVE' | 'ENDED';
  previous_term_id: string | null;
  election_id: string | null;
}

/** committee_position as read from SQL; dates as yyyy-mm-dd. */
export interface PositionRow {
  id: string;
  term_id: string;
  committee_id: string;
  committee_kind: CommitteeKind;
  org_unit_id: string;
  region_path: string;
  person_id: string;
  role: PositionRole;
  starts_on: string;
  ends_on: string | null;
  end_reason: EndReason | null;
  election_id: string | null;
}

export const COMMITTEE_COLUMNS = 'id, org_unit_id, region_path, kind, party_org_form';
export const TERM_COLUMNS = `id, committee_id, org_unit_id, region_path, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
  to_char(ends_on, 'YYYY-MM-DD') AS ends_on, status, previous_term_id, election_id`;
export const POSITION_COLUMNS = `id, term_id, committee_id, committee_kind, org_unit_id, region_path, person_id, role,
  to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, end_reason, election_id`;

/** Seats listed the way a committee is read out: head first, then deputies, then members. */
export const ROLE_ORDER_SQL = `array_position(ARRAY['SECRETARY', 'DEPUTY_SECRETARY', 'PARTY_MEMBER_SEAT', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'WOMEN_MEMBER', 'MEMBER'], role)`;
