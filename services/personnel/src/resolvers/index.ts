import { orgUnitResolvers } from './org-unit.resolvers';
import { personResolvers } from './person.resolvers';

export const resolvers = {
  Query: { ...orgUnitResolvers.Query, ...personResolvers.Query },
  Mutation: { ...orgUnitResolvers.Mutation, ...personResolvers.Mutation },
  OrgUnit: orgUnitResolvers.OrgUnit,
  Person: personResolvers.Person,
};
