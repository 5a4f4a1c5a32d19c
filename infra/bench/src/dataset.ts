import { nationalIdCheckChar, parseNationalId, regionPathFromCode, seededRandom } from '@huanjie/platform';

/**
 * The benchmark's data set: one province → one city → three county-level units → towns and
 * sub-districts → villages and communities, and people in the villages and communities. Codes
 * follow the 统计用区划代码 layout the services check (regionPathFromCode, personnel's planOrgUnit):
 * 2 + 2 + 2 digits for province, city and county; 3 for the township (街道 001–099, 镇 100–199);
 * 3 for the village level (居委会/社区 001–199, 村委会 200–399). Province to county codes are the
 * real ones for 四川省成都市; below that they are made up.
 */

export type UnitKind = 'PROVINCE' | 'CITY' | 'DISTRICT' | 'COUNTY' | 'TOWN' | 'SUBDISTRICT' | 'VILLAGE' | 'COMMUNITY';

export interface UnitSpec {
  code: string;
  name: string;
  kind: UnitKind;
  /** 1 = province … 5 = village/community. */
  level: number;
}

export interface RegistrationSpec {
  name: string;
  idNumber: string;
  ethnicity: string;
  education: 'PRIMARY' | 'JUNIOR_SECONDARY' | 'SENIOR_SECONDARY' | 'COLLEGE' | 'BACHELOR' | 'MASTER' | 'DOCTORATE';
  politicalStatus: 'PARTY_MEMBER' | 'PROBATIONARY_MEMBER' | 'LEAGUE_MEMBER' | 'DEMOCRATIC_PARTY' | 'MASSES';
  /** 入党时间: required exactly for members and probationary members. */
  partyJoinedOn: string | null;
  reserve: boolean;
  /** 入库时间: required exactly for reserve cadres. */
  reserveSince: string | null;
}

export interface CycleSpec {
  name: string;
  regionCode: string;
  termYears: number;
  startsOn: string;
  endsOn: string;
}

export interface ComplaintSpec {
  unitCode: string;
  channel: 'HOTLINE' | 'LETTER' | 'VISIT' | 'ONLINE' | 'EMAIL';
  category: 'VOTE_BUYING' | 'CLAN_INTERFERENCE' | 'CRIMINAL_INTERFERENCE' | 'ELIGIBILITY' | 'PROCEDURE' | 'OTHER';
  summary: string;
}

export interface DataSet {
  /** Parents before children: level 1 first, level 5 last. */
  units: UnitSpec[];
  towns: UnitSpec[];
  /** Villages and communities: where people are registered. */
  leaves: UnitSpec[];
  cycles: CycleSpec[];
  complaints: ComplaintSpec[];
}


function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Picks by weight: [[value, weight], …]. */
function weighted<T>(random: () => number, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table[table.length - 1]![0];
}

const COUNTIES = [
  { code: '510107', name: '武侯区', kind: 'DISTRICT', urban: true },
  { code: '510108', name: '成华区', kind: 'DISTRICT', urban: true },
  { code: '510184', name: '崇州市', kind: 'COUNTY', urban: false },
] as const;

