import { addDays, ageOn, birthDateFor, daysBetween } from './calendar';
import { BELOW_COLLEGE_LEVELS, COLLEGE_LEVELS, ETHNICITY, PHONE_SHARE } from './distributions';
import type { IdNumberIssuer } from './id-numbers';
import { personName } from './names';
import type { Rng } from './prng';
import type { Education, Gender, PersonCategory, PoliticalStatus, SeedPerson } from './types';

/** What decides a person; the rest (name, ID number, dates, phone) is drawn from it. */
export interface PersonTraits {
  key: string;
  category: PersonCategory;
  unitCode: string;
  gender: Gender;
  /** Age in years (fractional) on `ageOn`. */
  age: number;
  ageOn: string;
  college: boolean;
  politicalStatus: PoliticalStatus;
  professionalBackgrounds?: string[];
  sourceTags?: string[];
  reserveSince?: string | null;
  /** Party members joined before this day (their record is as of then). */
  joinedBefore: string;
}

export const isCollege = (e: Education) => e === 'COLLEGE' || e === 'BACHELOR' || e === 'MASTER' || e === 'DOCTORATE';

const adultOn = (birthDate: string) => addDays(birthDate, Math.ceil(18 * 365.25) + 1);
const maxDate = (a: string, b: string) => (a > b ? a : b);

/** 入党时间: at 20–35, after the 18th birthday and before `before`; probationary members within the year before it. */
function partyJoinedOn(rng: Rng, status: PoliticalStatus, birthDate: string, before: string): string | null {
  if (status !== 'PARTY_MEMBER' && status !== 'PROBATIONARY_MEMBER') return null;
  const eighteen = adultOn(birthDate);
  const latest = addDays(before, -1);
  const earliest = status === 'PROBATIONARY_MEMBER' ? addDays(latest, -330) : addDays(birthDate, Math.round(rng.int(20, 35) * 365.25));
  const from = earliest < eighteen ? eighteen : earliest;
  if (from >= latest) return latest < eighteen ? eighteen : latest;
  return addDays(from, rng.int(0, Math.min(daysBetween(from, latest), status === 'PROBATIONARY_MEMBER' ? 330 : 3650)));
}

/** A mainland mobile number (13x–19x), or none. */
function phone(rng: Rng): string | null {
  if (!rng.chance(PHONE_SHARE)) return null;
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

/**
 * A person from traits. `namesInUnit` keeps names unique within the unit, so the loader can tell
 * people apart by name and birth date when it looks up the ids personnel gave them.
 */
export function makePerson(rng: Rng, issuer: IdNumberIssuer, traits: PersonTraits, namesInUnit: Set<string>): SeedPerson {
  const birthDate = birthDateFor(traits.age, traits.ageOn);
  const idNumber = issuer.issue(rng, birthDate, traits.gender);
  let name = personName(rng, traits.gender, Number(birthDate.slice(0, 4)));
  while (namesInUnit.has(name)) name = personName(rng, traits.gender, Number(birthDate.slice(0, 4)));
  namesInUnit.add(name);
  const education = rng.weighted(traits.college ? COLLEGE_LEVELS : BELOW_COLLEGE_LEVELS);
  // 共青团员 are 28 or younger (团章 第一条); older people drawn as League members count as 群众.
  const status =
    traits.politicalStatus === 'LEAGUE_MEMBER' && ageOn(birthDate, traits.joinedBefore) > 28 ? 'MASSES' : traits.politicalStatus;
  return {
    key: traits.key,
    category: traits.category,
    unitCode: traits.unitCode,
    name,
    idNumber,
    gender: traits.gender,
    birthDate,
    ethnicity: rng.weighted(ETHNICITY),
    education,
    politicalStatus: status,
    partyJoinedOn: partyJoinedOn(rng, status, birthDate, traits.joinedBefore),
    professionalBackgrounds: traits.professionalBackgrounds ?? [],
    sourceTags: traits.sourceTags ?? [],
    reserve: traits.reserveSince != null,
    // Only those who may stand for election are reserves (personnel: PERSON.RESERVE_SINCE_ADULT).
    reserveSince: traits.reserveSince ? maxDate(traits.reserveSince, adultOn(birthDate)) : null,
    phone: phone(rng),
  };
}
