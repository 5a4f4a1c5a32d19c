import type { EntityManager } from 'typeorm';
import {
  badInput,
  conflict,
  forbidden,
  isUniqueViolation,
  isUuid,
  regionPathFromCode,
  requireInScope,
  writeAudit,
  type AuthContext,
  type Role,
} from '@huanjie/platform';
import { refreshPreChecksOf } from '../db/safeguards';
import { SafeguardStore } from '../db/safeguards.store';
import type { VettingContext } from '../deps';

/** What the safeguard commands share: who may record what, id and region checks, and the command wrapper. */
/**
 * Who records what (DESIGN roles):
 * - 民主评议, 近亲属, 纪律承诺书, election workers: the organisation department and the town
 *   (ORG_ADMIN, TOWN_OFFICER), who run the evaluations and collect the pledges;
 * - 诫勉谈话: ORG_ADMIN, TOWN_OFFICER and DISCIPLINE (in 003 the 组织部 and the town's Party
 *   committee held them; discipline inspection holds them too);
 * - 处分: DISCIPLINE only (纪委监委 decides and records sanctions);
 * - 离任审计 (open, findings, rectified, close): ORG_ADMIN, and a REVIEWER of the AUDIT department
 *   (审计, the 联审 member that audits). AUDITOR is the read-only role, not 审计. Waiving a finding
 *   (免于整改) is a decision of the organisation department: ORG_ADMIN only.
 */
export const RECORDERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER'];
export const ADMONISHERS: readonly Role[] = ['ORG_ADMIN', 'TOWN_OFFICER', 'DISCIPLINE'];
export const SANCTIONERS: readonly Role[] = ['DISCIPLINE'];
/** Who may read sanctions (处分 are discipline's records; the organisation department sees them for 联审). */
export const SANCTION_READERS: readonly Role[] = ['DISCIPLINE', 'ORG_ADMIN'];

/** ORG_ADMIN, or a REVIEWER whose department is AUDIT. */
export function requireAuditWriter(auth: AuthContext, action: string): void {
  if (auth.roles.includes('ORG_ADMIN')) return;
  if (auth.roles.includes('REVIEWER') && auth.department === 'AUDIT') return;
  throw forbidden('AUTH.ROLE', `${action} requires ORG_ADMIN or a REVIEWER of the AUDIT department (审计)`);
}

export const uuidOf = (rule: string, name: string, value: string) => {
  if (!isUuid(value)) throw badInput(rule, `${rule}: ${name} must be a uuid, got ${JSON.stringify(value)}`);
};
export const optionalUuid = (rule: string, name: string, value: string | null | undefined) => {
  if (value != null) uuidOf(rule, name, value);
  return value ?? null;
};

/** The region path of the unit a record concerns, which must lie within the caller's scope. */
export function regionOf(ctx: VettingContext, orgUnitCode: string, what: string): string {
  const path = regionPathFromCode(orgUnitCode);
  requireInScope(ctx.auth, path, what);
  return path;
}

/**
 * One safeguard command: its transaction, its audit record, and the fresh pre-checks of the
 * undecided reviews of the people it concerns (so the reviewers see the new fact at once).
 */
export async function command<T extends object>(
  ctx: VettingContext,
  action: string,
  entityType: string,
  work: (
    manager: EntityManager,
    store: SafeguardStore,
  ) => Promise<{ row: T & { id: string; region_path: string }; before?: object | null; people: string[] }>,
): Promise<T> {
  return ctx.deps.dataSource.transaction(async (manager) => {
    const store = new SafeguardStore(manager, ctx.auth.regionPath);
    let done: Awaited<ReturnType<typeof work>>;
    try {
      done = await work(manager, store);
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateOf(entityType);
      throw error;
    }
    await writeAudit(manager, {
      actor: ctx.auth.userId,
      roles: ctx.auth.roles,
      action,
      entityType,
      entityId: done.row.id,
      regionPath: done.row.region_path,
      requestId: ctx.requestId,
      before: done.before ? { ...done.before } : null,
      after: { ...done.row },
    });
    await refreshPreChecksOf(manager, done.people, ctx.deps.now());
    return done.row;
  });
}

export function duplicateOf(entityType: string) {
  switch (entityType) {
    case 'Pledge':
      return conflict(
        'PLEDGE.ALREADY_SIGNED',
        'PLEDGE.ALREADY_SIGNED: this person has already signed this pledge for this election or cycle',
      );
    case 'DemocraticEvaluation':
      return conflict(
        'EVALUATION.DUPLICATE',
        'EVALUATION.DUPLICATE: an evaluation of this person in this unit on this day is already recorded',
      );
    case 'CloseRelative':
      return conflict('RELATIVE.ALREADY_DECLARED', 'RELATIVE.ALREADY_DECLARED: a relation between these two people is already declared');
    case 'ElectionWorker':
      return conflict('WORKER.ALREADY_REGISTERED', 'WORKER.ALREADY_REGISTERED: this person is already an election worker of this cycle');
    default:
      return conflict('SAFEGUARD.DUPLICATE', `SAFEGUARD.DUPLICATE: this ${entityType} is already recorded`);
  }
}
