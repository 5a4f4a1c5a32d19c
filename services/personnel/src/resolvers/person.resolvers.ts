import { shanghaiDate } from '@huanjie/platform';
import { readPersonIdentity } from '../commands/person-identity.commands';
import { registerPerson, updatePerson, type RegisterPersonInput, type UpdatePersonInput } from '../commands/person.commands';
import type { PersonRow } from '../db/rows';
import type { PersonnelContext } from '../deps';
import { ETHNIC_GROUPS } from '../domain/ethnic-groups';
import { ageOn, isCollegeOrAbove } from '../domain/person.rules';

export const personResolvers = {
  Query: {
    person: (_: unknown, args: { id: string }, ctx: PersonnelContext) => ctx.loaders.personById.load(args.id),
    personIdentity: (_: unknown, args: { id: string }, ctx: PersonnelContext) => readPersonIdentity(ctx, args.id),
    ethnicities: () => ETHNIC_GROUPS,
  },
  Mutation: {
    registerPerson: (_: unknown, args: { input: RegisterPersonInput }, ctx: PersonnelContext) => registerPerson(ctx, args.input),
    updatePerson: (_: unknown, args: { id: string; input: UpdatePersonInput }, ctx: PersonnelContext) =>
      updatePerson(ctx, args.id, args.input),
  },
  Person: {
    __resolveReference: (ref: { id: string }, ctx: PersonnelContext) => ctx.loaders.personById.load(ref.id),
    birthDate: (p: PersonRow) => p.birth_date,
    // As of today in Asia/Shanghai by the injected clock, so tests can stand on a birthday.
    age: (p: PersonRow, _: unknown, ctx: PersonnelContext) => ageOn(p.birth_date, shanghaiDate(ctx.deps.clock())),
    collegeOrAbove: (p: PersonRow) => isCollegeOrAbove(p.education),
    politicalStatus: (p: PersonRow) => p.political_status,
    partyJoinedOn: (p: PersonRow) => p.party_joined_on,
    professionalBackgrounds: (p: PersonRow) => p.professional_backgrounds,
    sourceTags: (p: PersonRow) => p.source_tags,
    idNumberMasked: (p: PersonRow) => p.id_number_masked,
    phoneMasked: (p: PersonRow) => p.phone_masked,
    reserveSince: (p: PersonRow) => p.reserve_since,
    reserveOrgUnit: (p: PersonRow, _: unknown, ctx: PersonnelContext) =>
      p.reserve_org_unit_id ? ctx.loaders.orgUnitById.load(p.reserve_org_unit_id) : null,
    orgUnit: (p: PersonRow, _: unknown, ctx: PersonnelContext) => ctx.loaders.orgUnitById.load(p.org_unit_id),
    createdAt: (p: PersonRow) => new Date(p.created_at).toISOString(),
    updatedAt: (p: PersonRow) => new Date(p.updated_at).toISOString(),
  },
};
