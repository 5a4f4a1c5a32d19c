/**
 * 民族 — the 56 ethnic groups in the order and with the names of GB/T 3304 (中国各民族名称的罗马字母
 * 拼写法和代码), codes 01–56. Person.ethnicity is one of these names, as a string checked against
 * this list rather than a 56-value GraphQL enum: the names are what officials write and read, the
 * list is served by the `ethnicities` query so front-ends keep no copy, and Latin enum names for 56
 * groups would be a transliteration table nobody reads.
 */
// prettier-ignore
export const ETHNIC_GROUPS = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];

const KNOWN = new Set<string>(ETHNIC_GROUPS);

export function isEthnicGroup(name: string): name is EthnicGroup {
  return KNOWN.has(name);
}
