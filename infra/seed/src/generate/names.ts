import type { Rng, Weighted } from './prng';
import type { Gender } from './types';

/**
 * Chinese names. The sources name few people (004: 张德鸞, 肖紅, 孟玉娣, 金志剛) and give no
 * distribution, so this is a choice: surnames weighted roughly by their national shares (per cent,
 * the published ranking of registered surnames), with 罗, 何, 曾 and 邓 raised as they are in
 * Sichuan; given names of one character (about one in seven) or two, from pools by gender and by
 * generation (names like 建国 for those born before 1975, 浩宇 for the young).
 */

// prettier-ignore
const SURNAMES: Weighted<string> = [
  ['王', 7.1], ['李', 7.5], ['张', 6.7], ['刘', 5.4], ['陈', 4.5], ['杨', 3.1], ['黄', 2.2], ['赵', 2.3], ['吴', 2.1], ['周', 2.0],
  ['徐', 1.6], ['孙', 1.0], ['马', 1.1], ['朱', 1.3], ['胡', 1.2], ['郭', 1.1], ['何', 1.6], ['罗', 1.8], ['高', 1.0], ['林', 0.6],
  ['郑', 0.8], ['梁', 0.7], ['谢', 1.0], ['宋', 0.7], ['唐', 1.0], ['许', 0.6], ['韩', 0.6], ['冯', 0.7], ['邓', 1.2], ['曹', 0.6],
  ['彭', 0.8], ['曾', 1.1], ['肖', 0.8], ['田', 0.5], ['董', 0.5], ['袁', 0.6], ['潘', 0.4], ['蒋', 0.7], ['蔡', 0.4], ['余', 0.6],
  ['杜', 0.5], ['叶', 0.4], ['程', 0.4], ['魏', 0.4], ['苏', 0.3], ['吕', 0.3], ['丁', 0.3], ['任', 0.5], ['钟', 0.5], ['廖', 0.6],
  ['姚', 0.3], ['卢', 0.3], ['傅', 0.3], ['沈', 0.3], ['汪', 0.3], ['范', 0.3], ['金', 0.2], ['陆', 0.2], ['雷', 0.4], ['文', 0.3],
];

// prettier-ignore
const GIVEN = {
  MALE: {
    older: ['建', '国', '明', '华', '军', '平', '强', '志', '伟', '德', '富', '贵', '文', '光', '庆', '忠', '林', '刚', '勇', '红', '成', '安', '福', '全', '兴', '学', '正', '春', '海', '松'],
    younger: ['浩', '宇', '杰', '涛', '鹏', '磊', '超', '俊', '凯', '帆', '翔', '博', '航', '晨', '睿', '宁', '亮', '峰', '斌', '鑫', '洋', '波', '健', '辉', '毅', '阳', '然', '哲', '皓', '轩'],
  },
  FEMALE: {
    older: ['秀', '英', '兰', '芳', '桂', '玉', '珍', '凤', '琼', '素', '淑', '华', '梅', '红', '霞', '莲', '群', '琴', '蓉', '萍', '芬', '燕', '丽', '敏', '云', '菊', '惠', '翠', '容', '香'],
    younger: ['婷', '静', '倩', '雪', '洁', '琳', '慧', '颖', '瑶', '欣', '佳', '悦', '娜', '晶', '露', '丹', '璐', '雯', '思', '怡', '媛', '楠', '月', '薇', '蕾', '蓓', '晓', '梦', '妍', '茜'],
  },
} as const;

/** A name for someone of this gender born in `birthYear`. */
export function personName(rng: Rng, gender: Gender, birthYear: number): string {
  const pool = GIVEN[gender][birthYear < 1975 ? 'older' : 'younger'];
  const surname = rng.weighted(SURNAMES);
  const first = rng.pick(pool);
  if (rng.chance(0.15)) return `${surname}${first}`;
  let second = rng.pick(pool);
  while (second === first && rng.chance(0.8)) second = rng.pick(pool);
  return `${surname}${first}${second}`;
}