/** 街道 of the two urban districts, and 镇 of the county-level city. */
// prettier-ignore
const SUBDISTRICT_STEMS = [
  '玉林', '望江', '浆洗', '簇桥', '红牌楼', '机投', '晋阳', '华兴', '火车南站', '金花', '跳蹬河', '双桥子', '猛追湾', '府青路', '二仙桥', '万年场',
  '保和', '青龙', '龙潭', '白莲池',
] as const;
// prettier-ignore
const TOWN_STEMS = [
  '崇阳', '白头', '道明', '街子', '怀远', '元通', '三江', '廖家', '羊马', '隆兴', '观胜', '江源', '王场', '桤泉', '大划',
] as const;
const PLACE_FIRST = ['五', '七', '金', '锦', '新', '和', '太', '双', '凤', '龙', '桂', '石', '柳', '清', '安', '永'] as const;
const PLACE_SECOND = ['星', '里', '城', '桥', '平', '兴', '河', '山', '林', '湾', '岗', '溪', '水', '坝', '塘', '园'] as const;
const CHINESE_NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1 → 一, 12 → 十二, 37 → 三十七 (for telling generated names apart). */
function numeral(n: number): string {
  if (n < 10) return CHINESE_NUMERALS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CHINESE_NUMERALS[tens]}十${CHINESE_NUMERALS[n % 10]}`;
}

/**
 * The org tree for `leafCount` villages/communities, `perTown` under each township. Townships are
 * spread round-robin over the three county-level units; urban districts get 街道 with 社区, the
 * county-level city gets 镇 with two 社区 each and the rest 村.
 */
export function buildOrgTree(leafCount: number, perTown: number): Pick<DataSet, 'units' | 'towns' | 'leaves'> {
  if (perTown < 1 || perTown > 199) throw new Error('units per town must be 1–199 (three digits, 社区 001–199 / 村 200–399)');
  const townCount = Math.ceil(leafCount / perTown);
  if (townCount > COUNTIES.length * 99) throw new Error(`${townCount} towns do not fit the three counties' 3-digit township codes`);
  const units: UnitSpec[] = [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE', level: 1 },
    { code: '510100000000', name: '成都市', kind: 'CITY', level: 2 },
    ...COUNTIES.map((c) => ({ code: `${c.code}000000`, name: c.name, kind: c.kind as UnitKind, level: 3 })),
  ];
  const towns: UnitSpec[] = [];
  const leaves: UnitSpec[] = [];
  const perCounty = COUNTIES.map(() => 0);
  for (let t = 0; t < townCount; t++) {
    const ci = t % COUNTIES.length;
    const county = COUNTIES[ci]!;
    const ordinal = ++perCounty[ci]!;
    const townDigits = county.urban ? ordinal : 100 + ordinal; // 街道 001–099, 镇 101–199
    const townCode = `${county.code}${String(townDigits).padStart(3, '0')}000`;
    // Urban districts draw from one pool in turn, the county from the other.
    const stems = county.urban ? SUBDISTRICT_STEMS : TOWN_STEMS;
    const n = county.urban ? Math.floor(t / COUNTIES.length) * 2 + ci : ordinal - 1;
    const stem = stems[n % stems.length]!;
    const round = Math.floor(n / stems.length);
    const town: UnitSpec = {
      code: townCode,
      name: `${stem}${round ? numeral(round + 1) : ''}${county.urban ? '街道' : '镇'}`,
      kind: county.urban ? 'SUBDISTRICT' : 'TOWN',
      level: 4,
    };
    towns.push(town);
    const here = Math.min(perTown, leafCount - t * perTown);
    for (let v = 0; v < here; v++) {
      const community = county.urban || v < 2;
      // Communities number from 001, villages from 201.
      const digits = community ? v + 1 : 200 + (v - 1);
      const place = `${PLACE_FIRST[(v + t) % PLACE_FIRST.length]}${PLACE_SECOND[Math.floor(v / PLACE_FIRST.length) % PLACE_SECOND.length]}`;
      leaves.push({
        code: `${townCode.slice(0, 9)}${String(digits).padStart(3, '0')}`,
        name: `${place}${community ? '社区' : '村'}`,
        kind: community ? 'COMMUNITY' : 'VILLAGE',
        level: 5,
      });
    }
  }
  const all = [...units, ...towns, ...leaves];
  for (const unit of all) checkUnit(unit);
  return { units: all, towns, leaves };
}

const KINDS_BY_LEVEL: Record<number, readonly UnitKind[]> = {
  1: ['PROVINCE'],
  2: ['CITY'],
  3: ['DISTRICT', 'COUNTY'],
  4: ['TOWN', 'SUBDISTRICT'],
  5: ['VILLAGE', 'COMMUNITY'],
};

/** The same rules the personnel service applies, checked here so a bad generator fails before any request. */
function checkUnit(unit: UnitSpec): void {
  const path = regionPathFromCode(unit.code);
  const depth = path.split('.').length;
  if (depth !== unit.level) throw new Error(`generated code ${unit.code} is level ${depth}, meant ${unit.level}`);
  if (!KINDS_BY_LEVEL[depth]!.includes(unit.kind)) throw new Error(`generated ${unit.kind} ${unit.code} does not match level ${depth}`);
}

// prettier-ignore
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '罗', '高', '林', '郑',
  '梁', '谢', '宋', '唐', '邓', '冯', '韩', '曹', '曾',
] as const;
// prettier-ignore
const GIVEN_MALE = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '建', '国', '华', '志', '海', '斌', '宇', '鹏',
] as const;
// prettier-ignore
const GIVEN_FEMALE = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '玲', '桂', '兰', '萍', '红', '梅', '琳', '雪', '婷', '慧',
] as const;

/** 大专及以上 (personnel's isCollegeOrAbove). */
const COLLEGE_LEVELS: readonly RegistrationSpec['education'][] = ['COLLEGE', 'BACHELOR', 'MASTER', 'DOCTORATE'];

/** Traits a generated person must have; whatever is left out is drawn as usual. */
export interface PersonProfile {
  gender?: 'MALE' | 'FEMALE';
  /** Born in these years, inclusive (default 1966–2000). */
  born?: { from: number; to: number };
  politicalStatus?: RegistrationSpec['politicalStatus'];
  /** 大专 or above: the drawn level if it is one, else COLLEGE. */
  collegeOrAbove?: boolean;
}

/**
 * Registrations with unique, valid GB 11643 numbers: the address code is the unit's county, the
 * birth date falls between 1966 and 2000 (candidates of 26–60), the sequence's parity gives the
 * gender, and nationalIdCheckChar supplies the check character.
 */
