import { badInput, DomainError, isUuid, regionPathFromCode } from '@huanjie/platform';

export const COMPLAINT_CHANNELS = ['HOTLINE', 'LETTER', 'VISIT', 'ONLINE', 'EMAIL'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_CATEGORIES = [
  'VOTE_BUYING',
  'CLAN_INTERFERENCE',
  'CRIMINAL_INTERFERENCE',
  'ELIGIBILITY',
  'PROCEDURE',
  'OTHER',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_STATUSES = ['RECEIVED', 'INVESTIGATING', 'SUBSTANTIATED', 'UNSUBSTANTIATED', 'CLOSED'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/**
 * Cases still weighing on a unit or a person: received, under investigation, or substantiated
 * and awaiting what follows (三个一律). Unsubstantiated and closed cases are done.
 */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['RECEIVED', 'INVESTIGATING', 'SUBSTANTIATED'];

export const SUMMARY_MAX = 2000;

export interface ReceiveComplaintInput {
  channel: ComplaintChannel;
  category: ComplaintCategory;
  summary: string;
  orgUnitId: string;
  regionCode: string;
  subjectPersonId?: string | null;
}

export interface ComplaintPlan {
  channel: ComplaintChannel;
  category: ComplaintCategory;
  summary: string;
  orgUnitId: string;
  /** Derived from regionCode: the one fact about the unit complaints keeps, to authorise reads. */
  regionPath: string;
  subjectPersonId: string | null;
}

/** Characters as a reader counts them (code points), not UTF-16 units. */
const length = (s: string) => Array.from(s).length;

/**
 * Checks a complaint as received (受理). Messages never quote the summary: it may name people
 * and is for the case file only.
 */
export function planComplaint(input: ReceiveComplaintInput): ComplaintPlan {
  const summary = input.summary.trim();
  if (length(summary) < 1 || length(summary) > SUMMARY_MAX) {
    throw badInput('COMPLAINT.SUMMARY', `summary (内容摘要) must be 1–${SUMMARY_MAX} characters, got ${length(summary)}`);
  }
  if (!isUuid(input.orgUnitId)) {
    throw badInput('COMPLAINT.ORG_UNIT_ID', 'orgUnitId must be the id (a UUID) of the org unit the complaint concerns');
  }
  const subjectPersonId = input.subjectPersonId ?? null;
  if (subjectPersonId !== null && !isUuid(subjectPersonId)) {
    throw badInput('COMPLAINT.SUBJECT_PERSON_ID', 'subjectPersonId must be the id (a UUID) of the person complained about, or omitted');
  }
  let regionPath: string;
  try {
    regionPath = regionPathFromCode(input.regionCode);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw badInput('COMPLAINT.REGION_CODE', `regionCode must be the 12-digit 行政区划代码 of the org unit: ${error.message}`);
  }
  // A complaint concerns a unit, never "the whole country".
  if (regionPath === '') {
    throw badInput('COMPLAINT.REGION_CODE', 'regionCode must name the org unit the complaint concerns, not 000000000000 (nationwide)');
  }
  return { channel: input.channel, category: input.category, summary, orgUnitId: input.orgUnitId, regionPath, subjectPersonId };
}
