import { addDays, AGE_2021_REFERENCE_DAY, daysBetween, TERM_2021_FIRST_DAY, TERM_2021_LAST_DAY } from './calendar';
import {
  BACKGROUNDS,
  DISTINCT_MEMBERS,
  MEMBER_AGE,
  MEMBER_SOURCE_TAG_SHARE,
  MEMBER_SOURCE_TAGS,
  PARTY_ORG_FORMS,
  PARTY_SIZE,
  SECRETARY_AGE_LIMIT,
  TARGETS,
  VC_ONLY_POLITICAL_STATUS,
  VC_SIZE,
} from './distributions';
import type { IdNumberIssuer } from './id-numbers';
import { makePerson } from './person';
import { Rng } from './prng';
import type { Gender, SeedPerson, SeedTerm, SeedUnit } from './types';

/**
 * The two committees a village or community elected in 2021 (两委: the Party committee and the
 * villagers' or residents' committee) and the people on them. 一肩挑 everywhere (000: 100%): the
 * Party secretary is the committee's director. The Party members of the villagers' committee sit
 * on both (交叉任职), so a unit has fewer people than seats. Lawful rosters (personnel's
 * committee.rules.ts / term.rules.ts): Party seats only for full members, one head per committee,
 * the women's seat held by a woman, sizes within the law; at least one woman on each committee
 * (GLOSSARY: the structure targets; 001 "至少有1名女干部").
 */

/**
 * The chance of each member being a woman before the "at least one woman per committee" rule
 * adds some: calibrated so that TARGETS.womenShare comes out (choice).
 */
const WOMEN_DRAW = { VILLAGE: 0.05, COMMUNITY: 0.49 } as const;

export interface UnitCommittees {
  members: SeedPerson[];
  terms: [SeedTerm, SeedTerm];
  /** The 一肩挑 secretary and director. */
  secretaryKey: string;
}

export function unitCommittees(seed: number, unit: SeedUnit, issuer: IdNumberIssuer, namesInUnit: Set<string>): UnitCommittees {
  const rng = new Rng(seed, `members:${unit.code}`);
  const kind = unit.kind === 'VILLAGE' ? 'VILLAGE' : 'COMMUNITY';
  const form = rng.weighted(PARTY_ORG_FORMS);
  const p = rng.weighted(PARTY_SIZE[form]);
  const v = rng.weighted(VC_SIZE[kind]);
  // Distinct people: every seat filled, and at least the secretary on both committees.
  const d = Math.min(p + v - 1, Math.max(p, v, rng.weighted(DISTINCT_MEMBERS)));
  const overlap = p + v - d;
  const onParty = (i: number) => i < p;
  const onVc = (i: number) => i < overlap || i >= p;

  const genders: Gender[] = Array.from({ length: d }, () => (rng.chance(WOMEN_DRAW[kind]) ? 'FEMALE' : 'MALE'));
  // At least one woman on each committee; one of the overlap (a Party member on both) serves both.
  const hasWoman = (on: (i: number) => boolean) => genders.some((g, i) => on(i) && g === 'FEMALE');
  if (!hasWoman(onParty)) genders[1] = 'FEMALE'; // index 1 sits on both committees whenever two people do
  if (!hasWoman(onVc)) genders[p < d ? p : 1] = 'FEMALE';

  // 001: a member 35 or under in 96.3% of units; never the secretary.
  const youngIndex = rng.chance(TARGETS.unitsWithMemberUnder35.value) ? rng.int(1, d - 1) : -1;
  const people: SeedPerson[] = [];
  for (let i = 0; i < d; i++) {
    const gender = genders[i]!;
    let age: number;
    if (i === youngIndex) age = rng.int(MEMBER_AGE.young.min, MEMBER_AGE.young.max - 1) + rng.float();
    else if (i === 0) {
      // 002: the secretary under the age rule at nomination (男满60岁、女满55岁一般不继续提名书记).
      age = rng.normal(MEMBER_AGE.mean - 3, MEMBER_AGE.sd, 32, SECRETARY_AGE_LIMIT[gender] - 1.5);
    } else age = rng.normal(MEMBER_AGE.mean, MEMBER_AGE.sd, MEMBER_AGE.min, MEMBER_AGE.max);
    const backgroundShare = i === 0 ? TARGETS.professionalBackground.secretaries : TARGETS.professionalBackground.members;
    people.push(
      makePerson(
        rng,
        issuer,
        {
          key: `m:${unit.code}:${i}`,
          category: 'MEMBER',
          unitCode: unit.code,
          gender,
          age,
          ageOn: AGE_2021_REFERENCE_DAY,
          college: rng.chance(TARGETS.collegeShare[kind]),
          politicalStatus: onParty(i) ? 'PARTY_MEMBER' : rng.weighted(VC_ONLY_POLITICAL_STATUS),
          professionalBackgrounds: rng.chance(backgroundShare) ? [rng.pick(BACKGROUNDS[kind])] : [],
          sourceTags: rng.chance(MEMBER_SOURCE_TAG_SHARE) ? [rng.weighted(MEMBER_SOURCE_TAGS)] : [],
          // Full members by the 2021 election: admitted at least a year before.
          joinedBefore: '2020-01-01',
        },
        namesInUnit,
      ),
    );
  }

  // 先党内后党外: the Party committee first, the villagers'/residents' committee some days later.
  const partyStart = addDays(TERM_2021_FIRST_DAY, rng.int(0, daysBetween(TERM_2021_FIRST_DAY, TERM_2021_LAST_DAY) - 21));
  const vcStart = addDays(partyStart, rng.int(3, 20));
  const partyRoles = people.slice(0, p).map((person, i) => ({
    personKey: person.key,
    role:
      i === 0
        ? ('SECRETARY' as const)
        : i === 1 && p >= 5 && rng.chance(0.3)
          ? ('DEPUTY_SECRETARY' as const)
          : ('PARTY_MEMBER_SEAT' as const),
  }));
  const vcPeople = people.filter((_, i) => onVc(i));
  const woman = vcPeople.find((x, i) => i > 0 && x.gender === 'FEMALE');
  const deputy = vcPeople.length > 2 && rng.chance(0.4) ? vcPeople.find((x, i) => i > 0 && x !== woman) : undefined;
  const vcRoles = vcPeople.map((person, i) => ({
    personKey: person.key,
    role:
      i === 0
        ? ('DIRECTOR' as const)
        : person === woman
          ? ('WOMEN_MEMBER' as const)
          : person === deputy
            ? ('DEPUTY_DIRECTOR' as const)
            : ('MEMBER' as const),
  }));
  return {
    members: people,
    terms: [
      { unitCode: unit.code, committeeKind: 'PARTY', partyOrgForm: form, startsOn: partyStart, positions: partyRoles },
      {
        unitCode: unit.code,
        committeeKind: unit.kind === 'VILLAGE' ? 'VILLAGERS' : 'RESIDENTS',
        partyOrgForm: null,
        startsOn: vcStart,
        positions: vcRoles,
      },
    ],
    secretaryKey: people[0]!.key,
  };
}
