import { regionPathFromCode, seededRandom } from '@huanjie/platform';
import { PeopleFactory, type PersonProfile } from './dataset';

/**
 * A Chengdu-sized register as the organisation department would export it for the import
 * scenario: the city's other 17 county-level units (real codes and names; 武侯区, 成华区 and
 * 崇州市 belong to the loaded data set), their townships, `leafCount` villages and communities
 * (3,039 in Chengdu, GLOSSARY "Scale to carry"), and `peopleCount` people spread evenly over them,
 * with valid GB 11643 numbers from the same PeopleFactory the load uses. Units come first, then the
 * people, as two sheets of a spreadsheet pasted one under the other.
 *
 * Every unit's register can seat its two committees for two terms (the structure-report scenario,
 * structure-report-plan.ts): the first five people of each unit have fixed traits (SLOT_PROFILES:
 * four full Party members, two of them with college education, two women, one aged 35 or under),
 * the rest are drawn as before. With 21,000 people over 3,039 units every unit has six or seven.
 */

// prettier-ignore
const COUNTIES = [
  ['510104', '锦江区', 'DISTRICT', true], ['510105', '青羊区', 'DISTRICT', true], ['510106', '金牛区', 'DISTRICT', true],
  ['510112', '龙泉驿区', 'DISTRICT', false], ['510113', '青白江区', 'DISTRICT', false], ['510114', '新都区', 'DISTRICT', false],
  ['510115', '温江区', 'DISTRICT', false], ['510116', '双流区', 'DISTRICT', false], ['510117', '郫都区', 'DISTRICT', false],
  ['510118', '新津区', 'DISTRICT', false], ['510121', '金堂县', 'COUNTY', false], ['510129', '大邑县', 'COUNTY', false],
  ['510131', '蒲江县', 'COUNTY', false], ['510181', '都江堰市', 'COUNTY', false], ['510182', '彭州市', 'COUNTY', false],
  ['510183', '邛崃市', 'COUNTY', false], ['510185', '简阳市', 'COUNTY', false],
] as const;

type County = readonly [code: string, name: string, kind: 'DISTRICT' | 'COUNTY', urban: boolean];

/** Where the register's units are: county-level units (and the city above them when it is not loaded yet). */
export interface ImportRegion {
  /** A city row first, for a city the data set does not hold. */
  city?: readonly [code: string, name: string];
  counties: readonly County[];
}

/** Chengdu's 17 (the default: the bench's own data set holds the other three). */
export const CHENGDU_OTHER_COUNTIES: ImportRegion = { counties: COUNTIES };

/**
 * 德阳市 and its six county-level units (real codes and names): for a data set that holds all of
 * Chengdu already (the report suite's seeded city), so that every row of the register is new.
 */
// prettier-ignore
export const DEYANG: ImportRegion = {
  city: ['510600000000', '德阳市'],
  counties: [
    ['510603', '旌阳区', 'DISTRICT', true], ['510604', '罗江区', 'DISTRICT', false], ['510623', '中江县', 'COUNTY', false],
    ['510681', '广汉市', 'COUNTY', false], ['510682', '什邡市', 'COUNTY', false], ['510683', '绵竹市', 'COUNTY', false],
  ],
};
const TOWN_STEMS = ['东升', '西河', '南湖', '北街', '永安', '太平', '石桥', '清泉', '龙王', '金花', '安仁', '新店', '三星', '五凤', '白沙'];
const PLACES = ['和平', '团结', '光明', '幸福', '红星', '建设', '新华', '胜利', '长乐', '金桥', '玉龙', '青松', '桂花', '柏树', '梨园'];
const BACKGROUNDS = ['现代农业', '社会治理', '乡村旅游', '电子商务', '规划建设', '财会', '法律'];
const SOURCES = ['返乡大学生', '退役军人', '致富能手', '网格员', '返乡农民工'];

/**
 * The people of a unit by their place in it (the unit's 1st, 2nd, … person), so that its two
 * committees can be seated lawfully in two terms: a Party committee of at least three full members
 * (党章 第七条: no probationary members) in each term, a residents' committee of five, a woman for
 * the women's seat, and a current team that meets the unit targets (a woman, someone aged 35 or
 * under, two with college education) under a secretary within the age rule.
 */
export const SLOT_PROFILES: readonly PersonProfile[] = [
  // The incoming secretary: a member in their late thirties to forties, college educated.
  { politicalStatus: 'PARTY_MEMBER', collegeOrAbove: true, born: { from: 1978, to: 1988 } },
  // A young woman, member, college educated: 26–34 in 2026.
  { gender: 'FEMALE', politicalStatus: 'PARTY_MEMBER', collegeOrAbove: true, born: { from: 1992, to: 1999 } },
  // The outgoing secretary: a man in his fifties in 2021 (within the age rule then).
  { gender: 'MALE', politicalStatus: 'PARTY_MEMBER', born: { from: 1966, to: 1972 } },
  // A third member of any age.
  { politicalStatus: 'PARTY_MEMBER' },
  // An older woman: the outgoing women's member.
  { gender: 'FEMALE', born: { from: 1966, to: 1985 } },
];

