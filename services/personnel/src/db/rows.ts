import type { OrgUnitKind } from '../domain/org-unit.rules';
import type { Education, PoliticalStatus } from '../domain/person.rules';

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

/** person as read from SQL; the cipher column is never selected by list queries. */
export interface PersonRow {
  id: string;
  org_unit_id: string;
  region_path: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birth_date: string;
  education: Education;
  political_status: PoliticalStatus;
  reserve: boolean;
  id_number_masked: string;
  created_at: Date;
  updated_at: Date;
}

export const ORG_UNIT_COLUMNS = 'id, code, name, kind, parent_id, region_path, depth';
export const PERSON_COLUMNS =
  "id, org_unit_id, region_path, name, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, education, political_status, reserve, id_number_masked, created_at, updated_at";
