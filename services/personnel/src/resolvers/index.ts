import { committeeResolvers } from './committee.resolvers';
import { orgUnitResolvers } from './org-unit.resolvers';
import { personResolvers } from './person.resolvers';
import { structureReportResolvers } from './structure-report.resolvers';

export const resolvers = {
  Query: { ...orgUnitResolvers.Query, ...personResolvers.Query, ...committeeResolvers.Query, ...structureReportResolvers.Query },
  Mutation: { ...orgUnitResolvers.Mutation, ...personResolvers.Mutation, ...committeeResolvers.Mutation },
  OrgUnit: { ...orgUnitResolvers.OrgUnit, ...committeeResolvers.OrgUnit },
  Person: { ...personResolvers.Person, ...committeeResolvers.Person },
  Committee: committeeResolvers.Committee,
  Term: committeeResolvers.Term,
  Position: committeeResolvers.Position,
  SecretaryAgeFlag: structureReportResolvers.SecretaryAgeFlag,
};
