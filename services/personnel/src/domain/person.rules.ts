import { badInput, fullYearsBetween, isIsoDate, normaliseMobilePhone, normaliseNationalId, parseNationalId } from '@huanjie/platform';
import { isEthnicGroup } from './ethnic-groups';
import type { OrgUnitKind } from './org-unit.rules';
import { ELECTING_KINDS } from './org-unit.rules';

/** 学历, lowest first: the order is the point (structure targets count "大专及以上"). */
export const EDUCATION_LEVELS = ['PRIMARY', 'JUNIOR_SECONDARY', 'SENIOR_SECONDARY', 'COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE'] as const;
export type Education = (typeof EDUCATION_LEVELS)[number];
export const POLITICAL_STATUSES = ['PARTY_MEMBER', 'PROBATIONARY_MEMBER', 'LEAGUE_MEMBER', 'DEMOCRATIC_PARTY', 'MASSES'] as const;
export type PoliticalStatus = (typeof POLITICAL_STATUSES)[number];
/** Statuses that carry a date of joining the Party. */
export const PARTY_STATUSES: readonly PoliticalStatus[] = ['PARTY_MEMBER', 'PROBATIONARY_MEMBER'];
export const PROFESSIONAL_BACKGROUNDS = [
  'PLANNING_CONSTRUCTION',
  'SOCIAL_GOVERNANCE',
  'MODERN_AGRICULTURE',
  'RURAL_TOURISM',
  'E_COMMERCE',
  'LAW',
  'FINANCE',
  'EDUCATION',
  'HEALTH',
  'OTHER',
] as const;
export type ProfessionalBackground = (typeof PROFESSIONAL_BACKGROUNDS)[number];
export const SOURCE_TAGS = [
  'RETURNING_GRADUATE',
  'VETERAN',
  'ENTREPRENEUR',
  'SOCIAL_ORGANISATION_LEADER',
  'GRID_WORKER',
  'MIGRANT_RETURNEE',
  'OTHER',
] as const;
export type SourceTag = (typeof SOURCE_TAGS)[number];
export type Gender = 'MALE' | 'FEMALE';

/** Units whose 后备干部 pool a reserve cadre may belong to: the village/community, or the township that keeps one. */
export const RESERVE_POOL_KINDS: readonly OrgUnitKind[] = [...ELECTING_KINDS, 'TOWN', 'SUBDISTRICT'];

/** What the register holds about a person, in plain form (the ID number aside; the phone decrypted). */
export interface PersonFacts {
  name: string;
  gender: Gender;
  birthDate: string;
  /** null only for records registered before 民族 was recorded. */
  ethnicity: string | null;
  education: Education;
  politicalStatus: PoliticalStatus;
  partyJoinedOn: string | null;
  professionalBackgrounds: ProfessionalBackground[];
  sourceTags: SourceTag[];
  reserve: boolean;
  reserveSince: string | null;
  reserveOrgUnitId: string | null;
  phone: string | null;
}

/** 大专及以上: the education share the 换届 structure targets count (GLOSSARY, "两升一降"). */
export function isCollegeOrAbove(education: Education): boolean {
  return EDUCATION_LEVELS.indexOf(education) >= EDUCATION_LEVELS.indexOf('COLLEGE');
}

/** 周岁 on `today` (an Asia/Shanghai date). */
export function ageOn(birthDate: string, today: string): number {
  return fullYearsBetween(birthDate, today);
}

export function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 50) throw badInput('PERSON.NAME', `name must be 1–50 characters, got ${name.length}`);
  return name;
}

function checkEthnicity(raw: string): string {
  const ethnicity = raw.trim();
  if (!isEthnicGroup(ethnicity)) {
    throw badInput(
      'PERSON.ETHNICITY',
      `民族 must be one of the 56 names of GB/T 3304 (e.g. 汉族, 蒙古族), got ${JSON.stringify(ethnicity)}`,
    );
  }
  return ethnicity;
}

function checkDate(rule: string, label: string, raw: string): string {
  const value = raw.trim();
  if (!isIsoDate(value)) throw badInput(rule, `${label} must be a date written yyyy-mm-dd, got ${JSON.stringify(value)}`);
  return value;
}

/** Sets are stored in the order of their enum, so equal sets compare equal and diffs stay quiet. */
function asSet<T extends string>(values: readonly T[], order: readonly T[]): T[] {
  return order.filter((v) => values.includes(v));
}

/**
 * 入党时间 — required exactly for Party members and probationary members (the date the branch
 * admitted them as probationary members), never in the future, and not before the 18th birthday:
 * 中国共产党章程 第一条 admits only those 年满十八岁.
 */
