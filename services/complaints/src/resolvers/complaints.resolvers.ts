import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { badInput, byIdLoader, DomainError, readPage, regionPathFromCode, requireInScope, requireRole, toConnection, type PageArgs, type Role } from '@huanjie/platform';
import type { CaseRef } from '../commands/command-kit';
import { escalateOverdue } from '../commands/escalation.commands';
import { complaintStatus, receiveComplaint, type ReceivedComplaint } from '../commands/intake.commands';
import {
  acceptComplaint,
  assignComplaint,
  closeComplaint,
  extendComplaintDeadline,
  mergeComplaint,
  rejectComplaint,
  startInvestigation,
  substantiateComplaint,
  unsubstantiateComplaint,
} from '../commands/workflow.commands';
import { ComplaintStore, type ComplaintRow, type EscalationRow, type HistoryRow } from '../db/complaint.store';
import type { ComplaintsContext } from '../deps';
import type { ReceiveComplaintInput } from '../domain/complaint.rules';
import { overdueDeadline, type Level } from '../domain/deadlines.rules';
import { allowedEventsFor, STATUS_KIND } from '../domain/workflow.rules';

/** Who may read a case: the discipline commission, the organisation department, auditors. */
export const READERS: Role[] = ['DISCIPLINE', 'ORG_ADMIN', 'AUDITOR'];

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function groupBy<T>(rows: readonly T[], keysOf: (row: T) => readonly string[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    for (const key of keysOf(row)) {
      const list = map.get(key);
      if (list) list.push(row);
      else map.set(key, [row]);
    }
  }
  return map;
}

function listLoader<T>(fetch: (ids: readonly string[]) => Promise<T[]>, keysOf: (row: T) => readonly string[]) {
  return new DataLoader<string, T[]>(async (ids) => {
    const map = groupBy(await fetch(ids), keysOf);
    return ids.map((id) => map.get(id) ?? []);
  });
}

export function createComplaintLoaders(db: EntityManager, scopePath: string) {
  const complaints = new ComplaintStore(db, scopePath);
  return {
    byId: byIdLoader<ComplaintRow>((ids) => complaints.byIds(ids)),
    aboutPerson: listLoader((ids) => complaints.aboutPeople(ids), (r) => r.subject_person_ids),
    aboutElection: listLoader((ids) => complaints.aboutElections(ids), (r) => (r.election_id ? [r.election_id] : [])),
    openCount: new DataLoader<string, number>(async (orgUnitIds) => {
      const counts = await complaints.openCountsByOrgUnits(orgUnitIds);
      return orgUnitIds.map((id) => counts.get(id) ?? 0);
    }),
    history: listLoader<HistoryRow>((ids) => complaints.historyOf(ids), (r) => [r.complaint_id]),
    escalations: listLoader<EscalationRow>((ids) => complaints.escalationsOf(ids), (r) => [r.complaint_id]),
    mergedCases: listLoader((ids) => complaints.mergedInto(ids), (r) => (r.merged_into ? [r.merged_into] : [])),
    duplicates: listLoader((ids) => complaints.possibleDuplicates(ids), (r) => [r.of_id]),
  };
}

/** The region a query names, which must lie within the caller's scope. */
export function regionOf(ctx: ComplaintsContext, code: string, rule: string): string {
  let path: string;
  try {
    path = regionPathFromCode(code);
  } catch (error) {
    if (error instanceof DomainError) throw badInput(rule, `regionCode must be a 12-digit 行政区划代码: ${error.message}`);
    throw error;
  }
  requireInScope(ctx.auth, path, `region ${code}`);
  return path;
}

async function overduePage(ctx: ComplaintsContext, args: PageArgs & { regionCode: string; investigator?: string | null; level?: Level | null }) {
  requireRole(ctx.auth, READERS, 'overdueComplaints');
  const regionPath = regionOf(ctx, args.regionCode, 'COMPLAINT.REGION_CODE');
  const page = readPage(args);
  let after: { due: string; id: string } | null = null;
  if (page.after) {
    const [due, id] = page.after.split('|');
    if (!due || !id || Number.isNaN(Date.parse(due))) throw badInput('PAGE.CURSOR', 'the `after` cursor is not one this service issued');
    after = { due, id };
  }
  const rows = await ctx.complaints.overdue({ regionPath, now: ctx.deps.now(), investigator: args.investigator, level: args.level }, page.limit, after);
  for (const row of rows) ctx.loaders.byId.prime(row.id, row);
  return toConnection(rows, page, (r) => `${iso(r.due)}|${r.id}`);
}

