import { describeFailure, type GraphQLResult } from './http-client';
import type { Check } from './operations';
import { PROGRESS_REPORT, checkProgressReport } from './progress-report-operations';
import { STRUCTURE_REPORT } from './operations';

/**
 * The five representative operations of the report suite (issue 10): what a county's organisation
 * department opens every day during the 换届, each as one GraphQL document sent to a gateway, with
 * the check every answer must pass. The variables rotate over every region, unit or township of the
 * data set (report-targets.ts), so no two consecutive requests ask for the same thing.
 */
export type ReportOperationId = 'progress' | 'unit' | 'candidates' | 'overdue' | 'structure';

export interface ReportOperation {
  id: ReportOperationId;
  title: string;
  /** Which subgraphs one answer needs. */
  subgraphs: string[];
  query: string;
  check: Check;
}

/** A unit with its committees, the members in office, their candidacies with reviews, and their training. */
export const UNIT_DOSSIER = `query UnitDossier($code: String!) {
  orgUnitByCode(code: $code) {
    code name kind
    committees {
      kind partyOrgForm
      currentTerm {
        startsOn endsOn status
        positions(activeOnly: true) {
          role startsOn
          person {
            name gender age education politicalStatus idNumberMasked
            candidacies { role status election { committeeKind electionDay status } review { status level negativeListCodes } }
            reviews { status level round concludedAt conclusion { outcome } }
            trainingRecord { hoursCompleted coursesCompleted }
            enrolments { status completedOn course { name hours } }
          }
        }
      }
    }
  }
}`;

interface UnitDossier {
  orgUnitByCode: {
    committees: { currentTerm: { positions: { person: { idNumberMasked: string; candidacies: unknown[]; reviews: unknown[] } | null }[] } | null }[];
  } | null;
}

export const checkUnitDossier: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const unit = (res.data as UnitDossier).orgUnitByCode;
  if (!unit) return 'orgUnitByCode returned null';
  if (unit.committees.length === 0) return 'the unit has no committees';
  for (const committee of unit.committees) {
    if (!committee.currentTerm || committee.currentTerm.positions.length === 0) return 'a committee without a current term or members';
    for (const { person } of committee.currentTerm.positions) {
      if (!person) return 'a position without its person';
      if (!/^\d{4}\*{10}\d{3}[\dX]$/.test(person.idNumberMasked)) return `ID number not masked: ${person.idNumberMasked}`;
      if (!Array.isArray(person.candidacies) || !Array.isArray(person.reviews)) return 'candidacies or reviews missing';
    }
  }
  return null;
};

/** A township's elections of the cycle with every candidate and the candidate's 联审 review. */
export const CANDIDATE_LIST = `query CandidateList($filter: ElectionFilter!, $first: Int) {
  elections(filter: $filter, first: $first) {
    edges {
      node {
        id committeeKind status electionDay
        orgUnit { code name }
        candidates {
          role status nominatedBy recommendations
          person { name gender age education politicalStatus idNumberMasked }
          review { status level round negativeListCodes openedAt opinions { departmentName decision } conclusion { outcome itemCodes } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface CandidateList {
  elections: { edges: { node: { candidates: { person: { idNumberMasked: string } | null; review: unknown }[] } }[] };
}

export const checkCandidateList: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const edges = (res.data as CandidateList).elections.edges;
  if (edges.length === 0) return 'the township has no elections';
  if (!edges.some((e) => e.node.candidates.length > 0)) return 'no candidates in the township';
  for (const { node } of edges) {
    for (const candidate of node.candidates) {
      if (!candidate.person) return 'a candidate without the person';
      if (!/^\d{4}\*{10}\d{3}[\dX]$/.test(candidate.person.idNumberMasked)) return 'ID number not masked';
    }
  }
  return null;
};

/** The overdue complaints of a region, longest overdue first, with the people they are about. */
export const OVERDUE_COMPLAINTS = `query OverdueComplaints($regionCode: String!, $first: Int) {
  overdueComplaints(regionCode: $regionCode, first: $first) {
    edges {
      node {
        id category severity status receivedAt electionPeriod
        orgUnit { code name }
        deadlines { firstResponseDue handleDue overdue overdueDeadline level }
        assignment { investigator }
        subjects {
          name idNumberMasked politicalStatus
          orgUnit { name }
          positions(activeOnly: true) { role }
          candidacies { status role }
        }
      }
    }
    pageInfo { hasNextPage }
  }
}`;

interface OverdueComplaints {
  overdueComplaints: { edges: { node: { deadlines: { overdue: boolean }; subjects: { idNumberMasked: string }[] } }[] };
}

export const checkOverdueComplaints: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const edges = (res.data as OverdueComplaints).overdueComplaints.edges;
  if (edges.length === 0) return 'no overdue complaints in the region';
  for (const { node } of edges) {
    if (!node.deadlines.overdue) return 'a complaint that is not overdue';
    for (const subject of node.subjects) if (!/^\d{4}\*{10}\d{3}[\dX]$/.test(subject.idNumberMasked)) return 'ID number not masked';
  }
  return null;
};

interface StructureReport {
  structureReport: { unitCount: number; current: { memberCount: number; committeeCount: number }; compliance: { assessedUnitCount: number } } | null;
}

/** The seeded data set has one term per committee (2021): the current side must be counted; the previous one may be empty. */
export const checkStructureReportCurrent: Check = (res) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const report = (res.data as StructureReport).structureReport;
  if (!report) return 'structureReport returned null';
  if (report.unitCount === 0 || report.current.memberCount === 0 || report.current.committeeCount === 0) return 'structureReport counted no members';
  return null;
};

export const REPORT_OPERATIONS: Record<ReportOperationId, ReportOperation> = {
  progress: {
    id: 'progress',
    title: "a region's 换届 progress report",
    subgraphs: ['elections', 'personnel'],
    query: PROGRESS_REPORT,
    check: checkProgressReport,
  },
  unit: {
    id: 'unit',
    title: 'a unit: committees, members, candidacies, reviews, training',
    subgraphs: ['personnel', 'elections', 'vetting', 'training'],
    query: UNIT_DOSSIER,
    check: checkUnitDossier,
  },
  candidates: {
    id: 'candidates',
    title: "a township's candidate list with reviews",
    subgraphs: ['elections', 'personnel', 'vetting'],
    query: CANDIDATE_LIST,
    check: checkCandidateList,
  },
  overdue: {
    id: 'overdue',
    title: "a region's overdue complaints with subjects",
    subgraphs: ['complaints', 'personnel', 'elections'],
    query: OVERDUE_COMPLAINTS,
    check: checkOverdueComplaints,
  },
  structure: {
    id: 'structure',
    title: 'the structure report (班子结构分析)',
    subgraphs: ['personnel'],
    query: STRUCTURE_REPORT,
    check: checkStructureReportCurrent,
  },
};

export const REPORT_OPERATION_IDS = Object.keys(REPORT_OPERATIONS) as ReportOperationId[];

/** Key order and all, so two gateways' answers can be compared byte for byte. */
export function canonical(res: GraphQLResult<unknown>): string {
  return JSON.stringify(res.data);
}
