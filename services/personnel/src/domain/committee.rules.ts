import { badInput } from '@huanjie/platform';
import type { OrgUnitKind } from './org-unit.rules';

export const COMMITTEE_KINDS = ['PARTY', 'VILLAGERS', 'RESIDENTS'] as const;
export type CommitteeKind = (typeof COMMITTEE_KINDS)[number];

export const PARTY_ORG_FORMS = ['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE'] as const;
export type PartyOrgForm = (typeof PARTY_ORG_FORMS)[number];

export const POSITION_ROLES = [
  'SECRETARY',
  'DEPUTY_SECRETARY',
  'PARTY_MEMBER_SEAT',
  'DIRECTOR',
  'DEPUTY_DIRECTOR',
  'MEMBER',
  'WOMEN_MEMBER',
] as const;
export type PositionRole = (typeof POSITION_ROLES)[number];

export const END_REASONS = ['TERM_ENDED', 'TRANSFERRED', 'RESIGNED', 'REMOVED', 'RESULT_VOIDED'] as const;
export type EndReason = (typeof END_REASONS)[number];

const KIND_NAMES: Record<CommitteeKind, string> = {
  PARTY: "Party committee (党组织委员会)",
  VILLAGERS: "villagers' committee (村民委员会)",
  RESIDENTS: "residents' committee (居民委员会)",
};
export const kindName = (kind: CommitteeKind) => KIND_NAMES[kind];

/** 两委: a village has a Party committee and a villagers' committee; a community a Party committee and a residents' committee. */
const KINDS_BY_UNIT: Partial<Record<OrgUnitKind, readonly CommitteeKind[]>> = {
  VILLAGE: ['PARTY', 'VILLAGERS'],
  COMMUNITY: ['PARTY', 'RESIDENTS'],
};

/** The seats of each committee. The Party committee's are set by the Party's rules, the others by the two organic laws. */
export const ROLES_BY_KIND: Record<CommitteeKind, readonly PositionRole[]> = {
  // 中国共产党支部工作条例(试行) 第六章: 党支部委员会设书记和组织委员、宣传委员、纪检委员等，必要时可以设1名副书记
  PARTY: ['SECRETARY', 'DEPUTY_SECRETARY', 'PARTY_MEMBER_SEAT'],
  // 村民委员会组织法 第六条: 村民委员会由主任、副主任和委员…组成; 村民委员会成员中，应当有妇女成员
  VILLAGERS: ['DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER', 'WOMEN_MEMBER'],
  // 城市居民委员会组织法 第七条: 居民委员会由主任、副主任和委员…组成
  RESIDENTS: ['DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER', 'WOMEN_MEMBER'],
};

/** The seat that leads the committee: exactly one per term. */
export const HEAD_ROLE: Record<CommitteeKind, 'SECRETARY' | 'DIRECTOR'> = { PARTY: 'SECRETARY', VILLAGERS: 'DIRECTOR', RESIDENTS: 'DIRECTOR' };

export interface SizeRange {
  min: number;
  max: number;
  /** The rule the range comes from, quoted in error messages. */
  source: string;
}

/**
 * The lawful number of members. For the Party committee the upper bounds are the "一般不超过"
 * figures: the organisation department approves anything beyond them case by case, outside this
 * register.
 */
const SIZE_RANGES: Record<'VILLAGERS' | 'RESIDENTS' | PartyOrgForm, SizeRange> = {
  VILLAGERS: { min: 3, max: 7, source: '村民委员会组织法 第六条: 村民委员会由主任、副主任和委员共三至七人组成' },
  RESIDENTS: { min: 5, max: 9, source: '城市居民委员会组织法 第七条: 居民委员会由主任、副主任和委员共五至九人组成' },
  BRANCH: { min: 3, max: 7, source: '中国共产党支部工作条例(试行) 第六章: 党支部委员会由3至5人组成，一般不超过7人' },
  // 组织工作: 总支部委员会一般设委员5至7人，最多不超过9人; 基层委员会一般设委员5至9人.
  GENERAL_BRANCH: { min: 5, max: 9, source: '党的基层组织领导成员职数: 总支部委员会一般设委员5至7人，最多不超过9人' },
  COMMITTEE: { min: 5, max: 9, source: '党的基层组织领导成员职数: 基层委员会一般设委员5至9人' },
};

export function sizeRangeOf(kind: CommitteeKind, form: PartyOrgForm | null): SizeRange {
  if (kind !== 'PARTY') return SIZE_RANGES[kind];
  return SIZE_RANGES[form ?? 'BRANCH'];
}

/**
 * Which committee a unit may have, and the Party organisation's form: required when the Party
 * committee is first recorded, meaningless for the other committee. Returns the form to keep.
 */
export function checkCommitteeForUnit(input: {
  unitKind: OrgUnitKind;
  kind: CommitteeKind;
  partyOrgForm: PartyOrgForm | null | undefined;
  existingForm: PartyOrgForm | null | undefined;
}): PartyOrgForm | null {
  const allowed = KINDS_BY_UNIT[input.unitKind] ?? [];
  if (!allowed.includes(input.kind)) {
    throw badInput(
      'COMMITTEE.KIND_FOR_UNIT',
      allowed.length === 0
        ? `两委 belong to a VILLAGE or COMMUNITY; a ${input.unitKind} has no ${input.kind} committee`
        : `两委 of a ${input.unitKind}: the committees allowed are ${allowed.join(' and ')}, not ${input.kind}`,
    );
  }
  if (input.kind !== 'PARTY') {
    if (input.partyOrgForm) {
      throw badInput('COMMITTEE.PARTY_ORG_FORM', `partyOrgForm (党组织形式) applies to a PARTY committee only, not ${input.kind}`);
    }
    return null;
  }
  const form = input.partyOrgForm ?? input.existingForm ?? null;
  if (!form) {
    throw badInput(
      'COMMITTEE.PARTY_ORG_FORM',
      `the unit has no Party committee on record yet: name its partyOrgForm (党组织形式), one of ${PARTY_ORG_FORMS.join(', ')}`,
    );
  }
  return form;
}

/** A seat must exist on the committee it is filled on. */
export function checkRoleForKind(kind: CommitteeKind, role: PositionRole): void {
  const allowed = ROLES_BY_KIND[kind];
  if (!allowed.includes(role)) {
    throw badInput('POSITION.ROLE_FOR_KIND', `职务 ${role} does not exist on a ${kindName(kind)}; its seats are ${allowed.join(', ')}`);
  }
}