const HEADER = [
  'type', 'code', 'name', 'kind', 'orgUnitCode', 'idNumber', 'ethnicity', 'education', 'politicalStatus', 'partyJoinedOn',
  'professionalBackgrounds', 'sourceTags', 'reserve', 'reserveSince', 'phone',
];

export interface ImportFile {
  csv: Buffer;
  rows: number;
  /** County-level units, townships, villages/communities. */
  units: { counties: number; towns: number; leaves: number };
  people: number;
  /** The codes of the county-level units, in file order. */
  countyCodes: string[];
  /** The townships' codes, in file order. */
  townCodes: string[];
  /** The villages and communities, in file order (person i belongs to leaves[i mod leaves.length]). */
  leaves: { code: string; kind: 'VILLAGE' | 'COMMUNITY' }[];
}

/** Quoted only when needed (RFC 4180); generated values rarely need it. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function buildImportFile(leafCount: number, peopleCount: number, seed: number, region: ImportRegion = CHENGDU_OTHER_COUNTIES): ImportFile {
  const counties = region.counties;
  const random = seededRandom(seed + 11);
  const lines: string[][] = [HEADER];
  const leaves: ImportFile['leaves'] = [];
  const townCodes: string[] = [];
  const perTown = 12; // about Chengdu's 3,039 units over some 260 townships
  const townCount = Math.ceil(leafCount / perTown);
  if (townCount > counties.length * 99) throw new Error(`${townCount} townships do not fit ${counties.length} counties' 3-digit codes`);
  if (region.city) lines.push(['ORG_UNIT', region.city[0], region.city[1], 'CITY']);
  for (const [code, name, kind] of counties) lines.push(['ORG_UNIT', `${code}000000`, name, kind]);
  const perCounty = counties.map(() => 0);
  for (let t = 0; t < townCount; t++) {
    const ci = t % counties.length;
    const [countyCode, , , urban] = counties[ci]!;
    const ordinal = ++perCounty[ci]!;
    // 街道 001–099 with 社区 only in the central districts; elsewhere 镇 101–199 with two 社区 and the rest 村.
    const townCode = `${countyCode}${String(urban ? ordinal : 100 + ordinal).padStart(3, '0')}000`;
    const stem = `${TOWN_STEMS[ordinal % TOWN_STEMS.length]}${ordinal > TOWN_STEMS.length ? Math.ceil(ordinal / TOWN_STEMS.length) : ''}`;
    lines.push(['ORG_UNIT', townCode, `${stem}${urban ? '街道' : '镇'}`, urban ? 'SUBDISTRICT' : 'TOWN']);
    townCodes.push(townCode);
    for (let v = 0; v < Math.min(perTown, leafCount - t * perTown); v++) {
      const community = urban || v < 2;
      const leafCode = `${townCode.slice(0, 9)}${String(community ? v + 1 : 200 + v).padStart(3, '0')}`;
      lines.push(['ORG_UNIT', leafCode, `${PLACES[v % PLACES.length]}${community ? '社区' : '村'}`, community ? 'COMMUNITY' : 'VILLAGE']);
      leaves.push({ code: leafCode, kind: community ? 'COMMUNITY' : 'VILLAGE' });
    }
  }
  for (const line of lines.slice(1)) regionPathFromCode(line[1]!); // a bad generator fails here, not in the service

  const factory = new PeopleFactory(seed + 7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < peopleCount; i++) {
    // Evenly: the first peopleCount mod leafCount units get one more. Person i is its unit's
    // (i div leafCount)-th, which picks the profile.
    const unitCode = leaves[i % leaves.length]!.code;
    const p = factory.next(unitCode, SLOT_PROFILES[Math.floor(i / leaves.length)]);
    const phone = random() < 0.7 ? `1${3 + Math.floor(random() * 7)}${String(Math.floor(random() * 1e9)).padStart(9, '0')}` : '';
    lines.push([
      'PERSON', '', p.name, '', unitCode, p.idNumber, p.ethnicity, p.education, p.politicalStatus, p.partyJoinedOn ?? '',
      random() < 0.4 ? pick(BACKGROUNDS) : '', random() < 0.3 ? pick(SOURCES) : '', p.reserve ? 'true' : '', p.reserveSince ?? '', phone,
    ]);
  }
  const csv = Buffer.from(`${lines.map((l) => HEADER.map((_, i) => field(l[i] ?? '')).join(',')).join('\r\n')}\r\n`, 'utf8');
  return {
    csv,
    rows: lines.length - 1,
    units: { counties: counties.length, towns: townCount, leaves: leaves.length },
    people: peopleCount,
    countyCodes: counties.map(([code]) => `${code}000000`),
    townCodes,
    leaves,
  };
}
