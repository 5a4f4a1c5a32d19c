import type { EntityManager } from 'typeorm';
import {
  badInput,
  conflict,
  forbidden,
  isUniqueViolation,
  isUuid,
  notFound,
  regionPathFromCode,
  requireInScope,
  requireRole,
  shanghaiDate,
  writeAudit,
  type AuthContext,
  type Role,
} from '@huanjie/platform';
import { refreshPreChecksOf } from '../db/safeguards';
import {
  SafeguardStore,
  type AdmonitionRow,
  type AuditRow,
  type EvaluationRow,
  type FindingRow,
  type PledgeRow,
  type RelativeRow,
  type SanctionRow,
  type WorkerRow,
} from '../db/safeguards.store';
import type { VettingContext } from '../deps';
import { PLEDGE_KINDS, RELATION_KINDS, type PledgeKind, type RelationKind } from '../domain/safeguard-policy.data';
import {
  checkAdmonition,
  checkDate,
  checkEvaluation,
  checkFinding,
  checkPledge,
  checkSanction,
  resolveFinding,
  type FindingStatus,
  type SanctionKind,
} from '../domain/safeguards.rules';

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

const uuidOf = (rule: string, name: string, value: string) => {
  if (!isUuid(value)) throw badInput(rule, `${rule}: ${name} must be a uuid, got ${JSON.stringify(value)}`);
};
const optionalUuid = (rule: string, name: string, value: string | null | undefined) => {
  if (value != null) uuidOf(rule, name, value);
  return value ?? null;
};

/** The region path of the unit a record concerns, which must lie within the caller's scope. */
function regionOf(ctx: VettingContext, orgUnitCode: string, what: string): string {
  const path = regionPathFromCode(orgUnitCode);
  requireInScope(ctx.auth, path, what);
  return path;
}

/**
 * One safeguard command: its transaction, its audit record, and the fresh pre-checks of the
 * undecided reviews of the people it concerns (so the reviewers see the new fact at once).
 */
