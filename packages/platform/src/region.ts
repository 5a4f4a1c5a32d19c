import { badInput } from './errors';

/**
 * 行政区划代码 (statistical division code): 12 digits whose prefixes are the levels above —
 * province 2, prefecture 4, county 6, township 9, village/community 12. A region path spells the
 * chain as dot-separated prefixes, e.g. 510107001002 → '51.5101.510107.510107001.510107001002',
 * so "everything under Wuhou district" is the path '51.5101.510107' and its descendants.
 */
const LEVEL_LENGTHS = [2, 4, 6, 9, 12] as const;

export const DIVISION_CODE = /^\d{12}$/;

/** '000000000000' stands for the whole country: an empty path that contains every region. */
export const NATIONWIDE_CODE = '000000000000';

export function isDivisionCode(code: string): boolean {
  return DIVISION_CODE.test(code);
}

export function regionPathFromCode(code: string): string {
  if (!isDivisionCode(code)) {
    throw badInput('REGION.CODE_FORMAT', `行政区划代码 must be 12 digits, got ${JSON.stringify(code)}`);
  }
  const parts: string[] = [];
  let from = 0;
  for (const to of LEVEL_LENGTHS) {
    if (/^0+$/.test(code.slice(from, to))) break;
    parts.push(code.slice(0, to));
    from = to;
  }
  // Once a level is all zeros, every level below it must be too: 510100000012 names nothing.
  if (!/^0*$/.test(code.slice(from))) {
    throw badInput('REGION.CODE_LEVELS', `行政区划代码 ${code} has digits below an empty level`);
  }
  return parts.join('.');
}

/** The level a code names, by how many of its digits are significant. */
export function regionDepth(code: string): number {
  return regionPathFromCode(code).split('.').filter(Boolean).length;
}

/** True when `path` is `scope` itself or lies beneath it. The empty scope is nationwide. */
export function isWithin(path: string, scope: string): boolean {
  if (scope === '') return true;
  return path === scope || path.startsWith(`${scope}.`);
}

/** The path of the parent level, or '' at the top. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? '' : path.slice(0, i);
}
