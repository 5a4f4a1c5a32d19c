import type { EntityManager } from 'typeorm';
import { requireRole, writeAudit, type Role } from '@huanjie/platform';
import type { CommitteeRow, PositionRow, TermRow } from '../db/committee.rows';
import { PersonStore } from '../db/person.store';
import type { PersonnelContext } from '../deps';
import type { SeatHolder } from '../domain/position.rules';

/** 组织部 and the township keep the register of committees (DESIGN: Security, roles). */
export const COMMITTEE_WRITERS: Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

/**
 * Who is changing a committee: a user through a mutation (scoped to their region) or personnel
 * itself acting on an event (nationwide scope, the event id as request id).
 */
export interface CommitteeWriter {
  scopePath: string;
  actor: string;
  /** The caller's roles, for the audit record; none for personnel's own work on an event. */
  roles?: readonly string[];
  requestId: string | null;
  newId: () => string;
  now: Date;
}

export function writerOf(ctx: PersonnelContext, action: string): CommitteeWriter {
  requireRole(ctx.auth, COMMITTEE_WRITERS, action);
  return { scopePath: ctx.auth.regionPath, actor: ctx.auth.userId, roles: ctx.auth.roles, requestId: ctx.requestId, newId: ctx.deps.newId, now: ctx.deps.clock() };
}

/** The people named for seats, as the rules need them; absent ids (or outside the scope) are simply missing. */
export async function seatHoldersOf(manager: EntityManager, scopePath: string, personIds: readonly string[]): Promise<Map<string, SeatHolder>> {
  const rows = personIds.length === 0 ? [] : await new PersonStore(manager, scopePath).byIds([...new Set(personIds)]);
  return new Map(rows.map((p) => [p.id, { gender: p.gender, politicalStatus: p.political_status }]));
}

/** Audit views: ids and dates only, so the audit log never copies personal data it does not need. */
export const termView = (t: TermRow) => ({
  id: t.id,
  committeeId: t.committee_id,
  startsOn: t.starts_on,
  endsOn: t.ends_on,
  status: t.status,
  previousTermId: t.previous_term_id,
  electionId: t.election_id,
});
export const positionView = (p: PositionRow) => ({
  id: p.id,
  termId: p.term_id,
  personId: p.person_id,
  role: p.role,
  startsOn: p.starts_on,
  endsOn: p.ends_on,
  endReason: p.end_reason,
  electionId: p.election_id,
});
export const committeeView = (c: CommitteeRow) => ({ id: c.id, orgUnitId: c.org_unit_id, kind: c.kind, partyOrgForm: c.party_org_form });

export async function audit(
  manager: EntityManager,
  writer: CommitteeWriter,
  record: { action: string; entityType: 'Term' | 'Position'; entityId: string; regionPath: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null },
): Promise<void> {
  await writeAudit(manager, { ...record, actor: writer.actor, roles: writer.roles, requestId: writer.requestId });
}
