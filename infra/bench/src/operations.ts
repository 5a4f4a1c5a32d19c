import type { GraphQLResult } from './http-client';
import { describeFailure } from './http-client';

/** The GraphQL operations the bench sends, and how each answer is checked. */

export const CREATE_ORG_UNIT = `mutation CreateOrgUnit($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`;
export const REGISTER_PERSON = `mutation RegisterPerson($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
export const CREATE_ELECTION_CYCLE = `mutation CreateElectionCycle($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`;
export const RECEIVE_COMPLAINT = `mutation ReceiveComplaint($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }`;

/** (b) One town's villages/communities with fields from all five subgraphs. */
export const TOWN_OVERVIEW = `query TownOverview($code: String!) {
  orgUnitByCode(code: $code) {
    children(first: 50) {
      nodes {
        name
        openComplaintCount
        trainingCoverage { peopleWithRecord }
        electionCycles { name }
        people(first: 20) {
          nodes { name idNumberMasked trainingRecord { openedAt } reviews { status } }
        }
      }
    }
  }
}`;

/** (c) One person, personnel's fields only: the same text goes to the subgraph and to the gateway. */
export const PERSON_BY_ID = `query PersonById($id: ID!) {
  person(id: $id) { id name gender birthDate education politicalStatus idNumberMasked reserve orgUnit { code name } }
}`;

/** Returns null when the answer is a clean, plausible success, else what is wrong with it. */
export type Check = (res: GraphQLResult<unknown>) => string | null;

export const checkRegistered: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const id = (res.data as { registerPerson?: { id?: unknown } }).registerPerson?.id;
  return typeof id === 'string' ? null : 'registerPerson returned no id';
};

interface TownOverview {
  orgUnitByCode: {
    children: {
      nodes: {
        name: string;
        openComplaintCount: number;
        trainingCoverage: { peopleWithRecord: number };
        electionCycles: { name: string }[];
        people: { nodes: { name: string; idNumberMasked: string; trainingRecord: { openedAt: string } | null; reviews: unknown[] }[] };
      }[];
    };
  } | null;
}

export const checkTownOverview: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const town = (res.data as TownOverview).orgUnitByCode;
  if (!town) return 'orgUnitByCode returned null';
  const units = town.children.nodes;
  if (units.length === 0) return 'the town has no villages/communities';
  for (const unit of units) {
    if (!Array.isArray(unit.electionCycles) || typeof unit.openComplaintCount !== 'number') return `incomplete unit ${unit.name}`;
    if (typeof unit.trainingCoverage?.peopleWithRecord !== 'number') return `no training coverage for ${unit.name}`;
    for (const person of unit.people.nodes) {
      if (!/^\d{4}\*{10}\d{3}[\dX]$/.test(person.idNumberMasked)) return `ID number not masked: ${person.idNumberMasked}`;
      if (!Array.isArray(person.reviews)) return 'reviews missing';
    }
  }
  return null;
};

export const checkPerson: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const person = (res.data as { person: { id: string; orgUnit: { code: string } | null } | null }).person;
  if (!person) return 'person returned null';
  if (!person.orgUnit) return 'person without org unit';
  return null;
};

/** (f) One term of a committee with its seats, entered by hand. */
export const START_TERM = `mutation StartTerm($input: StartTermInput!) {
  startTerm(input: $input) { id status startsOn endsOn }
}`;

/** A township's villages and communities with the traits of their people: what seating is chosen from. */
export const TOWN_REGISTER = `query TownRegister($code: String!) {
  orgUnitByCode(code: $code) {
    children(first: 100) {
      pageInfo { hasNextPage }
      nodes {
        id code kind
        people(first: 200) { pageInfo { hasNextPage } nodes { id gender birthDate education politicalStatus } }
      }
    }
  }
}`;

/** (g) The structure report with every figure and the first page of each compliance list. */
export const STRUCTURE_REPORT = `query StructureReport($regionCode: String!, $asOf: String) {
  structureReport(regionCode: $regionCode, asOf: $asOf) {
    regionCode asOf unitCount
    region { code name }
    current { ...Side }
    previous { ...Side }
    change {
      memberCount averageAgeYears aged35OrUnderPoints aged40OrUnderPoints collegeOrAbovePoints womenPoints partyMembersPoints
      oneShoulderPoints
    }
    twoUpOneDown { educationUp womenUp ageDown ageDownByTarget achieved }
    compliance {
      assessedUnitCount
      withoutWoman { minimum count units { code name } }
      withoutMemberAged35OrUnder { minimum count units { code name } }
      fewerThanTwoCollege { minimum count units { code name } }
      secretariesOverAgeRule { count secretaries { orgUnit { code name } person { name } gender seatedOn ageWhenSeated ageLimit } }
    }
  }
}
fragment Side on TermStructure {
  committeeCount unitCount memberCount averageAge
  aged35OrUnder { count percent }
  aged40OrUnder { count percent }
  collegeOrAbove { count percent }
  women { count percent }
  partyMembers { count percent }
  oneShoulder { unitsWithBothPosts oneShoulderUnits percent }
}`;

export const checkTermStarted: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const term = (res.data as { startTerm?: { id?: unknown; status?: unknown } }).startTerm;
  if (typeof term?.id !== 'string') return 'startTerm returned no id';
  return term.status === 'ACTIVE' ? null : `startTerm returned a term with status ${String(term.status)}`;
};

interface StructureReportShape {
  structureReport: {
    unitCount: number;
    current: { memberCount: number; committeeCount: number };
    previous: { memberCount: number; committeeCount: number };
    compliance: { assessedUnitCount: number };
  } | null;
}

/** Every answer has both terms counted; the main thread checks one answer per region figure by figure. */
export const checkStructureReport: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const report = (res.data as StructureReportShape).structureReport;
  if (!report) return 'structureReport returned null';
  if (report.unitCount === 0 || report.compliance.assessedUnitCount === 0) return 'structureReport counted no units';
  if (report.current.memberCount === 0 || report.previous.memberCount === 0)
    return `structureReport without members: current ${report.current.memberCount}, previous ${report.previous.memberCount}`;
  return null;
};
