import { nationalIdCheckChar } from '@huanjie/platform';

/**
 * Demo data from the reports in the domain sources: Chengdu (Wuhou, Chenghua, Chongzhou),
 * Helingeer county in Inner Mongolia, and Baoshan in Shanghai. Province to county codes are the
 * official ones; township and village codes below them are illustrative.
 */
export interface DemoUnit {
  code: string;
  name: string;
  kind: 'PROVINCE' | 'CITY' | 'DISTRICT' | 'COUNTY' | 'TOWN' | 'SUBDISTRICT' | 'VILLAGE' | 'COMMUNITY';
}

export const DEMO_UNITS: DemoUnit[] = [
  { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
  { code: '510100000000', name: '成都市', kind: 'CITY' },
  { code: '510107000000', name: '武侯区', kind: 'DISTRICT' },
  { code: '510107018000', name: '簇桥街道', kind: 'SUBDISTRICT' },
  { code: '510107018003', name: '七里社区', kind: 'COMMUNITY' },
  { code: '510107018005', name: '锦城社区', kind: 'COMMUNITY' },
  { code: '510108000000', name: '成华区', kind: 'DISTRICT' },
  { code: '510108004000', name: '府青路街道', kind: 'SUBDISTRICT' },
  { code: '510108004002', name: '二仙桥社区', kind: 'COMMUNITY' },
  { code: '510184000000', name: '崇州市', kind: 'COUNTY' },
  { code: '510184106000', name: '白头镇', kind: 'TOWN' },
  { code: '510184106201', name: '五星村', kind: 'VILLAGE' },
  { code: '510184106204', name: '大划村', kind: 'VILLAGE' },
  { code: '150000000000', name: '内蒙古自治区', kind: 'PROVINCE' },
  { code: '150100000000', name: '呼和浩特市', kind: 'CITY' },
  { code: '150123000000', name: '和林格尔县', kind: 'COUNTY' },
  { code: '150123100000', name: '城关镇', kind: 'TOWN' },
  { code: '150123100201', name: '台基营村', kind: 'VILLAGE' },
  { code: '150123100205', name: '南园子村', kind: 'VILLAGE' },
  { code: '310000000000', name: '上海市', kind: 'PROVINCE' },
  { code: '310100000000', name: '上海市市辖区', kind: 'CITY' },
  { code: '310113000000', name: '宝山区', kind: 'DISTRICT' },
  { code: '310113103000', name: '庙行镇', kind: 'TOWN' },
  { code: '310113103012', name: '共康雅苑第二居民区', kind: 'COMMUNITY' },
];

export interface DemoPerson {
  unitCode: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birth: string; // yyyymmdd
  ethnicity: string; // GB/T 3304 name
  education: 'PRIMARY' | 'JUNIOR_SECONDARY' | 'SENIOR_SECONDARY' | 'COLLEGE' | 'BACHELOR' | 'MASTER' | 'DOCTORATE';
  politicalStatus: 'PARTY_MEMBER' | 'PROBATIONARY_MEMBER' | 'LEAGUE_MEMBER' | 'DEMOCRATIC_PARTY' | 'MASSES';
  /** 入党时间, for Party members only. */
  partyJoinedOn?: string;
  professionalBackgrounds?: string[];
  sourceTags?: string[];
  reserve: boolean;
  /** 入库时间, for reserve cadres only; the pool is their own unit's. */
  reserveSince?: string;
  /** Made-up numbers in the 138 0000 block. */
  phone?: string;
}

// prettier-ignore
export const DEMO_PEOPLE: DemoPerson[] = [
  { unitCode: '510107018003', name: '李明华', gender: 'MALE', birth: '19780512', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2003-07-01', professionalBackgrounds: ['SOCIAL_GOVERNANCE'], reserve: false, phone: '13800000001' },
  { unitCode: '510107018003', name: '王秀英', gender: 'FEMALE', birth: '19850923', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2009-06-20', professionalBackgrounds: ['SOCIAL_GOVERNANCE', 'LAW'], sourceTags: ['GRID_WORKER'], reserve: false, phone: '13800000002' },
  { unitCode: '510107018003', name: '张宇', gender: 'MALE', birth: '19960304', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'LEAGUE_MEMBER', professionalBackgrounds: ['E_COMMERCE'], sourceTags: ['RETURNING_GRADUATE'], reserve: true, reserveSince: '2021-04-01' },
  { unitCode: '510107018005', name: '刘芳', gender: 'FEMALE', birth: '19820717', ethnicity: '汉族', education: 'MASTER', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2005-05-04', professionalBackgrounds: ['LAW'], reserve: false },
  { unitCode: '510107018005', name: '陈建国', gender: 'MALE', birth: '19700101', ethnicity: '汉族', education: 'SENIOR_SECONDARY', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '1995-07-01', sourceTags: ['VETERAN'], reserve: false },
  { unitCode: '510108004002', name: '杨丽', gender: 'FEMALE', birth: '19900615', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2012-11-08', professionalBackgrounds: ['FINANCE'], reserve: false, phone: '13800000006' },
  { unitCode: '510108004002', name: '赵磊', gender: 'MALE', birth: '19930208', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES', professionalBackgrounds: ['E_COMMERCE'], sourceTags: ['MIGRANT_RETURNEE', 'ENTREPRENEUR'], reserve: true, reserveSince: '2021-04-01' },
  { unitCode: '510184106201', name: '黄志强', gender: 'MALE', birth: '19750830', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '1999-07-01', professionalBackgrounds: ['MODERN_AGRICULTURE'], sourceTags: ['ENTREPRENEUR'], reserve: false, phone: '13800000008' },
  { unitCode: '510184106201', name: '周桂兰', gender: 'FEMALE', birth: '19800419', ethnicity: '汉族', education: 'SENIOR_SECONDARY', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2006-03-15', professionalBackgrounds: ['RURAL_TOURISM'], reserve: false },
  { unitCode: '510184106204', name: '吴刚', gender: 'MALE', birth: '19881111', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2010-06-28', sourceTags: ['VETERAN'], reserve: false },
  { unitCode: '150123100201', name: '巴特尔', gender: 'MALE', birth: '19760322', ethnicity: '蒙古族', education: 'COLLEGE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2000-07-01', professionalBackgrounds: ['MODERN_AGRICULTURE'], reserve: false, phone: '13800000011' },
  { unitCode: '150123100201', name: '乌云其其格', gender: 'FEMALE', birth: '19891005', ethnicity: '蒙古族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2011-05-20', professionalBackgrounds: ['HEALTH'], sourceTags: ['RETURNING_GRADUATE'], reserve: true, reserveSince: '2020-09-01' },
  { unitCode: '150123100205', name: '郭红梅', gender: 'FEMALE', birth: '19830228', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2007-07-01', professionalBackgrounds: ['EDUCATION'], reserve: false },
  { unitCode: '310113103012', name: '孙伟', gender: 'MALE', birth: '19870716', ethnicity: '汉族', education: 'DOCTORATE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2008-12-10', professionalBackgrounds: ['PLANNING_CONSTRUCTION'], reserve: false },
  { unitCode: '310113103012', name: '张德鸾', gender: 'FEMALE', birth: '19680409', ethnicity: '汉族', education: 'SENIOR_SECONDARY', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '1992-06-30', professionalBackgrounds: ['SOCIAL_GOVERNANCE'], sourceTags: ['SOCIAL_ORGANISATION_LEADER'], reserve: false, phone: '13800000015' },
  // 五星村 (Chongzhou) has both committees seated in the demo, so it needs a few more people.
  { unitCode: '510184106201', name: '林晓燕', gender: 'FEMALE', birth: '19910612', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2014-06-30', professionalBackgrounds: ['RURAL_TOURISM'], sourceTags: ['RETURNING_GRADUATE'], reserve: false },
  { unitCode: '510184106201', name: '徐建军', gender: 'MALE', birth: '19790925', ethnicity: '汉族', education: 'SENIOR_SECONDARY', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2004-10-01', sourceTags: ['VETERAN'], reserve: false },
  { unitCode: '510184106201', name: '马丽', gender: 'FEMALE', birth: '19970118', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'LEAGUE_MEMBER', professionalBackgrounds: ['E_COMMERCE'], sourceTags: ['RETURNING_GRADUATE'], reserve: false },
];

/** A valid GB 11643 number for a demo person: county code, birth date, sequence (odd = male), check. */
export function demoIdNumber(person: DemoPerson, index: number): string {
  const seq = (100 + index * 2 + (person.gender === 'MALE' ? 1 : 0)).toString().padStart(3, '0');
  const first17 = `${person.unitCode.slice(0, 6)}${person.birth}${seq}`;
  return `${first17}${nationalIdCheckChar(first17)}`;
}

/** 换届 cycles as the sources report them: Chengdu finished by 27 March 2021, Baoshan by June 2021; the next, five years on. */
export const DEMO_CYCLES = [
  { name: '2026年成都市村(社区)两委换届', regionCode: '510100000000', termYears: 5, startsOn: '2026-01-04', endsOn: '2026-03-31' },
  { name: '2026年和林格尔县村(社区)两委换届', regionCode: '150123000000', termYears: 5, startsOn: '2026-01-10', endsOn: '2026-04-30' },
  { name: '2026年宝山区居村两委换届', regionCode: '310113000000', termYears: 5, startsOn: '2026-03-01', endsOn: '2026-06-30' },
];

/**
 * The two committees of 五星村 as a 2026 换届 left them: the Party secretary is also the
 * villagers' committee director (一肩挑), and a woman holds the women's seat.
 */
export const DEMO_TERMS = [
  {
    unitCode: '510184106201',
    committeeKind: 'PARTY',
    partyOrgForm: 'BRANCH',
    startsOn: '2026-03-20',
    positions: [
      { name: '黄志强', role: 'SECRETARY' },
      { name: '周桂兰', role: 'PARTY_MEMBER_SEAT' },
      { name: '徐建军', role: 'PARTY_MEMBER_SEAT' },
    ],
  },
  {
    unitCode: '510184106201',
    committeeKind: 'VILLAGERS',
    startsOn: '2026-03-25',
    positions: [
      { name: '黄志强', role: 'DIRECTOR' },
      { name: '林晓燕', role: 'DEPUTY_DIRECTOR' },
      { name: '马丽', role: 'WOMEN_MEMBER' },
    ],
  },
];
