import { badInput, parentPath, regionPathFromCode } from '@huanjie/platform';

export const ORG_UNIT_KINDS = ['PROVINCE', 'CITY', 'DISTRICT', 'COUNTY', 'TOWN', 'SUBDISTRICT', 'VILLAGE', 'COMMUNITY'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Which kinds a code of each depth may name (depth = significant levels of the 行政区划代码). */
const KINDS_BY_DEPTH: Record<number, readonly OrgUnitKind[]> = {
  1: ['PROVINCE'],
  2: ['CITY'],
  3: ['DISTRICT', 'COUNTY'],
  4: ['TOWN', 'SUBDISTRICT'],
  5: ['VILLAGE', 'COMMUNITY'],
};

/** Units that hold a 两委 换届 of their own. */
export const ELECTING_KINDS: readonly OrgUnitKind[] = ['VILLAGE', 'COMMUNITY'];

export interface NewOrgUnitPlan {
  code: string;
  name: string;
  kind: OrgUnitKind;
  regionPath: string;
  depth: number;
  /** Region path of the parent; '' for a province. */
  parentPath: string;
}

/** Checks a new org unit against the division-code rules and says where it goes in the tree. */
export function planOrgUnit(input: { code: string; name: string; kind: OrgUnitKind }): NewOrgUnitPlan {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 60) {
    throw badInput('ORG_UNIT.NAME', `name must be 1–60 characters, got ${name.length}`);
  }
  const regionPath = regionPathFromCode(input.code);
  const depth = regionPath === '' ? 0 : regionPath.split('.').length;
  const allowed = KINDS_BY_DEPTH[depth];
  if (!allowed) throw badInput('ORG_UNIT.CODE_LEVEL', `行政区划代码 ${input.code} names no org unit level`);
  if (!allowed.includes(input.kind)) {
    throw badInput(
      'ORG_UNIT.KIND_MATCHES_CODE',
      `行政区划代码 ${input.code} is a level-${depth} code, so the kind must be ${allowed.join(' or ')}, not ${input.kind}`,
    );
  }
  return { code: input.code, name, kind: input.kind, regionPath, depth, parentPath: parentPath(regionPath) };
}

/**
 * The region paths above a unit, top-down: '51.5101.510107' → ['51', '51.5101']. The 行政区划代码
 * layout makes every ancestor's path a prefix of the unit's own, so ancestors need no tree walk.
 */
export function ancestorPathsOf(regionPath: string): string[] {
  const parts = regionPath.split('.').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** A name fragment to search for: 1–60 characters once trimmed, as a unit's name may be. */
export function checkSearchFragment(raw: string): string {
  const fragment = raw.trim();
  if (fragment.length < 1 || fragment.length > 60) {
    throw badInput('ORG_UNIT.SEARCH_NAME', `the name to search for must be 1–60 characters, got ${fragment.length}`);
  }
  return fragment;
}
