import { addDays, birthDateFor, daysBetween } from './calendar';
import type { IdNumberIssuer } from './id-numbers';
import { personName } from './names';
import { Rng, type Weighted } from './prng';
import type { SeedPerson, SeedUnit, SeedVoter } from './types';

/**
 * 选民名单 of a pilot unit's villagers'/residents' committee election: the unit's registered people
 * and its other adults. Size: 004, Baoshan's 1,000,746 registered voters in 533 units, about 1,878
 * a unit; choice: Normal(1,878, 500) clipped to 600–4,000. Registration basis (村民委员会组织法 第
 * 十三条): choice, most hukou residents, some 人户分离, a few non-hukou residents of over a year.
 */
const VOTERS = { mean: 1878, sd: 500, min: 600, max: 4000 } as const;
const BASES: Weighted<SeedVoter['basis']> = [
  ['HUKOU_RESIDENT', 80],
  ['HUKOU', 12],
  ['NON_HUKOU_RESIDENT', 8],
];

function household(unit: SeedUnit, n: number): string {
  // Villages count 组 and house numbers; communities buildings, entrances and flats.
  return unit.kind === 'VILLAGE'
    ? `${1 + Math.floor(n / 60)}组${String(1 + (n % 60)).padStart(2, '0')}号`
    : `${1 + Math.floor(n / 48)}栋${1 + (Math.floor(n / 16) % 3)}单元${String(101 + (n % 16)).padStart(3, '0')}号`;
}

export function voterRoll(
  seed: number,
  unit: SeedUnit,
  registered: readonly SeedPerson[],
  electionDay: string,
  issuer: IdNumberIssuer,
): SeedVoter[] {
  const rng = new Rng(seed, `voters:${unit.code}`);
  const total = Math.round(rng.normal(VOTERS.mean, VOTERS.sd, VOTERS.min, VOTERS.max));
  const voters: SeedVoter[] = [];
  let house = 0;
  let inHouse = 0;
  const next = () => {
    // One to four voters a household.
    if (inHouse === 0) {
      house++;
      inHouse = rng.int(1, 4);
    }
    inHouse--;
    return household(unit, house);
  };
  const basisFields = (basis: SeedVoter['basis']): Partial<SeedVoter> =>
    basis === 'NON_HUKOU_RESIDENT'
      ? {
          residentSince: addDays('2012-01-01', rng.int(0, daysBetween('2012-01-01', addDays(electionDay, -400)))),
          approvedOn: addDays(electionDay, -rng.int(25, 50)),
        }
      : {};
  for (const p of registered) {
    voters.push({ name: p.name, idNumber: p.idNumber, household: next(), basis: 'HUKOU_RESIDENT' });
  }
  while (voters.length < total) {
    const gender = rng.chance(0.5) ? 'FEMALE' : 'MALE';
    // Adults of every age, 18 on election day to 90 (choice: even spread).
    const birthDate = birthDateFor(18.05 + rng.float() * 72, electionDay);
    const basis = rng.weighted(BASES);
    voters.push({
      name: personName(rng, gender, Number(birthDate.slice(0, 4))),
      idNumber: issuer.issue(rng, birthDate, gender),
      household: next(),
      basis,
      ...basisFields(basis),
    });
  }
  return voters;
}
