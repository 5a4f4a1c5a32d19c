import type { EntityManager } from 'typeorm';
import { badInput, isUuid, regionPathFromCode, requireInScope, requireRole, writeAudit, type AuthContext, type Role } from '@huanjie/platform';
import { TrainingRecordStore } from '../db/training-record.store';
import type { TrainingContext } from '../deps';

/**
 * Who does what (DESIGN roles):
 * - courses and sessions, roll calls, results and head counts: the trainers and the organisation
 *   department (TRAINER, ORG_ADMIN);
 * - enrolling people and cancelling: also the town (TOWN_OFFICER), who sends its cadres;
 * - the 十个一 checklist and 老带新 pairs: the organisation department and the town, who guide the
 *   new committees (ORG_ADMIN, TOWN_OFFICER).
 * Everyone with a token reads, within their region scope.
 */
export const TRAINERS: readonly Role[] = ['TRAINER', 'ORG_ADMIN'];
export const ENROLLERS: readonly Role[] = ['TRAINER', 'ORG_ADMIN', 'TOWN_OFFICER'];
export const GUIDES: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];

/** Who acts: a user through the graph, or the system on an event (actor 'system:<event>'). */
export interface Actor {
  userId: string;
  /** The caller's roles, for the audit record; none for system work. */
  roles?: readonly string[];
  requestId: string | null;
}

export const actorOf = (ctx: TrainingContext): Actor => ({ userId: ctx.auth.userId, roles: ctx.auth.roles, requestId: ctx.requestId });

/**
 * One command: checks the role, runs `work` in a transaction and, once committed, wakes the
 * outbox relay (whatever events the command recorded can go out now).
 */
export async function runCommand<T>(ctx: TrainingContext, roles: readonly Role[], action: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  requireRole(ctx.auth, roles, action);
  const result = await ctx.deps.dataSource.transaction(work);
  ctx.deps.onEventsRecorded();
  return result;
}

/** The audit record of a change, in its transaction. */
export function audit(
  manager: EntityManager,
  actor: Actor,
  action: string,
  entity: { type: string; id: string; regionPath: string },
  before: object | null,
  after: object | null,
) {
  return writeAudit(manager, {
    actor: actor.userId,
    roles: actor.roles,
    action,
    entityType: entity.type,
    entityId: entity.id,
    regionPath: entity.regionPath,
    requestId: actor.requestId,
    before: before === null ? null : { ...before },
    after: after === null ? null : { ...after },
  });
}

export function requireUuid(rule: string, name: string, value: string): void {
  if (!isUuid(value)) throw badInput(rule, `${rule}: ${name} must be a uuid, got ${JSON.stringify(value)}`);
}

/** The region path of a 12-digit code, which must lie within the caller's scope. */
export function regionInScope(auth: AuthContext, code: string, what: string): string {
  const path = regionPathFromCode(code);
  requireInScope(auth, path, what);
  return path;
}

/**
 * A command that files a person under a unit the caller names (enrol, pairMentor) checks that unit
 * against the caller's scope (regionInScope) — and the person too: where training holds the
 * person's file (from personnel's PersonRegistered / PersonUpdated), the unit on that file must lie
 * within the caller's scope as well, so naming a unit of one's own does not reach a person of
 * another region (nor add hours to their file on completion). A person training has not yet heard
 * of is taken at the caller's word.
 */
export async function requirePersonInScope(manager: EntityManager, auth: AuthContext, personId: string, what: string): Promise<void> {
  // Read for the system: the file is only compared, never returned.
  const [file] = await new TrainingRecordStore(manager, '').byPersonIds([personId]);
  if (file) requireInScope(auth, file.region_path, what);
}