async function command<T extends object>(
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

function duplicateOf(entityType: string) {
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

export interface EvaluationInput {
  personId: string;
  orgUnitId: string;
  orgUnitCode: string;
  termId?: string | null;
  evaluatedOn: string;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
}

/** 民主评议: a person's evaluation by the members or villagers (满意/基本满意/不满意 counts). */
export async function recordDemocraticEvaluation(ctx: VettingContext, input: EvaluationInput): Promise<EvaluationRow> {
  requireRole(ctx.auth, RECORDERS, 'recordDemocraticEvaluation');
  uuidOf('EVALUATION.PERSON', 'personId', input.personId);
  uuidOf('EVALUATION.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  const termId = optionalUuid('EVALUATION.TERM', 'termId', input.termId);
  const now = ctx.deps.now();
  checkEvaluation(input, shanghaiDate(now));
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the evaluation');
  return command(ctx, 'recordDemocraticEvaluation', 'DemocraticEvaluation', async (_, store) => {
    const row = await store.insertEvaluation({
      id: ctx.deps.newId(),
      person_id: input.personId,
      org_unit_id: input.orgUnitId,
      region_path: region,
      term_id: termId,
      evaluated_on: input.evaluatedOn,
      satisfied: input.satisfied,
      basically_satisfied: input.basicallySatisfied,
      dissatisfied: input.dissatisfied,
      recorded_by: ctx.auth.userId,
      recorded_at: now,
    });
    return { row, people: [row.person_id] };
  });
}

/** 诫勉谈话: an admonition talk held with a person, optionally answering one evaluation. */
export async function recordAdmonitionTalk(
  ctx: VettingContext,
  input: { personId: string; orgUnitCode: string; heldOn: string; heldBy: string; evaluationId?: string | null },
): Promise<AdmonitionRow> {
  requireRole(ctx.auth, ADMONISHERS, 'recordAdmonitionTalk');
  uuidOf('ADMONITION.PERSON', 'personId', input.personId);
  const evaluationId = optionalUuid('ADMONITION.EVALUATION', 'evaluationId', input.evaluationId);
  const now = ctx.deps.now();
  checkAdmonition(input, shanghaiDate(now));
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the admonition talk');
  return command(ctx, 'recordAdmonitionTalk', 'AdmonitionTalk', async (_, store) => {
    if (evaluationId) {
      const [evaluation] = (await store.evaluationsOf([input.personId])).filter((e) => e.id === evaluationId);
      if (!evaluation)
        throw notFound(
          'ADMONITION.EVALUATION',
          `ADMONITION.EVALUATION: no evaluation ${evaluationId} of this person within your region scope`,
        );
    }
    const row = await store.insertAdmonition({
      id: ctx.deps.newId(),
      person_id: input.personId,
      region_path: region,
      held_on: input.heldOn,
      held_by: input.heldBy.trim(),
      evaluation_id: evaluationId,
      recorded_by: ctx.auth.userId,
      recorded_at: now,
    });
    return { row, people: [row.person_id] };
  });
}

/** 处分: a disciplinary or administrative sanction and how long it is in force (DISCIPLINE only). */
export async function recordSanction(
  ctx: VettingContext,
  input: { personId: string; orgUnitCode: string; kind: SanctionKind; effectiveFrom: string; effectiveUntil?: string | null },
): Promise<SanctionRow> {
  requireRole(ctx.auth, SANCTIONERS, 'recordSanction');
  uuidOf('SANCTION.PERSON', 'personId', input.personId);
  const until = input.effectiveUntil ?? null;
  checkSanction({ kind: input.kind, effectiveFrom: input.effectiveFrom, effectiveUntil: until });
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the sanctioned person');
  return command(ctx, 'recordSanction', 'DisciplinarySanction', async (_, store) => {
    const row = await store.insertSanction({
      id: ctx.deps.newId(),
      person_id: input.personId,
      region_path: region,
      kind: input.kind,
      effective_from: input.effectiveFrom,
      effective_until: until,
      recorded_by: ctx.auth.userId,
      recorded_at: ctx.deps.now(),
    });
    return { row, people: [row.person_id] };
  });
}

/** 近亲属: a declared relation between two people (either way round: a pair is declared once). */
export async function declareCloseRelative(
  ctx: VettingContext,
  input: { personId: string; relativePersonId: string; relation: RelationKind; orgUnitCode: string },
): Promise<RelativeRow> {
  requireRole(ctx.auth, RECORDERS, 'declareCloseRelative');
  uuidOf('RELATIVE.PERSON', 'personId', input.personId);
  uuidOf('RELATIVE.PERSON', 'relativePersonId', input.relativePersonId);
  if (input.personId === input.relativePersonId) throw badInput('RELATIVE.SELF', 'RELATIVE.SELF: a person is not their own relative');
  if (!(RELATION_KINDS as readonly string[]).includes(input.relation)) {
    throw badInput('RELATIVE.RELATION', `RELATIVE.RELATION: relation must be one of ${RELATION_KINDS.join(', ')}`);
  }
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the declaration');
  return command(ctx, 'declareCloseRelative', 'CloseRelative', async (_, store) => {
    const row = await store.insertRelative({
      id: ctx.deps.newId(),
      person_id: input.personId,
      relative_person_id: input.relativePersonId,
      relation: input.relation,
      region_path: region,
      declared_by: ctx.auth.userId,
      declared_at: ctx.deps.now(),
    });
    return { row, people: [row.person_id, row.relative_person_id] };
  });
}

export interface PledgeInput {
  personId: string;
  kind: PledgeKind;
  orgUnitId: string;
  orgUnitCode: string;
  electionId?: string | null;
  cycleId?: string | null;
  signedOn: string;
}

/** 纪律承诺书 (候选人) / 保证书 (换届工作人员) / 责任书 (书记): a signed pledge, once per election or cycle. */
export async function recordPledge(ctx: VettingContext, input: PledgeInput): Promise<PledgeRow> {
  requireRole(ctx.auth, RECORDERS, 'recordPledge');
  uuidOf('PLEDGE.PERSON', 'personId', input.personId);
  uuidOf('PLEDGE.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  if (!(PLEDGE_KINDS as readonly string[]).includes(input.kind))
    throw badInput('PLEDGE.KIND', `PLEDGE.KIND: kind must be one of ${PLEDGE_KINDS.join(', ')}`);
  const electionId = optionalUuid('PLEDGE.ELECTION', 'electionId', input.electionId);
  const cycleId = optionalUuid('PLEDGE.CYCLE', 'cycleId', input.cycleId);
  const now = ctx.deps.now();
  checkPledge({ kind: input.kind, electionId, cycleId, signedOn: input.signedOn }, shanghaiDate(now));
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the pledge');
  return command(ctx, 'recordPledge', 'Pledge', async (_, store) => {
    const row = await store.insertPledge({
      id: ctx.deps.newId(),
      person_id: input.personId,
      kind: input.kind,
      org_unit_id: input.orgUnitId,
      region_path: region,
      // A candidate's pledge is for its election; the others' for their cycle (checkPledge).
      election_id: input.kind === 'CANDIDATE' ? electionId : null,
      cycle_id: cycleId,
      signed_on: input.signedOn,
      recorded_by: ctx.auth.userId,
      recorded_at: now,
    });
    // A pledge decides no pre-check: clearingBlocks reads pledges as they are.
    return { row, people: [] };
  });
}

/** 换届工作人员: someone who works on the 换届 of a cycle and so must sign the 保证书. */
export async function registerElectionWorker(
  ctx: VettingContext,
  input: { personId: string; orgUnitId: string; orgUnitCode: string; cycleId: string },
): Promise<WorkerRow> {
  requireRole(ctx.auth, RECORDERS, 'registerElectionWorker');
  uuidOf('WORKER.PERSON', 'personId', input.personId);
  uuidOf('WORKER.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  uuidOf('WORKER.CYCLE', 'cycleId', input.cycleId);
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the election worker');
  return command(ctx, 'registerElectionWorker', 'ElectionWorker', async (_, store) => {
    const row = await store.insertWorker({
      id: ctx.deps.newId(),
      person_id: input.personId,
      org_unit_id: input.orgUnitId,
      region_path: region,
      cycle_id: input.cycleId,
      registered_by: ctx.auth.userId,
      registered_at: ctx.deps.now(),
    });
    return { row, people: [] };
  });
}

/** 离任审计 opened by hand (those of ended seats open from PositionEnded). */
export async function openDepartureAudit(
  ctx: VettingContext,
  input: { personId: string; orgUnitId: string; orgUnitCode: string; role?: string | null; openedOn?: string | null },
): Promise<AuditRow> {
  requireAuditWriter(ctx.auth, 'openDepartureAudit');
  uuidOf('AUDIT.PERSON', 'personId', input.personId);
  uuidOf('AUDIT.ORG_UNIT', 'orgUnitId', input.orgUnitId);
  const openedOn = input.openedOn ?? shanghaiDate(ctx.deps.now());
  checkDate('AUDIT.OPENED_ON', 'openedOn', openedOn);
  const region = regionOf(ctx, input.orgUnitCode, 'the unit of the audit');
  return command(ctx, 'openDepartureAudit', 'DepartureAudit', async (_, store) => {
    const row = (await store.insertAudit({
      id: ctx.deps.newId(),
      person_id: input.personId,
      org_unit_id: input.orgUnitId,
      region_path: region,
      position_id: null,
      role: input.role ?? null,
      origin: 'MANUAL',
      end_reason: null,
      opened_on: openedOn,
      opened_by: ctx.auth.userId,
    }))!;
    return { row, people: [] };
  });
}

async function lockedAudit(store: SafeguardStore, auditId: string): Promise<AuditRow> {
  const [audit] = await store.auditsByIds([auditId], true);
  if (!audit) throw notFound('AUDIT.NOT_FOUND', `AUDIT.NOT_FOUND: no departure audit ${auditId} within your region scope`);
  return audit;
}

/** 审计发现: a finding of an open audit, to be put right by its deadline (整改). */
export async function addAuditFinding(
  ctx: VettingContext,
  input: { auditId: string; description: string; amount?: number | null; deadline: string },
): Promise<FindingRow> {
  requireAuditWriter(ctx.auth, 'addAuditFinding');
  const amount = input.amount ?? null;
  checkFinding({ description: input.description, amount, deadline: input.deadline });
  return command(ctx, 'addAuditFinding', 'AuditFinding', async (_, store) => {
    const audit = await lockedAudit(store, input.auditId);
    if (audit.status !== 'OPEN')
      throw conflict('AUDIT.CLOSED', `AUDIT.CLOSED: the departure audit ${audit.id} is closed; findings are added while it is open`);
    const row = await store.insertFinding({
      id: ctx.deps.newId(),
      audit_id: audit.id,
      person_id: audit.person_id,
      region_path: audit.region_path,
      description: input.description.trim(),
      amount: amount === null ? null : amount.toFixed(2),
      deadline: input.deadline,
      recorded_by: ctx.auth.userId,
      recorded_at: ctx.deps.now(),
    });
    return { row, people: [row.person_id] };
  });
}

/** 整改到位 (RECTIFIED) or 免于整改 (WAIVED, ORG_ADMIN only): the finding stops blocking. */
export async function resolveAuditFinding(
  ctx: VettingContext,
  input: { findingId: string; status: FindingStatus; note: string },
): Promise<FindingRow> {
  requireAuditWriter(ctx.auth, 'resolveAuditFinding');
  if (input.status === 'WAIVED') requireRole(ctx.auth, ['ORG_ADMIN'], 'waiving an audit finding (免于整改)');
  const note = input.note.trim();
  if (note.length < 1 || Array.from(note).length > 500)
    throw badInput('AUDIT.RESOLUTION_NOTE', 'AUDIT.RESOLUTION_NOTE: note must be 1–500 characters');
  return command(ctx, 'resolveAuditFinding', 'AuditFinding', async (_, store) => {
    const finding = await store.findingById(input.findingId, true);
    if (!finding)
      throw notFound('AUDIT.FINDING_NOT_FOUND', `AUDIT.FINDING_NOT_FOUND: no audit finding ${input.findingId} within your region scope`);
    const status = resolveFinding(finding.status, input.status);
    const row = await store.resolveFinding(finding.id, status, shanghaiDate(ctx.deps.now()), note);
    return { row, before: { status: finding.status }, people: [row.person_id] };
  });
}

/** 审计结束: the audit is closed with its conclusion; findings still open keep blocking until resolved. */
export async function closeDepartureAudit(ctx: VettingContext, input: { auditId: string; conclusion: string }): Promise<AuditRow> {
  requireAuditWriter(ctx.auth, 'closeDepartureAudit');
  const conclusion = input.conclusion.trim();
  if (conclusion.length < 1 || Array.from(conclusion).length > 2000)
    throw badInput('AUDIT.CONCLUSION', 'AUDIT.CONCLUSION: conclusion must be 1–2000 characters');
  return command(ctx, 'closeDepartureAudit', 'DepartureAudit', async (_, store) => {
    const audit = await lockedAudit(store, input.auditId);
    if (audit.status !== 'OPEN') throw conflict('AUDIT.CLOSED', `AUDIT.CLOSED: the departure audit ${audit.id} is already closed`);
    const row = await store.closeAudit(audit.id, ctx.auth.userId, ctx.deps.now(), conclusion);
    return { row, before: { status: audit.status }, people: [] };
  });
}
