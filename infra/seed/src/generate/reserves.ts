import { addDays, AGE_2026_REFERENCE_DAY, daysBetween } from './calendar';
import { BACKGROUNDS, CHENGDU, RESERVE } from './distributions';
import type { IdNumberIssuer } from './id-numbers';
import { makePerson } from './person';
import { Rng } from './prng';
import type { SeedPerson, SeedUnit } from './types';

/**
 * 后备干部: each unit's reserve pool. 000: 10,750 for 3,039 units — three a unit, a fourth in about
 * 54% of them, so the city comes to about 10,750 and a district to its share.
 */
const PER_UNIT = CHENGDU.reserves / CHENGDU.units;

export function unitReserves(seed: number, unit: SeedUnit, issuer: IdNumberIssuer, namesInUnit: Set<string>): SeedPerson[] {
  const rng = new Rng(seed, `reserves:${unit.code}`);
  const kind = unit.kind === 'VILLAGE' ? 'VILLAGE' : 'COMMUNITY';
  const count = Math.floor(PER_UNIT) + (rng.chance(PER_UNIT - Math.floor(PER_UNIT)) ? 1 : 0);
  return Array.from({ length: count }, (_, i) => {
    const since = addDays(RESERVE.sinceFrom, rng.int(0, daysBetween(RESERVE.sinceFrom, RESERVE.sinceTo)));
    const tag = rng.weighted(RESERVE.sourceTags);
    return makePerson(
      rng,
      issuer,
      {
        key: `r:${unit.code}:${i}`,
        category: 'RESERVE',
        unitCode: unit.code,
        gender: rng.chance(RESERVE.womenShare) ? 'FEMALE' : 'MALE',
        age: rng.normal(RESERVE.age.mean, RESERVE.age.sd, RESERVE.age.min, RESERVE.age.max),
        ageOn: AGE_2026_REFERENCE_DAY,
        college: rng.chance(RESERVE.collegeShare),
        politicalStatus: rng.weighted(RESERVE.politicalStatus),
        professionalBackgrounds: rng.chance(0.3) ? [rng.pick(BACKGROUNDS[kind])] : [],
        sourceTags: tag ? [tag] : [],
        reserveSince: since,
        joinedBefore: AGE_2026_REFERENCE_DAY,
      },
      namesInUnit,
    );
  });
}
