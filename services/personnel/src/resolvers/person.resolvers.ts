import { registerPerson, updatePerson, type RegisterPersonInput, type UpdatePersonInput } from '../commands/person.commands';
import type { PersonRow } from '../db/rows';
import type { PersonnelContext } from '../deps';

export const personResolvers = {
  Query: {
    person: (_: unknown, args: { id: string }, ctx: PersonnelContext) => ctx.loaders.personById.load(args.id),
  },
  Mutation: {
    registerPerson: (_: unknown, args: { input: RegisterPersonInput }, ctx: PersonnelContext) => registerPerson(ctx, args.input),
    updatePerson: (_: unknown, args: { id: string; input: UpdatePersonInput }, ctx: PersonnelContext) =>
      updatePerson(ctx, args.id, args.input),
  },
  Person: {
    __resolveReference: (ref: { id: string }, ctx: PersonnelContext) => ctx.loaders.personById.load(ref.id),
    birthDate: (p: PersonRow) => p.birth_date,
    politicalStatus: (p: PersonRow) => p.political_status,
    idNumberMasked: (p: PersonRow) => p.id_number_masked,
    orgUnit: (p: PersonRow, _: unknown, ctx: PersonnelContext) => ctx.loaders.orgUnitById.load(p.org_unit_id),
    createdAt: (p: PersonRow) => new Date(p.created_at).toISOString(),
    updatedAt: (p: PersonRow) => new Date(p.updated_at).toISOString(),
  },
};
