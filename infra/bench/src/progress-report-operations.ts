import type { GraphQLResult } from './http-client';
import { describeFailure } from './http-client';
import type { Check } from './operations';

/** (h) The 换届 progress report: every figure of the region and its child regions, with their names from personnel. */
export const PROGRESS_REPORT = `query ProgressReport($input: TransitionProgressInput!) {
  transitionProgress(input: $input) {
    today
    total { ...progressRow }
    children { ...progressRow }
  }
}
fragment progressRow on TransitionProgressRow {
  regionCode region { name } units done inProgress notStarted blocked stepsDone stepsTotal completionBasisPoints percentComplete rank
  sinceYesterday { stepsCompleted unitsDone basisPointsChange percentChange rankYesterday rankChange }
}`;

export interface ProgressRow {
  regionCode: string;
  region: { name: string } | null;
  units: number;
  done: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  stepsDone: number;
  stepsTotal: number;
  completionBasisPoints: number;
  percentComplete: number;
  rank: number | null;
  sinceYesterday: { stepsCompleted: number; unitsDone: number; basisPointsChange: number; percentChange: number; rankYesterday: number | null; rankChange: number | null };
}

export interface ProgressReportAnswer {
  transitionProgress: { today: string; total: ProgressRow; children: ProgressRow[] };
}

export const checkProgressReport: Check = (res: GraphQLResult<unknown>) => {
  const failure = describeFailure(res);
  if (failure) return failure;
  const report = (res.data as ProgressReportAnswer).transitionProgress;
  if (!report) return 'transitionProgress returned null';
  if (report.total.units === 0 || report.children.length === 0) return 'transitionProgress counted no units';
  if (report.children.reduce((n, r) => n + r.units, 0) !== report.total.units) return 'transitionProgress: the child regions do not add up to the total';
  return null;
};
