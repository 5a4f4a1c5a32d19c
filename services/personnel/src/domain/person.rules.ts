import { badInput, parseNationalId, normaliseNationalId } from '@huanjie/platform';
import type { OrgUnitKind } from './org-unit.rules';
import { ELECTING_KINDS } from './org-unit.rules';

export const EDUCATION_LEVELS = ['PRIMARY', 'JUNIOR_SECONDARY', 'SENIOR_SECONDARY', 'COLLEGE', 'BACHELOR', 'POSTGRADUATE'] as const;
export type Education = (typeof EDUCATION_LEVELS)[number];
export const POLITICAL_STATUSES = ['PARTY_MEMBER', 'PROBATIONARY_MEMBER', 'LEAGUE_MEMBER', 'DEMOCRATIC_PARTY', 'MASSES'] as const;
export type PoliticalStatus = (typeof POLITICAL_STATUSES)[number];

export interface PersonFacts {
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  education: Education;
  politicalStatus: PoliticalStatus;
  reserve: boolean;
}

export function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 50) throw badInput('PERSON.NAME', `name must be 1–50 characters, got ${name.length}`);
  return name;
}

/**
 * A registration: the ID number must pass GB 11643, and gender and birth date are taken from it
 * rather than typed twice. People belong to a village or community, where 换届 happens.
 */
export function planRegistration(
  input: { name: string; idNumber: string; education: Education; politicalStatus: PoliticalStatus; reserve?: boolean | null },
  orgUnitKind: OrgUnitKind,
): PersonFacts & { idNumber: string } {
  if (!ELECTING_KINDS.includes(orgUnitKind)) {
    throw badInput('PERSON.ORG_UNIT_KIND', `people are registered in a VILLAGE or COMMUNITY, not a ${orgUnitKind}`);
  }
  const name = checkName(input.name);
  const facts = parseNationalId(input.idNumber);
  return {
    name,
    gender: facts.gender,
    birthDate: facts.birthDate,
    education: input.education,
    politicalStatus: input.politicalStatus,
    reserve: input.reserve ?? false,
    idNumber: normaliseNationalId(input.idNumber),
  };
}

export type PersonChanges = Partial<Pick<PersonFacts, 'name' | 'education' | 'politicalStatus' | 'reserve'>>;

/** Applies an update; returns the new facts and the names of the fields that really changed. */
export function applyUpdate(current: PersonFacts, input: { [K in keyof PersonChanges]?: PersonChanges[K] | null }) {
  const next: PersonFacts = { ...current };
  if (input.name != null) next.name = checkName(input.name);
  if (input.education != null) next.education = input.education;
  if (input.politicalStatus != null) next.politicalStatus = input.politicalStatus;
  if (input.reserve != null) next.reserve = input.reserve;
  const changed = (Object.keys(next) as (keyof PersonFacts)[]).filter((k) => next[k] !== current[k]);
  if (changed.length === 0) throw badInput('PERSON.NO_CHANGE', 'the update changes nothing');
  return { next, changed };
}
