import { badInput, notFound, requireRole, shanghaiDate } from '@huanjie/platform';
import {
  type AdmonitionRow,
  type EvaluationRow,
  type PledgeRow,
  type RelativeRow,
  type SanctionRow,
  type WorkerRow,
} from '../db/safeguards.store';
import type { VettingContext } from '../deps';
import { PLEDGE_KINDS, RELATION_KINDS, type PledgeKind, type RelationKind } from '../domain/safeguard-policy.data';
import { checkAdmonition, checkEvaluation, checkPledge, checkSanction, type SanctionKind } from '../domain/safeguards.rules';

import { ADMONISHERS, command, optionalUuid, RECORDERS, regionOf, SANCTIONERS, uuidOf } from './safeguard-kit';

export { RECORDERS, ADMONISHERS, SANCTIONERS, SANCTION_READERS, requireAuditWriter } from './safeguard-kit';

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
