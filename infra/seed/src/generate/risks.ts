import { Rng, type Weighted } from './prng';
import type { SeedRiskItem, SeedUnit } from './types';

/**
 * 一村一策 risk register: 000 (武侯区) "提前梳理分析党组织换届选举风险点56个" for 71 communities —
 * 0.79 a unit. Kinds and levels are a choice; the owner is the unit's secretary.
 */
export const RISKS_PER_UNIT = 56 / 71;

const KINDS: Weighted<string> = [
  ['CANDIDATE_DISPUTE', 25],
  ['PETITIONS', 20],
  ['FINANCES', 15],
  ['CLAN_INFLUENCE', 10],
  ['VOTE_BUYING', 10],
  ['WEAK_ORGANISATION', 10],
  ['PUBLIC_OPINION', 5],
  ['OTHER', 5],
];
const TEXT: Record<string, [string, string]> = {
  CANDIDATE_DISPUTE: ['原任班子成员未能继续提名,情绪波动', '镇(街道)党(工)委书记“一对一”谈心谈话,做好疏导'],
  PETITIONS: ['长期上访户可能在选举期间集中反映诉求', '落实“一对一”包联,信访事项“日结日清”'],
  FINANCES: ['村级集体资产处置存在群众疑问', '完成离任经济责任审计并公开结果'],
  CLAN_INFLUENCE: ['大姓家族可能串联影响选举', '严明换届纪律,加强巡回督导'],
  VOTE_BUYING: ['有参选人提前走访拉票苗头', '纪委监委提醒谈话,公开举报电话'],
  WEAK_ORGANISATION: ['班子软弱涣散,先整顿、再换届', '县镇两级驻村指导,整顿到位后启动换届'],
  PUBLIC_OPINION: ['网络舆情可能放大个别矛盾', '专人监测舆情,及时回应'],
  OTHER: ['选举期间人员密集', '分时段组织投票,落实现场秩序维护'],
};

export function unitRiskItems(seed: number, unit: SeedUnit, secretaryKey: string): SeedRiskItem[] {
  const rng = new Rng(seed, `risks:${unit.code}`);
  const count = Math.floor(RISKS_PER_UNIT) + (rng.chance(RISKS_PER_UNIT % 1) ? 1 : 0);
  return Array.from({ length: count }, () => {
    const type = rng.weighted(KINDS);
    const [title, plan] = TEXT[type]!;
    return {
      unitCode: unit.code,
      type,
      level: rng.weighted([
        ['LOW', 50],
        ['MEDIUM', 35],
        ['HIGH', 15],
      ] as const),
      title,
      ownerPersonKey: secretaryKey,
      mitigationPlan: plan,
      reviewInDays: rng.int(3, 30),
    };
  });
}