const decide = <T>(ctx: ComplaintsContext, row: T) => {
  // A command's answer is read like any other: the loader sees the new state.
  ctx.loaders.byId.clearAll();
  return row;
};

export const complaintResolvers = {
  Query: {
    complaint: (_: unknown, args: { id: string }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'complaint');
      return ctx.loaders.byId.load(args.id);
    },
    complaintStatus: (_: unknown, args: { receiptCode: string }, ctx: ComplaintsContext) => complaintStatus(ctx, args.receiptCode),
    overdueComplaints: (_: unknown, args: PageArgs & { regionCode: string; investigator?: string | null; level?: Level | null }, ctx: ComplaintsContext) => overduePage(ctx, args),
    overdueComplaintCounts: (_: unknown, args: { regionCode: string }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'overdueComplaintCounts');
      return ctx.complaints.overdueCounts(regionOf(ctx, args.regionCode, 'COMPLAINT.REGION_CODE'), ctx.deps.now());
    },
  },
  Mutation: {
    receiveComplaint: (_: unknown, args: { input: ReceiveComplaintInput }, ctx: ComplaintsContext) => receiveComplaint(ctx, args.input),
    acceptComplaint: async (_: unknown, args: { input: CaseRef & { note?: string | null } }, ctx: ComplaintsContext) => decide(ctx, await acceptComplaint(ctx, args.input)),
    rejectComplaint: async (_: unknown, args: { input: CaseRef & { reason: string } }, ctx: ComplaintsContext) => decide(ctx, await rejectComplaint(ctx, args.input)),
    mergeComplaint: async (_: unknown, args: { input: CaseRef & { intoComplaintId: string; reason: string } }, ctx: ComplaintsContext) =>
      decide(ctx, await mergeComplaint(ctx, args.input)),
    assignComplaint: async (_: unknown, args: { input: CaseRef & { orgUnitId: string; investigator: string; note?: string | null } }, ctx: ComplaintsContext) =>
      decide(ctx, await assignComplaint(ctx, args.input)),
    startInvestigation: async (_: unknown, args: { input: CaseRef & { note?: string | null } }, ctx: ComplaintsContext) => decide(ctx, await startInvestigation(ctx, args.input)),
    substantiateComplaint: async (_: unknown, args: { input: CaseRef & { reason: string; subjectPersonIds?: string[] | null } }, ctx: ComplaintsContext) =>
      decide(ctx, await substantiateComplaint(ctx, args.input)),
    unsubstantiateComplaint: async (_: unknown, args: { input: CaseRef & { reason: string } }, ctx: ComplaintsContext) => decide(ctx, await unsubstantiateComplaint(ctx, args.input)),
    closeComplaint: async (_: unknown, args: { input: CaseRef & { resolution: string } }, ctx: ComplaintsContext) => decide(ctx, await closeComplaint(ctx, args.input)),
    extendComplaintDeadline: async (_: unknown, args: { input: CaseRef & { days: number; reason: string } }, ctx: ComplaintsContext) =>
      decide(ctx, await extendComplaintDeadline(ctx, args.input)),
    runComplaintEscalation: async (_: unknown, __: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, ['DISCIPLINE'], 'runComplaintEscalation');
      // On demand, the job runs over the caller's region only: the answer names the cases it moved.
      const rows = await escalateOverdue({ dataSource: ctx.deps.dataSource, logger: ctx.log }, ctx.deps.now(), `system:escalation by ${ctx.auth.userId}`, ctx.auth.regionPath);
      return {
        escalated: rows.length,
        escalations: rows.map((r) => ({ complaintId: r.complaint_id, deadline: r.deadline, fromLevel: r.from_level, toLevel: r.to_level })),
      };
    },
  },
  Complaint: {
    // Every road to a case checks the role, the gateway's entity fetches included.
    __resolveReference: (ref: { id: string }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'Complaint');
      return ctx.loaders.byId.load(ref.id);
    },
    statusKind: (c: ComplaintRow) => STATUS_KIND[c.status],
    allowedEvents: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => allowedEventsFor(c.status, ctx.auth.roles),
    receivedAt: (c: ComplaintRow) => iso(c.received_at),
    orgUnitId: (c: ComplaintRow) => c.org_unit_id,
    orgUnit: (c: ComplaintRow) => ({ __typename: 'OrgUnit', id: c.org_unit_id }),
    election: (c: ComplaintRow) => (c.election_id ? { __typename: 'Election', id: c.election_id } : null),
    subjectPersonIds: (c: ComplaintRow) => c.subject_person_ids,
    subjectPersonId: (c: ComplaintRow) => c.subject_person_ids[0] ?? null,
    subjects: (c: ComplaintRow) => c.subject_person_ids.map((id) => ({ __typename: 'Person', id })),
    electionPeriod: (c: ComplaintRow) => c.election_period,
    // Who complained is for the discipline commission alone; decrypted only here, never logged.
    complainant: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, ['DISCIPLINE'], 'Complaint.complainant');
      if (c.complainant_enc === null) return null;
      if (!ctx.deps.pii) throw new Error('the complainant is stored encrypted but this service has no PII keys');
      return JSON.parse(ctx.deps.pii.decrypt(c.complainant_enc)) as { name: string; contact: string | null };
    },
    receiptCode: (c: ComplaintRow | ReceivedComplaint) => ('receiptCode' in c ? c.receiptCode : null),
    deadlines: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => {
      const missing = overdueDeadline({ status: c.status, firstResponseDue: new Date(c.first_response_due), handleDue: c.handle_due && new Date(c.handle_due) }, ctx.deps.now());
      return {
        id: c.id,
        policyId: c.policy_id,
        firstResponseDue: iso(c.first_response_due),
        respondedAt: iso(c.responded_at),
        handleDue: iso(c.handle_due),
        extensions: c.extensions,
        overdue: missing !== null,
        overdueDeadline: missing,
        overdueEver: c.overdue_ever || missing !== null,
        level: c.level,
      };
    },
    assignment: (c: ComplaintRow) => (c.investigator && c.assigned_org_unit_id ? { orgUnitId: c.assigned_org_unit_id, investigator: c.investigator } : null),
    resolution: (c: ComplaintRow) =>
      c.closed_at || c.finding_at
        ? { text: c.resolution, decidedBy: c.closed_by, closedAt: iso(c.closed_at), findingAt: iso(c.finding_at), findingBy: c.finding_by }
        : null,
    // Other cases: only for those who may read cases. A TOWN_OFFICER may receive a complaint, and
    // the answer shows the case just received, but not the cases around it.
    mergedInto: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'Complaint.mergedInto');
      return c.merged_into ? ctx.loaders.byId.load(c.merged_into) : null;
    },
    mergedCases: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'Complaint.mergedCases');
      return ctx.loaders.mergedCases.load(c.id);
    },
    possibleDuplicates: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'Complaint.possibleDuplicates');
      return ctx.loaders.duplicates.load(c.id);
    },
    history: (c: ComplaintRow, _: unknown, ctx: ComplaintsContext) => ctx.loaders.history.load(c.id),
  },
  ComplaintDeadlines: {
    escalations: (d: { id: string }, _: unknown, ctx: ComplaintsContext) => ctx.loaders.escalations.load(d.id),
  },
  Escalation: {
    due: (e: EscalationRow) => iso(e.due),
    at: (e: EscalationRow) => iso(e.at),
    fromLevel: (e: EscalationRow) => e.from_level,
    toLevel: (e: EscalationRow) => e.to_level,
  },
  ComplaintAssignment: {
    orgUnit: (a: { orgUnitId: string }) => ({ __typename: 'OrgUnit', id: a.orgUnitId }),
  },
  ComplaintHistoryEntry: {
    at: (h: HistoryRow) => iso(h.at),
    fromStatus: (h: HistoryRow) => h.from_status,
    toStatus: (h: HistoryRow) => h.to_status,
  },
  ComplaintReceiptStatus: {
    statusKind: (s: { status: ComplaintRow['status'] }) => STATUS_KIND[s.status],
    receivedAt: (s: { receivedAt: Date }) => iso(s.receivedAt),
    firstResponseDue: (s: { firstResponseDue: Date }) => iso(s.firstResponseDue),
    respondedAt: (s: { respondedAt: Date | null }) => iso(s.respondedAt),
    handleDue: (s: { handleDue: Date | null }) => iso(s.handleDue),
    findingAt: (s: { findingAt: Date | null }) => iso(s.findingAt),
    closedAt: (s: { closedAt: Date | null }) => iso(s.closedAt),
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Who is complained about is for the discipline commission alone.
    complaintsAbout: (p: { id: string }, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, ['DISCIPLINE'], 'Person.complaintsAbout');
      return ctx.loaders.aboutPerson.load(p.id);
    },
  },
  Election: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    complaints: (e: { id: string }, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'Election.complaints');
      return ctx.loaders.aboutElection.load(e.id);
    },
  },
  OrgUnit: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    openComplaintCount: (u: { id: string }, _: unknown, ctx: ComplaintsContext) => ctx.loaders.openCount.load(u.id),
  },
};