export class PeopleFactory {
  private readonly random: () => number;
  private readonly issued = new Set<string>();

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0x5eed);
  }

  get count(): number {
    return this.issued.size;
  }

  private unusedIdNumber(unitCode: string, male: boolean, born?: { from: number; to: number }): string {
    // Default: 1966 to 2000, as always; a profile narrows it to whole years (the same one draw per try).
    const from = Date.UTC(born?.from ?? 1966, 0, 1);
    const days = born ? Math.round((Date.UTC(born.to + 1, 0, 1) - from) / 86_400_000) : 35 * 365.25;
    for (let attempt = 0; attempt < 1000; attempt++) {
      const birth = new Date(from + Math.floor(this.random() * days) * 86_400_000);
      const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
      const seq = Math.floor(this.random() * 500) * 2 + (male ? 1 : 0);
      const first17 = `${unitCode.slice(0, 6)}${date}${String(seq).padStart(3, '0')}`;
      const idNumber = `${first17}${nationalIdCheckChar(first17)}`;
      if (!this.issued.has(idNumber)) return idNumber;
    }
    throw new Error('could not find an unused ID number');
  }

  /**
   * The next person of `unitCode`. A profile fixes some traits (see PersonProfile); the generator
   * draws the same random numbers either way, so people without one come out as they always did.
   */
  next(unitCode: string, profile?: PersonProfile): RegistrationSpec {
    const r = this.random;
    const drawnMale = r() < 0.55;
    const male = profile?.gender ? profile.gender === 'MALE' : drawnMale;
    const given = male ? GIVEN_MALE : GIVEN_FEMALE;
    const name = `${pick(r, SURNAMES)}${pick(r, given)}${r() < 0.6 ? pick(r, given) : ''}`;
    const idNumber = this.unusedIdNumber(unitCode, male, profile?.born);
    this.issued.add(idNumber);
    const facts = parseNationalId(idNumber); // throws if the generator ever produced a bad number
    if (facts.gender !== (male ? 'MALE' : 'FEMALE')) throw new Error(`generated ID ${idNumber} has the wrong gender digit`);
    const drawnStatus = weighted(r, [
      ['PARTY_MEMBER', 60],
      ['PROBATIONARY_MEMBER', 5],
      ['LEAGUE_MEMBER', 10],
      ['DEMOCRATIC_PARTY', 2],
      ['MASSES', 23],
    ] as const);
    const politicalStatus = profile?.politicalStatus ?? drawnStatus;
    // Joined in July of a year at least 19 years after birth, so never before the 18th birthday.
    const birthYear = Number(facts.birthDate.slice(0, 4));
    const joinedYear = Math.min(birthYear + 19 + Math.floor(r() * 15), 2025);
    const reserve = r() < 0.2;
    const ethnicity = weighted(r, [
      ['汉族', 93],
      ['彝族', 3],
      ['藏族', 2],
      ['羌族', 2],
    ] as const);
    const drawnEducation = weighted(r, [
      ['PRIMARY', 2],
      ['JUNIOR_SECONDARY', 10],
      ['SENIOR_SECONDARY', 25],
      ['COLLEGE', 33],
      ['BACHELOR', 26],
      ['MASTER', 3],
      ['DOCTORATE', 1],
    ] as const);
    // College or above when the profile asks for it: the drawn level if it is one, else 大专.
    const education = profile?.collegeOrAbove && !COLLEGE_LEVELS.includes(drawnEducation) ? 'COLLEGE' : drawnEducation;
    return {
      name,
      idNumber,
      ethnicity,
      education,
      politicalStatus,
      partyJoinedOn: politicalStatus === 'PARTY_MEMBER' || politicalStatus === 'PROBATIONARY_MEMBER' ? `${joinedYear}-07-01` : null,
      reserve,
      // After Chengdu's 2021 换届; the youngest generated person (born 2000) was 18 by then.
      reserveSince: reserve ? '2021-04-01' : null,
    };
  }
}

// prettier-ignore
const COMPLAINT_SUMMARIES = [
  '反映有人在选举前请客送礼拉票', '反映候选人存在宗族势力干扰选举的情况', '反映拟推荐人选曾受过刑事处罚', '反映选民登记程序不规范', '反映有人以威胁手段干扰投票',
] as const;

/** The whole data set: the tree, two 换届 cycles, and an open complaint in about one unit in ten. */
export function buildDataSet(leafCount: number, perTown: number, seed: number): DataSet {
  const tree = buildOrgTree(leafCount, perTown);
  const r = seededRandom(seed);
  const complaints: ComplaintSpec[] = tree.leaves
    .filter(() => r() < 0.1)
    .map((unit) => ({
      unitCode: unit.code,
      channel: pick(r, ['HOTLINE', 'LETTER', 'VISIT', 'ONLINE', 'EMAIL'] as const),
      category: pick(r, ['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE', 'ELIGIBILITY', 'PROCEDURE', 'OTHER'] as const),
      summary: pick(r, COMPLAINT_SUMMARIES),
    }));
  return {
    ...tree,
    cycles: [
      { name: '2026年成都市村(社区)两委换届', regionCode: '510100000000', termYears: 5, startsOn: '2026-01-04', endsOn: '2026-03-31' },
      { name: '2026年崇州市村(社区)两委换届', regionCode: '510184000000', termYears: 5, startsOn: '2026-01-10', endsOn: '2026-03-20' },
    ],
    complaints,
  };
}
