import type { EntityManager } from 'typeorm';
import { conflict, notFound, requireRole, writeAudit, type Role } from '@huanjie/platform';
import { ElectionStore, type ElectionRow } from '../db/election.store';
import type { ElectionsContext } from '../deps';

/** Who manages an election: the organisation department, the town, civil affairs (民政) for the two committees' law. */
export const MANAGERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER', 'CIVIL_AFFAIRS'];
/** Who certifies a result. */
export const CERTIFIERS: readonly Role[] = ['ORG_ADMIN', 'CIVIL_AFFAIRS'];

/** An election as the client read it: its id and, for optimistic locking, the version it saw. */
export interface ElectionRef {
  electionId: string;
  /** The election's `version` when the client read it; omitted, the command applies to whatever is current. */
  expectedVersion?: number | null;
}

/**
 * Runs a command on one election: checks the role, opens the transaction, locks the election (so
 * concurrent commands on it queue), and NOT_FOUND when it is absent or outside the caller's scope.
 * Given the version the client read, CONFLICT when the election has changed since (optimistic
 * locking: of clients that read one version, exactly one changes it).
 */
export async function onElection<T>(
  ctx: ElectionsContext,
  roles: readonly Role[],
  action: string,
  target: string | ElectionRef,
  work: (manager: EntityManager, election: ElectionRow, elections: ElectionStore) => Promise<T>,
): Promise<T> {
  requireRole(ctx.auth, roles, action);
  const { electionId, expectedVersion } = typeof target === 'string' ? { electionId: target, expectedVersion: null } : target;
  const result = await ctx.deps.dataSource.transaction(async (manager) => {
    const elections = new ElectionStore(manager, ctx.auth.regionPath);
    const election = await elections.lock(electionId);
    if (!election) throw notFound('ELECTION.NOT_FOUND', `ELECTION.NOT_FOUND: no election ${electionId} within your region scope`);
    if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== election.version) {
      throw conflict(
        'ELECTION.VERSION_CONFLICT',
        `ELECTION.VERSION_CONFLICT: election ${election.id} changed since you read it (you read version ${expectedVersion}; it is at version ${election.version}, ${election.status}); read it again before ${action}`,
      );
    }
    return work(manager, election, elections);
  });
  // Committed: whatever events the command recorded can go out now.
  ctx.deps.onEventsRecorded();
  return result;
}

/** Who acts: a user through the graph, or the system on an event (actor 'system:<event>'). */
export interface Actor {
  auth: { userId: string; roles?: readonly string[] };
  requestId: string | null;
  deps: { newId: () => string };
}

/** The audit record of a command on an election or one of its parts. */
export function audit(
  manager: EntityManager,
  ctx: Pick<Actor, 'auth' | 'requestId'>,
  action: string,
  entity: { type: string; id: string; regionPath: string },
  before: object | null,
  after: object | null,
) {
  return writeAudit(manager, {
    actor: ctx.auth.userId,
    roles: ctx.auth.roles,
    action,
    entityType: entity.type,
    entityId: entity.id,
    regionPath: entity.regionPath,
    requestId: ctx.requestId,
    before: before === null ? null : { ...before },
    after: after === null ? null : { ...after },
  });
}
