import type { PositionRole } from './committee.rules';

/**
 * 一肩挑: 中国共产党农村基层组织工作条例 (2019): 村党组织书记应当通过法定程序担任村民委员会主任
 * (and for communities, 积极推进社区书记、主任"一肩挑", domain source 002).
 * A person holds both when they are the Party secretary and the director of the villagers' or
 * residents' committee of the same unit, both seats held now. (The region rate is the same test
 * in SQL, see CommitteeStore.oneShoulderSummary.)
 */
export function holdsBothTopPosts(seats: readonly { orgUnitId: string; role: PositionRole; active: boolean }[]): boolean {
  const secretaryOf = new Set(seats.filter((s) => s.active && s.role === 'SECRETARY').map((s) => s.orgUnitId));
  return seats.some((s) => s.active && s.role === 'DIRECTOR' && secretaryOf.has(s.orgUnitId));
}
