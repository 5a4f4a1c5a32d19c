import { regionPathFromCode } from '@huanjie/platform';
import { CITY, DISTRICTS, PLACE_FIRST, PLACE_SECOND, PROVINCE, TOWN_STEMS, type DistrictShape } from './geography';
import { Rng } from './prng';
import type { SeedUnit, UnitKind } from './types';

/**
 * The org tree: 四川省 → 成都市 → districts → townships → villages and communities, with codes in
 * the 统计用区划代码 layout the services check (regionPathFromCode; personnel's planOrgUnit): 2 + 2 +
 * 2 digits down to the county, 3 for the township (街道 001–099, 镇 101–199), 3 for the village
 * level (社区 001–199, 村 201–399). Province to county codes and names are the real ones; below
 * that they are made up.
 */

/** Splits `total` as evenly as possible into `parts` (the first ones get the remainder). */
export function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

interface TownPlan {
  subdistrict: boolean;
  communities: number;
  villages: number;
}

/**
 * Which townships are 街道 (communities only) and which 镇 (villages and a few communities): a
 * district without villages has only 街道; otherwise about half its communities lie in 街道 and the
 * rest in its towns' seats (a choice: the sources give no split).
 */
function planTowns(d: DistrictShape): TownPlan[] {
  if (d.villages === 0) return spread(d.communities, d.towns).map((c) => ({ subdistrict: true, communities: c, villages: 0 }));
  const share = d.communities / (d.communities + d.villages);
  const subdistricts = Math.min(d.towns - 1, Math.max(d.communities > 0 ? 1 : 0, Math.round(d.towns * share * 0.6)));
  const inSubdistricts = subdistricts ? Math.round(d.communities / 2) : 0;
  const townCount = d.towns - subdistricts;
  const townCommunities = spread(d.communities - inSubdistricts, townCount);
  const townVillages = spread(d.villages, townCount);
  return [
    ...spread(inSubdistricts, subdistricts).map((c) => ({ subdistrict: true, communities: c, villages: 0 })),
    ...townCommunities.map((c, i) => ({ subdistrict: false, communities: c, villages: townVillages[i]! })),
  ];
}

/** Unique two-character place names for the units of one township. */
function placeNames(rng: Rng, count: number): string[] {
  const all = PLACE_FIRST.flatMap((a) => PLACE_SECOND.filter((b) => b !== a).map((b) => `${a}${b}`));
  return rng.shuffle(all).slice(0, count);
}

export function districtUnits(seed: number, d: DistrictShape): SeedUnit[] {
  const rng = new Rng(seed, `towns:${d.code}`);
  const districtCode = `${d.code}000000`;
  const units: SeedUnit[] = [{ code: districtCode, name: d.name, kind: d.kind, level: 3, parentCode: CITY.code }];
  const stems = rng.shuffle(TOWN_STEMS);
  let subdistrictNo = 0;
  let townNo = 100;
  planTowns(d).forEach((plan, i) => {
    const ordinal = plan.subdistrict ? ++subdistrictNo : ++townNo;
    const townCode = `${d.code}${String(ordinal).padStart(3, '0')}000`;
    const kind: UnitKind = plan.subdistrict ? 'SUBDISTRICT' : 'TOWN';
    units.push({ code: townCode, name: `${stems[i]}${plan.subdistrict ? '街道' : '镇'}`, kind, level: 4, parentCode: districtCode });
    const names = placeNames(new Rng(seed, `places:${townCode}`), plan.communities + plan.villages);
    for (let c = 0; c < plan.communities; c++) {
      units.push({
        code: `${townCode.slice(0, 9)}${String(c + 1).padStart(3, '0')}`,
        name: `${names[c]}社区`,
        kind: 'COMMUNITY',
        level: 5,
        parentCode: townCode,
      });
    }
    for (let v = 0; v < plan.villages; v++) {
      units.push({
        code: `${townCode.slice(0, 9)}${String(201 + v).padStart(3, '0')}`,
        name: `${names[plan.communities + v]}村`,
        kind: 'VILLAGE',
        level: 5,
        parentCode: townCode,
      });
    }
  });
  return units;
}

const KINDS_BY_LEVEL: Record<number, readonly UnitKind[]> = {
  1: ['PROVINCE'],
  2: ['CITY'],
  3: ['DISTRICT', 'COUNTY'],
  4: ['TOWN', 'SUBDISTRICT'],
  5: ['VILLAGE', 'COMMUNITY'],
};

/** The checks personnel applies to a new unit, so that a bad generator fails here and not in the service. */
export function checkUnit(unit: SeedUnit): void {
  const depth = regionPathFromCode(unit.code).split('.').length;
  if (depth !== unit.level || !KINDS_BY_LEVEL[depth]!.includes(unit.kind)) {
    throw new Error(`generated ${unit.kind} ${unit.code} does not match its level ${depth}`);
  }
  const town = Number(unit.code.slice(6, 9));
  const leaf = Number(unit.code.slice(9));
  const ok =
    (unit.kind !== 'SUBDISTRICT' || town <= 99) &&
    (unit.kind !== 'TOWN' || (town >= 100 && town <= 199)) &&
    (unit.kind !== 'COMMUNITY' || (leaf >= 1 && leaf <= 199)) &&
    (unit.kind !== 'VILLAGE' || (leaf >= 200 && leaf <= 399));
  // 统计用区划代码: 街道 001–099, 镇 100–199; 居委会 001–199, 村委会 200–399.
  if (!ok) throw new Error(`generated ${unit.kind} ${unit.code} lies outside its kind's code range`);
}

/** The province and the city, then the given districts' trees. */
export function orgTree(seed: number, districts: readonly DistrictShape[] = DISTRICTS): SeedUnit[] {
  const units: SeedUnit[] = [
    { code: PROVINCE.code, name: PROVINCE.name, kind: 'PROVINCE', level: 1, parentCode: null },
    { code: CITY.code, name: CITY.name, kind: 'CITY', level: 2, parentCode: PROVINCE.code },
    ...districts.flatMap((d) => districtUnits(seed, d)),
  ];
  for (const unit of units) checkUnit(unit);
  // Parents before children, as the loader creates them.
  return units.sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : 1));
}
