import { ageOn, SECRETARY_AGE_RULE_DAY, SNAPSHOT_DAY } from './calendar';
import { SECRETARY_AGE_LIMIT } from './distributions';
import { isCollege } from './person';
import type { Rng } from './prng';
import type { Role, SeedCandidate, SeedPerson, SeedTerm } from './types';

/**
 * Who stands in 2026, from the unit's register: the incumbents who may stand again, then the
 * reserves (后备干部, the pool the sources build for this), then new people where the pool runs
 * short. 差额 as elections requires it (candidateShortfalls): a Party committee's member seats 20%
 * more candidates than seats (the secretary and deputy 等额, elected by the new committee); a
 * villagers'/residents' committee more candidates than seats for every role.
 */

/** Choice: members 65 or older on the snapshot day stand down. */
const RETIREMENT_AGE = 65;
/** 000: "新选拔568人担任书记" of 3,039 secretaries — the secretary candidate is new in 18.7% of units. */
const NEW_SECRETARY_SHARE = 568 / 3039;

export interface UnitPool {
  members: readonly SeedPerson[];
  reserves: readonly SeedPerson[];
  terms: readonly [SeedTerm, SeedTerm];
  secretaryKey: string;
  /** A new person for the unit (a prospect), a full Party member when asked. */
  newProspect: (partyMember: boolean) => SeedPerson;
}

const withinSecretaryAge = (p: SeedPerson) => ageOn(p.birthDate, SECRETARY_AGE_RULE_DAY) < SECRETARY_AGE_LIMIT[p.gender];
const active = (p: SeedPerson) => ageOn(p.birthDate, SNAPSHOT_DAY) < RETIREMENT_AGE;
const fullMember = (p: SeedPerson) => p.politicalStatus === 'PARTY_MEMBER';

/** Takes people for a role: from `preferred` in order, skipping those already standing in this election. */
function take(pool: readonly SeedPerson[], count: number, standing: Set<string>): SeedPerson[] {
  const out: SeedPerson[] = [];
  for (const p of pool) {
    if (out.length === count) break;
    if (standing.has(p.key)) continue;
    standing.add(p.key);
    out.push(p);
  }
  return out;
}

function candidate(rng: Rng, p: SeedPerson, role: Role, party: boolean): SeedCandidate {
  return {
    personKey: p.key,
    role,
    gender: p.gender,
    // Choice; the sources name 两推一选 (002) and 一户一票 (003) as the ways people are put forward.
    nominatedBy: party
      ? rng.weighted([
          ['PARTY_MEMBERS', 60],
          ['ORGANISATION', 40],
        ] as const)
      : rng.weighted([
          ['HOUSEHOLDS', 50],
          ['VILLAGERS', 40],
          ['SELF', 10],
        ] as const),
    recommendations: party ? rng.int(8, 90) : rng.int(30, 450),
  };
}

/** The Party secretary candidate, who also stands for director (一肩挑). */
export function secretaryCandidate(rng: Rng, pool: UnitPool): SeedPerson {
  const incumbent = pool.members.find((m) => m.key === pool.secretaryKey)!;
  if (withinSecretaryAge(incumbent) && active(incumbent) && !rng.chance(NEW_SECRETARY_SHARE)) return incumbent;
  const others = [...pool.members, ...pool.reserves].filter(
    (p) => p.key !== incumbent.key && fullMember(p) && withinSecretaryAge(p) && active(p),
  );
  // A college-educated member first (002: new nominees "一般要具备大专以上文化程度").
  return others.find((p) => isCollege(p.education)) ?? others[0] ?? pool.newProspect(true);
}

function fill(pool: UnitPool, preferred: readonly SeedPerson[], count: number, standing: Set<string>, partyMember: boolean): SeedPerson[] {
  const got = take(preferred, count, standing);
  while (got.length < count) {
    const p = pool.newProspect(partyMember);
    standing.add(p.key);
    got.push(p);
  }
  return got;
}

export function partyCandidates(rng: Rng, pool: UnitPool, seats: Partial<Record<Role, number>>, secretary: SeedPerson): SeedCandidate[] {
  const standing = new Set([secretary.key]);
  const partyKeys = new Set(pool.terms[0].positions.map((s) => s.personKey));
  const eligible = (p: SeedPerson) => fullMember(p) && active(p);
  const preferred = [
    ...pool.members.filter((m) => partyKeys.has(m.key)),
    ...pool.reserves,
    ...pool.members.filter((m) => !partyKeys.has(m.key)),
  ].filter(eligible);
  const out = [candidate(rng, secretary, 'SECRETARY', true)];
  for (const p of fill(pool, preferred, seats.DEPUTY_SECRETARY ?? 0, standing, true)) out.push(candidate(rng, p, 'DEPUTY_SECRETARY', true));
  const memberSeats = seats.PARTY_MEMBER_SEAT ?? 0;
  for (const p of fill(pool, preferred, memberSeats + Math.ceil((memberSeats * 2) / 10), standing, true))
    out.push(candidate(rng, p, 'PARTY_MEMBER_SEAT', true));
  return out;
}

export function committeeCandidates(
  rng: Rng,
  pool: UnitPool,
  seats: Partial<Record<Role, number>>,
  secretary: SeedPerson,
): SeedCandidate[] {
  const standing = new Set([secretary.key]);
  const vcKeys = new Set(pool.terms[1].positions.map((s) => s.personKey));
  const preferred = [
    ...pool.members.filter((m) => vcKeys.has(m.key)),
    ...pool.reserves,
    ...pool.members.filter((m) => !vcKeys.has(m.key)),
  ].filter(active);
  const out = [candidate(rng, secretary, 'DIRECTOR', false)];
  for (const p of fill(pool, preferred, 1, standing, false)) out.push(candidate(rng, p, 'DIRECTOR', false));
  const deputies = seats.DEPUTY_DIRECTOR ?? 0;
  for (const p of fill(pool, preferred, deputies ? deputies + 1 : 0, standing, false))
    out.push(candidate(rng, p, 'DEPUTY_DIRECTOR', false));
  const members = fill(pool, preferred, (seats.MEMBER ?? 0) + 1, standing, false);
  // A woman among the member candidates, for the women's seat (村民委员会组织法 第六条).
  if (!members.some((p) => p.gender === 'FEMALE')) {
    const woman = preferred.find((p) => p.gender === 'FEMALE' && !standing.has(p.key));
    if (woman) {
      standing.add(woman.key);
      members[members.length - 1] = woman;
    }
  }
  for (const p of members) out.push(candidate(rng, p, 'MEMBER', false));
  return out;
}
