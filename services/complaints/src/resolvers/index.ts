import DataLoader from 'dataloader';
import { byIdLoader, requireRole, type Role } from '@huanjie/platform';
import { receiveComplaint } from '../commands/complaint.commands';
import type { ComplaintRow, ComplaintStore } from '../db/complaint.store';
import type { ComplaintsContext } from '../deps';
import type { ReceiveComplaintInput } from '../domain/complaint.rules';

/** Who may read a case: the discipline commission, the organisation department, auditors. */
const READERS: Role[] = ['DISCIPLINE', 'ORG_ADMIN', 'AUDITOR'];

export function createLoaders(complaints: ComplaintStore) {
  return {
    byId: byIdLoader<ComplaintRow>((ids) => complaints.byIds(ids)),
    aboutPerson: new DataLoader<string, ComplaintRow[]>(async (personIds) => {
      const rows = await complaints.aboutPeople(personIds);
      const map = new Map<string, ComplaintRow[]>();
      for (const row of rows) {
        const list = map.get(row.subject_person_id!);
        if (list) list.push(row);
        else map.set(row.subject_person_id!, [row]);
      }
      return personIds.map((id) => map.get(id) ?? []);
    }),
    openCount: new DataLoader<string, number>(async (orgUnitIds) => {
      const counts = await complaints.openCountsByOrgUnits(orgUnitIds);
      return orgUnitIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}

export type ComplaintsLoaders = ReturnType<typeof createLoaders>;

export const resolvers = {
  Query: {
    complaint: (_: unknown, args: { id: string }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'complaint');
      return ctx.loaders.byId.load(args.id);
    },
  },
  Mutation: {
    receiveComplaint: (_: unknown, args: { input: ReceiveComplaintInput }, ctx: ComplaintsContext) => receiveComplaint(ctx, args.input),
  },
  Complaint: {
    // Every road to a case checks the role, the gateway's entity fetches included.
    __resolveReference: (ref: { id: string }, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, READERS, 'Complaint');
      return ctx.loaders.byId.load(ref.id);
    },
    receivedAt: (c: ComplaintRow) => new Date(c.received_at).toISOString(),
    orgUnitId: (c: ComplaintRow) => c.org_unit_id,
    subjectPersonId: (c: ComplaintRow) => c.subject_person_id,
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Who is complained about is for the discipline commission alone.
    complaintsAbout: (p: { id: string }, _: unknown, ctx: ComplaintsContext) => {
      requireRole(ctx.auth, ['DISCIPLINE'], 'Person.complaintsAbout');
      return ctx.loaders.aboutPerson.load(p.id);
    },
  },
  OrgUnit: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    openComplaintCount: (u: { id: string }, _: unknown, ctx: ComplaintsContext) => ctx.loaders.openCount.load(u.id),
  },
};
