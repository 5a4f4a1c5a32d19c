import { CITY, DISTRICT_SCALE_CODE, DISTRICTS, type DistrictShape } from './geography';
import { addDays, CYCLE_2026, SNAPSHOT_DAY } from './calendar';
import type { UnitPool } from './candidates';
import { unitCommittees } from './committees';
import { nameComplainants, unitComplaints } from './complaints';
import { unitElections } from './elections';
import { IdNumberIssuer } from './id-numbers';
import { orgTree } from './org-tree';
import { makePerson } from './person';
import { Rng } from './prng';
import { unitReserves } from './reserves';
import { unitRiskItems } from './risks';
import { BRIEFING_SAMPLING, districtCourses } from './training';
import type { Scale, SeedData, SeedPerson, SeedPledge, SeedUnit } from './types';
import { voterRoll } from './voters';

/**
 * The whole data set for a scale and a seed; pure (no I/O, no clock, no Math.random): the same
 * arguments give the same data. Scales: `city` — 成都市, 20 districts, 260 townships, 3,039
 * villages and communities; `district` — 郫都区 alone, exactly as it is within the city; `village` —
 * one of its pilot villages with the units above it, for unit tests.
 */

/** 先行试点: two units a district (choice), one of each kind where it has both. */
export const PILOTS_PER_DISTRICT = 2;

function pickPilots(seed: number, d: DistrictShape, leaves: readonly SeedUnit[]): SeedUnit[] {
  const rng = new Rng(seed, `pilots:${d.code}`);
  const villages = leaves.filter((u) => u.kind === 'VILLAGE');
  const communities = leaves.filter((u) => u.kind === 'COMMUNITY');
  if (villages.length && communities.length) return [rng.pick(villages), rng.pick(communities)];
  return rng.shuffle(leaves).slice(0, PILOTS_PER_DISTRICT);
}

/** A prospect (新人选, 000: 创业先进个人、致富带头人…) for a unit whose register runs short of candidates. */
function prospectMaker(
  seed: number,
  unit: SeedUnit,
  issuer: IdNumberIssuer,
  names: Set<string>,
  out: SeedPerson[],
): UnitPool['newProspect'] {
  const rng = new Rng(seed, `prospects:${unit.code}`);
  return (partyMember) => {
    const p = makePerson(
      rng,
      issuer,
      {
        key: `n:${unit.code}:${out.length}`,
        category: 'PROSPECT',
        unitCode: unit.code,
        gender: rng.chance(0.35) ? 'FEMALE' : 'MALE',
        age: rng.normal(40, 7, 25, 55),
        ageOn: CYCLE_2026.startsOn,
        college: rng.chance(0.7),
        politicalStatus: partyMember
          ? 'PARTY_MEMBER'
          : rng.weighted([
              ['PARTY_MEMBER', 40],
              ['MASSES', 60],
            ] as const),
        sourceTags: [rng.pick(['ENTREPRENEUR', 'SOCIAL_ORGANISATION_LEADER', 'GRID_WORKER', 'VETERAN'])],
        joinedBefore: '2024-01-01',
      },
      names,
    );
    out.push(p);
    return p;
  };
}

export function generate(scale: Scale, seed: number): SeedData {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be a whole number 0–4294967295, got ${seed}`);
  const districts = scale === 'city' ? DISTRICTS : DISTRICTS.filter((d) => d.code === DISTRICT_SCALE_CODE);
  let units = orgTree(seed, districts);
  const data: SeedData = {
    scale,
    seed,
    snapshotDay: SNAPSHOT_DAY,
    units: [],
    people: [],
    terms: [],
    cycle: { ...CYCLE_2026, regionCode: CITY.code },
    pilotUnitCodes: [],
    elections: [],
    pledges: [],
    complaints: [],
    riskItems: [],
    courses: [],
    briefingSampling: BRIEFING_SAMPLING,
  };
  for (const d of districts) {
    const inDistrict = units.filter((u) => u.code.startsWith(d.code) && u.level === 5);
    const pilots = pickPilots(seed, d, inDistrict);
    let leaves = inDistrict;
    if (scale === 'village') {
      const village = pilots.find((u) => u.kind === 'VILLAGE')!;
      leaves = [village];
      units = units.filter((u) => u.level <= 3 || u.code === village.code || u.code === village.parentCode);
    }
    const pilotCodes = new Set(pilots.filter((p) => leaves.includes(p)).map((p) => p.code));
    data.pilotUnitCodes.push(...pilotCodes);
    const issuer = new IdNumberIssuer(d.code);
    const trainees: SeedPerson[] = [];
    for (const unit of leaves) {
      const names = new Set<string>();
      const committees = unitCommittees(seed, unit, issuer, names);
      const reserves = unitReserves(seed, unit, issuer, names);
      const prospects: SeedPerson[] = [];
      const pool: UnitPool = { ...committees, reserves, newProspect: prospectMaker(seed, unit, issuer, names, prospects) };
      const pilot = pilotCodes.has(unit.code);
      const elections = unitElections(seed, unit, pool, pilot);
      const registered = [...committees.members, ...reserves, ...prospects];
      if (pilot) {
        const vc = elections[1]!;
        vc.voters = voterRoll(seed, unit, registered, vc.electionDay, issuer);
        vc.voterListPublishedOn = SNAPSHOT_DAY;
      }
      data.people.push(...registered);
      data.terms.push(...committees.terms);
      data.elections.push(...elections);
      data.pledges.push(...pledgesOf(seed, unit, committees.secretaryKey, pilot ? elections : []));
      data.complaints.push(...unitComplaints(seed, unit, elections, new Map(registered.map((p) => [p.key, p])), pilot));
      data.riskItems.push(...unitRiskItems(seed, unit, committees.secretaryKey));
      trainees.push(
        committees.members.find((m) => m.key === committees.secretaryKey)!,
        ...reserves,
      );
    }
    const towns = units.filter((u) => u.level === 4 && u.code.startsWith(d.code));
    data.courses.push(...districtCourses(seed, d, towns, leaves, trainees));
  }
  data.units = units;
  nameComplainants(seed, data.complaints, data.people);
  return data;
}

/**
 * 002: "镇(街道)、村(社区)党组织书记 100%签订换届纪律责任书，候选人 100%签订换届纪律承诺书": every
 * unit's secretary for the cycle; the candidates of the pilot units (the others sign as their
 * nominations go on — not in the data set yet).
 */
function pledgesOf(seed: number, unit: SeedUnit, secretaryKey: string, elections: SeedData['elections']): SeedPledge[] {
  const rng = new Rng(seed, `pledges:${unit.code}`);
  const out: SeedPledge[] = [
    {
      personKey: secretaryKey,
      kind: 'UNIT_SECRETARY',
      unitCode: unit.code,
      electionKey: null,
      signedOn: addDays('2026-01-05', rng.int(0, 15)),
    },
  ];
  for (const e of elections) {
    for (const c of e.candidates)
      out.push({
        personKey: c.personKey,
        kind: 'CANDIDATE',
        unitCode: unit.code,
        electionKey: e.key,
        signedOn: addDays('2026-01-20', rng.int(0, 20)),
      });
  }
  return out;
}