function checkPartyJoinedOn(status: PoliticalStatus, raw: string | null, birthDate: string, today: string): string | null {
  const member = PARTY_STATUSES.includes(status);
  if (raw === null) {
    if (member) throw badInput('PERSON.PARTY_JOINED_ON_REQUIRED', `入党时间 (partyJoinedOn) is required for political status ${status}`);
    return null;
  }
  if (!member) {
    throw badInput(
      'PERSON.PARTY_JOINED_ON_MEMBERS_ONLY',
      `入党时间 (partyJoinedOn) is recorded only for Party members and probationary members, not ${status}`,
    );
  }
  const date = checkDate('PERSON.PARTY_JOINED_ON_FORMAT', '入党时间 (partyJoinedOn)', raw);
  if (date > today) throw badInput('PERSON.PARTY_JOINED_ON_NOT_FUTURE', `入党时间 ${date} lies in the future (today is ${today})`);
  if (ageOn(birthDate, date) < 18) {
    throw badInput(
      'PERSON.PARTY_JOINED_ON_ADULT',
      `入党时间 ${date} is before the 18th birthday (born ${birthDate}); the Party constitution admits those aged 18 or over`,
    );
  }
  return date;
}

/**
 * 后备干部 — a reserve cadre has the date they entered the pool and the unit whose pool it is;
 * someone who is not a reserve has neither. The date is not in the future and not before the 18th
 * birthday: reserves are prospective candidates, and 村民委员会组织法 第十三条 gives the right to
 * stand for election from 18.
 */
function checkReserve(
  reserve: { reserve: boolean; since: string | null; orgUnitId: string | null },
  orgUnitKind: OrgUnitKind | null,
  birthDate: string,
  today: string,
): { reserveSince: string | null; reserveOrgUnitId: string | null } {
  if (!reserve.reserve) {
    if (reserve.since !== null || reserve.orgUnitId !== null) {
      throw badInput(
        'PERSON.RESERVE_FIELDS_FOR_RESERVES_ONLY',
        'reserveSince and reserveOrgUnitId are recorded only for a reserve cadre (reserve: true)',
      );
    }
    return { reserveSince: null, reserveOrgUnitId: null };
  }
  if (reserve.since === null)
    throw badInput('PERSON.RESERVE_SINCE_REQUIRED', '后备干部: reserveSince, the date the person entered the reserve pool, is required');
  const since = checkDate('PERSON.RESERVE_SINCE_FORMAT', 'reserveSince', reserve.since);
  if (since > today) throw badInput('PERSON.RESERVE_SINCE_NOT_FUTURE', `reserveSince ${since} lies in the future (today is ${today})`);
  if (ageOn(birthDate, since) < 18) {
    throw badInput(
      'PERSON.RESERVE_SINCE_ADULT',
      `reserveSince ${since} is before the 18th birthday (born ${birthDate}); only those who may stand for election can be reserves`,
    );
  }
  if (orgUnitKind !== null && !RESERVE_POOL_KINDS.includes(orgUnitKind)) {
    throw badInput(
      'PERSON.RESERVE_ORG_UNIT_KIND',
      `a reserve pool belongs to a village, community, town or sub-district, not a ${orgUnitKind}`,
    );
  }
  return { reserveSince: since, reserveOrgUnitId: reserve.orgUnitId };
}

export interface RegistrationInput {
  name: string;
  idNumber: string;
  gender?: Gender | null;
  birthDate?: string | null;
  ethnicity: string;
  education: Education;
  politicalStatus: PoliticalStatus;
  partyJoinedOn?: string | null;
  professionalBackgrounds?: ProfessionalBackground[] | null;
  sourceTags?: SourceTag[] | null;
  reserve?: boolean | null;
  reserveSince?: string | null;
  reserveOrgUnitId?: string | null;
  phone?: string | null;
}

export interface RegistrationContext {
  orgUnitId: string;
  orgUnitKind: OrgUnitKind;
  /** Kind of the unit named by input.reserveOrgUnitId, when one is named. */
  reserveOrgUnitKind: OrgUnitKind | null;
  /** Today in Asia/Shanghai, yyyy-mm-dd. */
  today: string;
}

/**
 * The ID number's GB 11643 facts against what the form says. Gender and birth date are read from
 * the number; when the form gives them as well they must agree, since a mismatch means one of the
 * two was typed wrong. Every disagreement is named.
 */
function identityFacts(input: Pick<RegistrationInput, 'idNumber' | 'gender' | 'birthDate'>) {
  const facts = parseNationalId(input.idNumber);
  const mismatches: { rule: string; field: string }[] = [];
  if (input.birthDate != null && input.birthDate.trim() !== facts.birthDate) {
    mismatches.push({ rule: 'PERSON.BIRTH_DATE_MATCHES_ID_NUMBER', field: 'birthDate' });
  }
  if (input.gender != null && input.gender !== facts.gender) mismatches.push({ rule: 'PERSON.GENDER_MATCHES_ID_NUMBER', field: 'gender' });
  if (mismatches.length > 0) {
    throw badInput(
      mismatches[0]!.rule,
      `${mismatches.map((m) => m.field).join(' and ')} must agree with the national ID number (digits 7–14 give the birth date, digit 17 the gender: odd = male)`,
      { rules: mismatches.map((m) => m.rule) },
    );
  }
  return facts;
}

/**
 * A registration: the ID number must pass GB 11643, gender and birth date are taken from it, and
 * the person belongs to a village or community, where 换届 happens.
 */
