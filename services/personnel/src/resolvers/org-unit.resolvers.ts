import { readPage, toConnection, type PageArgs } from '@huanjie/platform';
import { createOrgUnit } from '../commands/org-unit.commands';
import { personCursorKey } from '../db/person.store';
import type { OrgUnitRow } from '../db/rows';
import type { PersonnelContext } from '../deps';
import { checkSearchFragment, type OrgUnitKind } from '../domain/org-unit.rules';
import { PEOPLE_PAGE_MAX } from './loaders';

export const orgUnitResolvers = {
  Query: {
    orgUnit: (_: unknown, args: { id: string }, ctx: PersonnelContext) => ctx.loaders.orgUnitById.load(args.id),
    orgUnitByCode: (_: unknown, args: { code: string }, ctx: PersonnelContext) => ctx.orgUnits.byCode(args.code).then((r) => r ?? null),
    rootOrgUnits: (_: unknown, __: unknown, ctx: PersonnelContext) => ctx.orgUnits.roots(),
    searchOrgUnits: async (_: unknown, args: PageArgs & { name: string }, ctx: PersonnelContext) => {
      const fragment = checkSearchFragment(args.name);
      const page = readPage(args);
      return toConnection(await ctx.orgUnits.searchByName(fragment, page), page, (r) => r.code.trim());
    },
  },
  Mutation: {
    createOrgUnit: (_: unknown, args: { input: { code: string; name: string; kind: OrgUnitKind } }, ctx: PersonnelContext) =>
      createOrgUnit(ctx, args.input),
  },
  OrgUnit: {
    // By either key: id (most references) or code (a region known by its 行政区划代码 only).
    __resolveReference: (ref: { id?: string; code?: string }, ctx: PersonnelContext) =>
      ref.id !== undefined ? ctx.loaders.orgUnitById.load(ref.id) : ref.code !== undefined ? ctx.loaders.orgUnitByCode.load(ref.code) : null,
    code: (unit: OrgUnitRow) => unit.code.trim(),
    regionPath: (unit: OrgUnitRow) => unit.region_path,
    parent: (unit: OrgUnitRow, _: unknown, ctx: PersonnelContext) => (unit.parent_id ? ctx.loaders.orgUnitById.load(unit.parent_id) : null),
    ancestors: (unit: OrgUnitRow, _: unknown, ctx: PersonnelContext) => ctx.loaders.ancestorsOf.load(unit.region_path),
    children: async (unit: OrgUnitRow, args: PageArgs, ctx: PersonnelContext) => {
      const page = readPage(args);
      return toConnection(await ctx.loaders.childrenOf.load({ parentId: unit.id, variant: args }), page, (r) => r.code.trim());
    },
    people: async (unit: OrgUnitRow, args: PageArgs, ctx: PersonnelContext) => {
      const page = readPage(args, PEOPLE_PAGE_MAX);
      return toConnection(await ctx.loaders.peopleOf.load({ parentId: unit.id, variant: args }), page, personCursorKey);
    },
  },
};
