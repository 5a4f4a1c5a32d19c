import type { OrgUnitKind } from '../domain/org-unit.rules';
import type { Education, PoliticalStatus, ProfessionalBackground, SourceTag } from '../domain/person.rules';

/** org_unit as read from SQL. */
export interface OrgUnitRow {
  id: string;
  code: string;
  name: string;
  kind: OrgUnitKind;
  parent_id: string | null;
  region_path: string;
  depth: number;
}

/** person as read from SQL; the cipher columns are never selected by list queries. */
export interface PersonRow {
  id: string;
  org_unit_id: string;
  region_path: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birth_date: string;
  ethnicity: string | null;
  education: Education;
  political_status: PoliticalStatus;
  party_joined_on: string | null;
  professional_backgrounds: ProfessionalBackground[];
  source_tags: SourceTag[];
  reserve: boolean;
  reserve_since: string | null;
  reserve_org_unit_id: string | null;
  id_number_masked: string;
  phone_masked: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A person with the encrypted ID number and phone: read only to apply an update or for the audited personIdentity query. */
export interface PersonSecretsRow extends PersonRow {
  id_number_cipher: string;
  phone_cipher: string | null;
}

/** What a new person row stores besides its public columns: the ID number encrypted and blind-indexed, the phone encrypted. */
export interface PersonSecrets {
  id_number_cipher: string;
  id_number_index: string;
  phone_cipher: string | null;
}

export const ORG_UNIT_COLUMNS = 'id, code, name, kind, parent_id, region_path, depth';
export const PERSON_COLUMNS = `id, org_unit_id, region_path, name, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, ethnicity,
  education, political_status, to_char(party_joined_on, 'YYYY-MM-DD') AS party_joined_on, professional_backgrounds, source_tags,
  reserve, to_char(reserve_since, 'YYYY-MM-DD') AS reserve_since, reserve_org_unit_id, id_number_masked, phone_masked, created_at, updated_at`;