export function planRegistration(input: RegistrationInput, context: RegistrationContext): PersonFacts & { idNumber: string } {
  if (!ELECTING_KINDS.includes(context.orgUnitKind)) {
    throw badInput('PERSON.ORG_UNIT_KIND', `people are registered in a VILLAGE or COMMUNITY, not a ${context.orgUnitKind}`);
  }
  const name = checkName(input.name);
  const { gender, birthDate } = identityFacts(input);
  const ethnicity = checkEthnicity(input.ethnicity);
  const partyJoinedOn = checkPartyJoinedOn(input.politicalStatus, input.partyJoinedOn ?? null, birthDate, context.today);
  const reserve = input.reserve ?? false;
  const pool = checkReserve(
    // A reserve named without a pool joins the pool of their own unit.
    { reserve, since: input.reserveSince ?? null, orgUnitId: input.reserveOrgUnitId ?? (reserve ? context.orgUnitId : null) },
    input.reserveOrgUnitId != null ? context.reserveOrgUnitKind : null,
    birthDate,
    context.today,
  );
  return {
    name,
    gender,
    birthDate,
    ethnicity,
    education: input.education,
    politicalStatus: input.politicalStatus,
    partyJoinedOn,
    professionalBackgrounds: asSet(input.professionalBackgrounds ?? [], PROFESSIONAL_BACKGROUNDS),
    sourceTags: asSet(input.sourceTags ?? [], SOURCE_TAGS),
    reserve,
    ...pool,
    phone: input.phone != null ? normaliseMobilePhone(input.phone) : null,
    idNumber: normaliseNationalId(input.idNumber),
  };
}

/**
 * An update. Omitted fields stay as they are, and so do non-null fields given as null; for the
 * nullable ones (partyJoinedOn, reserveSince, reserveOrgUnitId, phone) an explicit null clears.
 * The ID number, and with it gender and birth date, never changes.
 */
export interface PersonUpdateInput {
  name?: string | null;
  ethnicity?: string | null;
  education?: Education | null;
  politicalStatus?: PoliticalStatus | null;
  partyJoinedOn?: string | null;
  professionalBackgrounds?: ProfessionalBackground[] | null;
  sourceTags?: SourceTag[] | null;
  reserve?: boolean | null;
  reserveSince?: string | null;
  reserveOrgUnitId?: string | null;
  phone?: string | null;
}

export interface UpdateContext {
  /** The person's own unit: the default pool of someone who becomes a reserve. */
  orgUnitId: string;
  reserveOrgUnitKind: OrgUnitKind | null;
  today: string;
}

/** Applies an update; returns the new facts and the names of the fields that really changed. */
export function applyUpdate(current: PersonFacts, input: PersonUpdateInput, context: UpdateContext) {
  const next: PersonFacts = { ...current };
  if (input.name != null) next.name = checkName(input.name);
  if (input.ethnicity != null) next.ethnicity = checkEthnicity(input.ethnicity);
  if (input.education != null) next.education = input.education;
  if (input.professionalBackgrounds != null) next.professionalBackgrounds = asSet(input.professionalBackgrounds, PROFESSIONAL_BACKGROUNDS);
  if (input.sourceTags != null) next.sourceTags = asSet(input.sourceTags, SOURCE_TAGS);
  if (input.phone !== undefined) next.phone = input.phone === null ? null : normaliseMobilePhone(input.phone);

  // Status and date are checked together whenever either is touched; leaving the Party clears the
  // date (it is recorded only for members), while 转正 (probationary → full) keeps it.
  if (input.politicalStatus != null || input.partyJoinedOn !== undefined) {
    next.politicalStatus = input.politicalStatus ?? current.politicalStatus;
    const date =
      input.partyJoinedOn !== undefined
        ? input.partyJoinedOn
        : PARTY_STATUSES.includes(next.politicalStatus)
          ? current.partyJoinedOn
          : null;
    next.partyJoinedOn = checkPartyJoinedOn(next.politicalStatus, date, current.birthDate, context.today);
  }

  // Likewise the reserve flag, date and pool; leaving the pool clears the date and the unit.
  if (input.reserve != null || input.reserveSince !== undefined || input.reserveOrgUnitId !== undefined) {
    const reserve = input.reserve ?? current.reserve;
    const since = input.reserveSince !== undefined ? input.reserveSince : reserve ? current.reserveSince : null;
    let orgUnitId = input.reserveOrgUnitId !== undefined ? input.reserveOrgUnitId : reserve ? current.reserveOrgUnitId : null;
    if (reserve && orgUnitId === null) orgUnitId = context.orgUnitId; // no pool named: their own unit's
    const pool = checkReserve(
      { reserve, since, orgUnitId },
      input.reserveOrgUnitId != null ? context.reserveOrgUnitKind : null,
      current.birthDate,
      context.today,
    );
    next.reserve = reserve;
    next.reserveSince = pool.reserveSince;
    next.reserveOrgUnitId = pool.reserveOrgUnitId;
  }

  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const changed = (Object.keys(next) as (keyof PersonFacts)[]).filter((k) => !same(next[k], current[k]));
  if (changed.length === 0) throw badInput('PERSON.NO_CHANGE', 'the update changes nothing');
  return { next, changed };
}
