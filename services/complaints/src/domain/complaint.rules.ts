import { badInput, DomainError, isUuid, regionPathFromCode } from '@huanjie/platform';

/**
 * 受理: a complaint as it comes in, checked without I/O. Messages never quote what was reported
 * or who reported it: both may name people and belong in the case file only.
 */
export const COMPLAINT_CHANNELS = ['HOTLINE', 'EMAIL', 'LETTER', 'VISIT', 'ONLINE', 'SUPERVISION_GROUP', 'REFERRAL_12345'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_CATEGORIES = [
  'VOTE_BUYING',
  'CLAN_INTERFERENCE',
  'CRIMINAL_INTERFERENCE',
  'PROCEDURE',
  'ELIGIBILITY',
  'FINANCES',
  'CONDUCT',
  'OTHER',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 三个一律: the grounds on which a finding disqualifies a candidate and voids a won election. */
export const THREE_ALWAYS: readonly ComplaintCategory[] = ['VOTE_BUYING', 'CLAN_INTERFERENCE', 'CRIMINAL_INTERFERENCE'];

export const SUMMARY_MAX = 2000;
export const MAX_SUBJECTS = 20;
export const MAX_ATTACHMENTS = 20;
export const NAME_MAX = 50;
export const CONTACT_MAX = 100;

export interface AttachmentInput {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface ComplainantInput {
  name: string;
  contact?: string | null;
}

export interface ReceiveComplaintInput {
  channel: ComplaintChannel;
  category: ComplaintCategory;
  summary: string;
  orgUnitId: string;
  regionCode: string;
  severity?: Severity | null;
  electionId?: string | null;
  subjectPersonIds?: readonly string[] | null;
  /** Kept for older clients: one person complained about. */
  subjectPersonId?: string | null;
  /** 换届期间: default — true when the complaint names an election. */
  electionPeriod?: boolean | null;
  attachments?: readonly AttachmentInput[] | null;
  /** Absent: anonymous (匿名). */
  complainant?: ComplainantInput | null;
}

export interface ComplaintPlan {
  channel: ComplaintChannel;
  category: ComplaintCategory;
  severity: Severity;
  summary: string;
  orgUnitId: string;
  /** Derived from regionCode: the one fact about the unit complaints keeps, to authorise reads. */
  regionPath: string;
  electionId: string | null;
  subjectPersonIds: string[];
  electionPeriod: boolean;
  attachments: AttachmentInput[];
  complainant: { name: string; contact: string | null } | null;
}

/** Characters as a reader counts them (code points), not UTF-16 units. */
export const length = (s: string) => Array.from(s).length;

/** Default severity: 三个一律 grounds are serious from the start; the rest are ordinary until triaged. */
export function defaultSeverity(category: ComplaintCategory): Severity {
  return THREE_ALWAYS.includes(category) ? 'HIGH' : 'MEDIUM';
}

function checkAttachment(a: AttachmentInput, i: number): AttachmentInput {
  const fileName = a.fileName.trim();
  if (length(fileName) < 1 || length(fileName) > 200) throw badInput('COMPLAINT.ATTACHMENT', `attachment ${i + 1}: fileName must be 1–200 characters`);
  if (!/^[a-z]+\/[a-z0-9.+-]+$/i.test(a.mediaType)) throw badInput('COMPLAINT.ATTACHMENT', `attachment ${i + 1}: mediaType must be a MIME type such as image/jpeg`);
  if (!Number.isInteger(a.sizeBytes) || a.sizeBytes < 1 || a.sizeBytes > 100 * 1024 * 1024) {
    throw badInput('COMPLAINT.ATTACHMENT', `attachment ${i + 1}: sizeBytes must be 1 byte to 100 MiB`);
  }
  const sha256 = a.sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw badInput('COMPLAINT.ATTACHMENT_HASH', `attachment ${i + 1}: sha256 must be 64 hexadecimal digits (the file itself is kept elsewhere)`);
  return { fileName, mediaType: a.mediaType.toLowerCase(), sizeBytes: a.sizeBytes, sha256 };
}

/** Checks a complaint as received (受理). */
export function planComplaint(input: ReceiveComplaintInput): ComplaintPlan {
  const summary = input.summary.trim();
  if (length(summary) < 1 || length(summary) > SUMMARY_MAX) {
    throw badInput('COMPLAINT.SUMMARY', `summary (反映内容) must be 1–${SUMMARY_MAX} characters, got ${length(summary)}`);
  }
  if (!(COMPLAINT_CHANNELS as readonly string[]).includes(input.channel)) throw badInput('COMPLAINT.CHANNEL', `channel must be one of ${COMPLAINT_CHANNELS.join(', ')}`);
  if (!(COMPLAINT_CATEGORIES as readonly string[]).includes(input.category)) throw badInput('COMPLAINT.CATEGORY', `category must be one of ${COMPLAINT_CATEGORIES.join(', ')}`);
  if (!isUuid(input.orgUnitId)) {
    throw badInput('COMPLAINT.ORG_UNIT_ID', 'orgUnitId must be the id (a UUID) of the org unit the complaint concerns');
  }
  const electionId = input.electionId ?? null;
  if (electionId !== null && !isUuid(electionId)) throw badInput('COMPLAINT.ELECTION_ID', 'electionId must be the id (a UUID) of an election, or omitted');
  const people = [...(input.subjectPersonIds ?? []), ...(input.subjectPersonId ? [input.subjectPersonId] : [])];
  if (people.some((id) => !isUuid(id))) {
    throw badInput('COMPLAINT.SUBJECT_PERSON_ID', 'subjectPersonIds must be the ids (UUIDs) of the people complained about');
  }
  const subjectPersonIds = [...new Set(people.map((id) => id.toLowerCase()))];
  if (subjectPersonIds.length > MAX_SUBJECTS) throw badInput('COMPLAINT.SUBJECTS', `at most ${MAX_SUBJECTS} people per complaint`);
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
  const attachments = (input.attachments ?? []).map(checkAttachment);
  if (attachments.length > MAX_ATTACHMENTS) throw badInput('COMPLAINT.ATTACHMENT', `at most ${MAX_ATTACHMENTS} attachments`);
  if (input.severity && !(SEVERITIES as readonly string[]).includes(input.severity)) throw badInput('COMPLAINT.SEVERITY', 'severity is LOW, MEDIUM or HIGH');
  let complainant: ComplaintPlan['complainant'] = null;
  if (input.complainant) {
    const name = input.complainant.name.trim();
    const contact = input.complainant.contact?.trim() || null;
    if (length(name) < 1 || length(name) > NAME_MAX) throw badInput('COMPLAINT.COMPLAINANT_NAME', `the complainant's name must be 1–${NAME_MAX} characters (omit the complainant for an anonymous complaint)`);
    if (contact !== null && length(contact) > CONTACT_MAX) throw badInput('COMPLAINT.COMPLAINANT_CONTACT', `the complainant's contact must be at most ${CONTACT_MAX} characters`);
    complainant = { name, contact };
  }
  return {
    channel: input.channel,
    category: input.category,
    severity: input.severity ?? defaultSeverity(input.category),
    summary,
    orgUnitId: input.orgUnitId.toLowerCase(),
    regionPath,
    electionId: electionId?.toLowerCase() ?? null,
    subjectPersonIds,
    electionPeriod: input.electionPeriod ?? electionId !== null,
    attachments,
    complainant,
  };
}

/** 重复件: how far apart two complaints about the same subject and category may be received and still be suggested as duplicates. */
export const DUPLICATE_WINDOW_DAYS = 30;

export interface DuplicateFacts {
  id: string;
  category: ComplaintCategory;
  orgUnitId: string;
  electionId: string | null;
  subjectPersonIds: readonly string[];
  receivedAt: Date;
}

/**
 * Two complaints are possible duplicates when they are of the same category, received within the
 * window of each other, and about the same subject: a person in common, or the same election, or
 * — when neither names a person or an election — the same unit. (The store runs the same test in SQL.)
 */
export function isPossibleDuplicate(a: DuplicateFacts, b: DuplicateFacts, windowDays = DUPLICATE_WINDOW_DAYS): boolean {
  if (a.id === b.id || a.category !== b.category) return false;
  if (Math.abs(a.receivedAt.getTime() - b.receivedAt.getTime()) > windowDays * 86_400_000) return false;
  if (a.subjectPersonIds.some((p) => b.subjectPersonIds.includes(p))) return true;
  if (a.electionId !== null && a.electionId === b.electionId) return true;
  const bare = (x: DuplicateFacts) => x.subjectPersonIds.length === 0 && x.electionId === null;
  return bare(a) && bare(b) && a.orgUnitId === b.orgUnitId;
}

/**
 * 回执码 — the receipt code an (anonymous) complainant is given once, at intake, to ask how the case
 * stands: 20 characters of Crockford base32 (100 random bits) in groups of four. Guessing one is
 * hopeless (2^100 codes); the service also limits failed look-ups per caller. Only a hash is stored.
 */
export const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECEIPT_LENGTH = 20;

/** The code as issued (groups of four) from 20 symbols. */
export function formatReceiptCode(symbols: string): string {
  return symbols.match(/.{1,4}/g)!.join('-');
}

/** Normalises what a complainant types: case, spaces and dashes ignored, I/L read as 1 and O as 0. Null when it cannot be a code. */
export function normaliseReceiptCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (s.length !== RECEIPT_LENGTH || [...s].some((ch) => !RECEIPT_ALPHABET.includes(ch))) return null;
  return s;
}
