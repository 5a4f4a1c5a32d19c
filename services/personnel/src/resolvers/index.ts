import { committeeResolvers } from './committee.resolvers';
import { orgUnitResolvers } from './org-unit.resolvers';
import { personResolvers } from './person.resolvers';

export const resolvers = {
  Query: { ...orgUnitResolvers.Query, ...personResolvers.Query, ...committeeResolvers.Query },
  Mutation: { ...orgUnitResolvers.Mutation, ...personResolvers.Mutation, ...committeeResolvers.Mutation },
  OrgUnit: { ...orgUnitResolvers.OrgUnit, ...committeeResolvers.OrgUnit },
  Person: { ...personResolvers.Person, ...committeeResolvers.Person },
  Committee: committeeResolvers.Committee,
  Term: committeeResolvers.Term,
  Position: committeeResolvers.Position,
};
