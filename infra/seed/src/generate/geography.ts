/**
 * The shape of 成都市: its 20 county-level units with their real 行政区划代码 and names, and how
 * many townships (乡镇/街道), communities (社区) and villages (村) each has in the data set.
 *
 * From the sources: 3,039 villages and communities in all (000, "全市3039个村(社区)"); 武侯区 11
 * 街道 and 71 社区 (000, "11个街道71个社区"); 崇州市 15 镇(街), 94 行政村 and 78 社区 (000, "15个
 * 镇(街)、94个行政村和78个社区"). The sources say nothing of the other 18: their counts are a
 * plausible choice (central districts all communities, the outer counties mostly villages), made to
 * add up to 3,039 units and 260 townships (GLOSSARY: "about 260 towns"). 郫都区 is the `district`
 * scale: 13 townships, 150 units.
 */

export interface DistrictShape {
  /** 6-digit county-level code (民政部 行政区划代码). */
  code: string;
  name: string;
  kind: 'DISTRICT' | 'COUNTY';
  towns: number;
  communities: number;
  villages: number;
  /** Where the counts come from. */
  source?: string;
}

export const PROVINCE = { code: '510000000000', name: '四川省' } as const;
export const CITY = { code: '510100000000', name: '成都市' } as const;

// prettier-ignore
export const DISTRICTS: readonly DistrictShape[] = [
  { code: '510104', name: '锦江区', kind: 'DISTRICT', towns: 11, communities: 61, villages: 0 },
  { code: '510105', name: '青羊区', kind: 'DISTRICT', towns: 10, communities: 76, villages: 0 },
  { code: '510106', name: '金牛区', kind: 'DISTRICT', towns: 14, communities: 106, villages: 0 },
  { code: '510107', name: '武侯区', kind: 'DISTRICT', towns: 11, communities: 71, villages: 0, source: '000: 11个街道71个社区' },
  { code: '510108', name: '成华区', kind: 'DISTRICT', towns: 11, communities: 95, villages: 0 },
  { code: '510112', name: '龙泉驿区', kind: 'DISTRICT', towns: 12, communities: 80, villages: 100 },
  { code: '510113', name: '青白江区', kind: 'DISTRICT', towns: 9, communities: 45, villages: 85 },
  { code: '510114', name: '新都区', kind: 'DISTRICT', towns: 10, communities: 110, villages: 110 },
  { code: '510115', name: '温江区', kind: 'DISTRICT', towns: 9, communities: 60, villages: 50 },
  { code: '510116', name: '双流区', kind: 'DISTRICT', towns: 12, communities: 110, villages: 90 },
  { code: '510117', name: '郫都区', kind: 'DISTRICT', towns: 13, communities: 50, villages: 100 },
  { code: '510118', name: '新津区', kind: 'DISTRICT', towns: 8, communities: 40, villages: 70 },
  { code: '510121', name: '金堂县', kind: 'COUNTY', towns: 19, communities: 60, villages: 158 },
  { code: '510129', name: '大邑县', kind: 'COUNTY', towns: 13, communities: 40, villages: 130 },
  { code: '510131', name: '蒲江县', kind: 'COUNTY', towns: 8, communities: 25, villages: 75 },
  { code: '510181', name: '都江堰市', kind: 'COUNTY', towns: 12, communities: 70, villages: 150 },
  { code: '510182', name: '彭州市', kind: 'COUNTY', towns: 18, communities: 60, villages: 140 },
  { code: '510183', name: '邛崃市', kind: 'COUNTY', towns: 18, communities: 50, villages: 150 },
  { code: '510184', name: '崇州市', kind: 'COUNTY', towns: 15, communities: 78, villages: 94, source: '000: 15个镇(街)、94个行政村和78个社区' },
  { code: '510185', name: '简阳市', kind: 'COUNTY', towns: 27, communities: 60, villages: 190 },
];

/** The district of the `district` scale (and of the `village` scale's one village). */
export const DISTRICT_SCALE_CODE = '510117';

/** Two-character stems for township names (镇 / 街道); made up, in the style of the region's names. */
// prettier-ignore
export const TOWN_STEMS = [
  '安德', '唐昌', '三道', '友爱', '团结', '犀浦', '红光', '古城', '新民', '德源', '花园', '清河', '安靖', '望丛', '合作',
  '永宁', '天府', '玉林', '簇桥', '望江', '双桥', '青龙', '保和', '龙潭', '府河', '金泉', '茶店', '营门', '西华', '沙河',
  '桂溪', '石羊', '华阳', '正兴', '黄龙', '公兴', '金马', '柳城', '万春', '涌泉', '寿安', '隆丰', '九尺', '丽春', '濛阳',
  '桂花', '竹瓦', '白果', '羊马', '怀远', '街子', '道明', '元通', '廖家', '三江', '王场', '文井', '平乐', '固驿', '临溪',
  '高何', '夹关', '火井', '大塘', '鹤山', '太和', '甘溪', '西来', '朝阳', '成佳', '赵镇', '淮口', '竹篙', '转龙', '福兴',
  '平桥', '三星', '高板', '云合', '五凤', '射洪', '简城', '石桥', '贾家', '三岔', '丹景', '东溪', '养马', '禾丰', '草池',
];

/** First and second characters of village and community names (村 / 社区). */
// prettier-ignore
export const PLACE_FIRST = ['和', '新', '金', '永', '太', '龙', '凤', '双', '清', '安', '福', '桂', '石', '柳', '花', '青', '玉', '长', '红', '白', '天', '锦', '兴', '万', '宝', '光', '德', '瑞', '平', '文'];
// prettier-ignore
export const PLACE_SECOND = ['平', '兴', '河', '桥', '林', '坝', '塘', '湾', '山', '园', '水', '溪', '华', '盛', '安', '丰', '乐', '星', '光', '泉', '岗', '庙', '堰', '田', '苑', '庄', '城', '里', '湖', '阳'];
