import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import {
  badInput,
  byIdLoader,
  forbidden,
  groupedLoader,
  hasRole,
  isDivisionCode,
  isUuid,
  readPage,
  regionPathFromCode,
  requireInScope,
  shanghaiDate,
  toConnection,
  type PageArgs,
} from '@huanjie/platform';
import { addAuditFinding, closeDepartureAudit, openDepartureAudit, resolveAuditFinding } from '../commands/departure-audit.commands';
import {
  declareCloseRelative,
  recordAdmonitionTalk,
  recordDemocraticEvaluation,
  recordPledge,
  recordSanction,
  registerElectionWorker,
  SANCTION_READERS,
  type EvaluationInput,
  type PledgeInput,
} from '../commands/safeguard.commands';
import { clearingBlocksOf, refOf, type ClearingBlock, type ReviewRef } from '../db/safeguards';
import {
  SafeguardStore,
  type AuditRow,
  type CoverageRow,
  type EvaluationRow,
  type FindingRow,
  type PledgeRow,
  type PreCheckRow,
  type RelativeRow,
  type SanctionRow,
} from '../db/safeguards.store';
import type { VettingContext } from '../deps';
import { SAFEGUARD_POLICY, type PledgeKind, type RelationKind } from '../domain/safeguard-policy.data';
import type { FindingStatus, SanctionKind } from '../domain/safeguards.rules';

/**
 * The safeguards' loaders: each list under many people, reviews or audits costs one statement per
 * request; Review.clearingBlocks for many reviews costs the fixed set of clearingBlocksOf (its
 * loader, which needs the service clock, is made per request below).
 */
export function createSafeguardLoaders(db: EntityManager, scopePath: string) {
  const store = new SafeguardStore(db, scopePath);
  const byPerson = (r: { person_id: string }) => r.person_id;
  return {
    preChecksOf: groupedLoader(
      (ids) => store.preChecksOf(ids),
      (r) => r.review_id,
    ),
    preCheckRunOf: new DataLoader<string, Date | null>(async (ids) => {
      const runs = new Map((await store.preCheckRunsOf(ids)).map((r) => [r.review_id, r.computed_at]));
      return ids.map((id) => runs.get(id) ?? null);
    }),
    pledgesOf: groupedLoader((ids) => store.pledgesOf(ids), byPerson),
    pledgeById: byIdLoader<PledgeRow>((ids) => store.pledgesByIds(ids)),
    auditsOf: groupedLoader((ids) => store.auditsOf(ids), byPerson),
    auditById: byIdLoader<AuditRow>((ids) => store.auditsByIds(ids)),
    findingsOf: groupedLoader(
      (ids) => store.findingsOf(ids),
      (f) => f.audit_id,
    ),
    sanctionsOf: groupedLoader((ids) => store.sanctionsOf(ids), byPerson),
    evaluationsOf: groupedLoader((ids) => store.evaluationsOf(ids), byPerson),
    admonitionsOf: groupedLoader((ids) => store.admonitionsOf(ids), byPerson),
    relativesOf: groupedLoader(
      (ids) => store.relativesOf(ids),
      (r) => r.of_person_id,
    ),
  };
}

/**
 * Review.clearingBlocks of one request, batched. The facts behind the blocks are read for the
 * system (a sanction recorded elsewhere still counts); the review itself was already found within
 * the caller's scope.
 */
const blockLoaders = new WeakMap<VettingContext, DataLoader<ReviewRef, ClearingBlock[], string>>();
function blocksLoader(ctx: VettingContext) {
  let loader = blockLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<ReviewRef, ClearingBlock[], string>(
      async (reviews) => {
        const blocks = await clearingBlocksOf(ctx.deps.dataSource.manager, reviews, ctx.deps.now());
        return reviews.map((r) => blocks.get(r.id) ?? []);
      },
      { cacheKeyFn: (r) => r.id },
    );
    blockLoaders.set(ctx, loader);
  }
  return loader;
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const percent = (signed: number, required: number) => (required === 0 ? null : Math.round((signed * 1000) / required) / 10);
const today = (ctx: VettingContext) => shanghaiDate(ctx.deps.now());
const person = (id: string) => ({ __typename: 'Person', id });

/** The 12-digit code of a region path ('51.5101.510107' → '510107000000'). */
const codeOfPath = (path: string) => (path.split('.').at(-1) ?? '').padEnd(12, '0');

function coverageView(regionCode: string, kind: PledgeKind | null, cycleId: string | null, rows: CoverageRow[]) {
  const byKind = (list: CoverageRow[]) => {
    const kinds = new Map<string, { required: number; signed: number }>();
    for (const r of list) {
      const k = kinds.get(r.kind) ?? { required: 0, signed: 0 };
      k.required += r.required;
      k.signed += r.signed;
      kinds.set(r.kind, k);
    }
    return [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ({ kind: k, ...v, percent: percent(v.signed, v.required) }));
  };
  const children = new Map<string, CoverageRow[]>();
  for (const r of rows) children.set(r.child_path, [...(children.get(r.child_path) ?? []), r]);
  const required = rows.reduce((n, r) => n + r.required, 0);
  const signed = rows.reduce((n, r) => n + r.signed, 0);
  return {
    regionCode,
    kind,
    cycleId,
    required,
    signed,
    percent: percent(signed, required),
    targetPercent: 100,
    byKind: byKind(rows),
    children: [...children].map(([path, list]) => {
      const req = list.reduce((n, r) => n + r.required, 0);
      const sig = list.reduce((n, r) => n + r.signed, 0);
      return {
        regionCode: codeOfPath(path),
        regionPath: path,
        required: req,
        signed: sig,
        percent: percent(sig, req),
        byKind: byKind(list),
      };
    }),
  };
}

export const safeguardResolvers = {
  Query: {
    pledgeCoverage: async (
      _: unknown,
      args: { regionCode: string; kind?: PledgeKind | null; cycleId?: string | null },
      ctx: VettingContext,
    ) => {
      const path = regionPathFromCode(args.regionCode);
      requireInScope(ctx.auth, path, `region ${args.regionCode}`);
      const cycleId = args.cycleId ?? null;
      if (cycleId !== null && !isUuid(cycleId))
        throw badInput('PLEDGE.CYCLE', `PLEDGE.CYCLE: cycleId must be a uuid, got ${JSON.stringify(cycleId)}`);
      const depth = (path === '' ? 0 : path.split('.').length) + 1;
      const rows = await new SafeguardStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).coverage(
        path,
        depth,
        args.kind ?? null,
        cycleId,
      );
      return coverageView(args.regionCode, args.kind ?? null, cycleId, rows);
    },
    departureAudit: (_: unknown, args: { id: string }, ctx: VettingContext) => ctx.loaders.auditById.load(args.id),
    departureAudits: async (
      _: unknown,
      args: PageArgs & { filter?: { regionCode?: string | null; status?: 'OPEN' | 'CLOSED' | null } | null },
      ctx: VettingContext,
    ) => {
      const page = readPage(args);
      const code = args.filter?.regionCode ?? null;
      if (code !== null && !isDivisionCode(code))
        throw badInput('AUDIT.REGION_CODE', `AUDIT.REGION_CODE: regionCode must be a 12-digit division code, got ${JSON.stringify(code)}`);
      const rows = await new SafeguardStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).auditsPage(
        { regionPath: code ? regionPathFromCode(code) : null, status: args.filter?.status ?? null },
        page.limit,
        page.after,
      );
      return toConnection(rows, page, (a) => `${a.opened_on}|${a.id}`);
    },
  },
  Mutation: {
    recordDemocraticEvaluation: (_: unknown, args: { input: EvaluationInput }, ctx: VettingContext) =>
      recordDemocraticEvaluation(ctx, args.input),
    recordAdmonitionTalk: (_: unknown, args: { input: Parameters<typeof recordAdmonitionTalk>[1] }, ctx: VettingContext) =>
      recordAdmonitionTalk(ctx, args.input),
    recordSanction: (_: unknown, args: { input: Parameters<typeof recordSanction>[1] }, ctx: VettingContext) =>
      recordSanction(ctx, args.input),
    declareCloseRelative: async (_: unknown, args: { input: Parameters<typeof declareCloseRelative>[1] }, ctx: VettingContext) => ({
      ...(await declareCloseRelative(ctx, args.input)),
      of_person_id: args.input.personId,
    }),
    recordPledge: (_: unknown, args: { input: PledgeInput }, ctx: VettingContext) => recordPledge(ctx, args.input),
    registerElectionWorker: (_: unknown, args: { input: Parameters<typeof registerElectionWorker>[1] }, ctx: VettingContext) =>
      registerElectionWorker(ctx, args.input),
    openDepartureAudit: (_: unknown, args: { input: Parameters<typeof openDepartureAudit>[1] }, ctx: VettingContext) =>
      openDepartureAudit(ctx, args.input),
    addAuditFinding: (
      _: unknown,
      args: { input: { auditId: string; description: string; amount?: number | null; deadline: string } },
      ctx: VettingContext,
    ) => addAuditFinding(ctx, args.input),
    resolveAuditFinding: (_: unknown, args: { input: { findingId: string; status: FindingStatus; note: string } }, ctx: VettingContext) =>
      resolveAuditFinding(ctx, args.input),
    closeDepartureAudit: (_: unknown, args: { input: { auditId: string; conclusion: string } }, ctx: VettingContext) =>
      closeDepartureAudit(ctx, args.input),
  },
  Review: {
    preChecks: (r: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.preChecksOf.load(r.id),
    preChecksRunAt: async (r: { id: string }, _: unknown, ctx: VettingContext) => iso(await ctx.loaders.preCheckRunOf.load(r.id)),
    clearingBlocks: (r: ReviewRef, _: unknown, ctx: VettingContext) => blocksLoader(ctx).load(refOf(r)),
  },
  PreCheckFinding: {
    check: (f: PreCheckRow) => f.check_kind,
    itemCode: (f: PreCheckRow) => f.item_code,
    evidenceIds: (f: PreCheckRow) => f.evidence_ids,
    computedAt: (f: PreCheckRow) => iso(f.computed_at),
  },
  Person: {
    pledges: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.pledgesOf.load(p.id),
    departureAudits: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.auditsOf.load(p.id),
    sanctions: (p: { id: string }, _: unknown, ctx: VettingContext) => {
      if (!hasRole(ctx.auth, ...SANCTION_READERS)) {
        throw forbidden('SANCTION.READ', `SANCTION.READ: sanctions (处分) are shown to ${SANCTION_READERS.join(' and ')} only`);
      }
      return ctx.loaders.sanctionsOf.load(p.id);
    },
    evaluations: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.evaluationsOf.load(p.id),
    admonitionTalks: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.admonitionsOf.load(p.id),
    closeRelatives: (p: { id: string }, _: unknown, ctx: VettingContext) => ctx.loaders.relativesOf.load(p.id),
  },
  Pledge: {
    __resolveReference: (ref: { id: string }, ctx: VettingContext) => ctx.loaders.pledgeById.load(ref.id),
    person: (p: PledgeRow) => person(p.person_id),
    orgUnitId: (p: PledgeRow) => p.org_unit_id,
    regionPath: (p: PledgeRow) => p.region_path,
    electionId: (p: PledgeRow) => p.election_id,
    cycleId: (p: PledgeRow) => p.cycle_id,
    signedOn: (p: PledgeRow) => p.signed_on,
    recordedAt: (p: PledgeRow) => iso(p.recorded_at),
  },
  ElectionWorker: {
    person: (w: { person_id: string }) => person(w.person_id),
    orgUnitId: (w: { org_unit_id: string }) => w.org_unit_id,
    regionPath: (w: { region_path: string }) => w.region_path,
    cycleId: (w: { cycle_id: string }) => w.cycle_id,
    registeredAt: (w: { registered_at: Date }) => iso(w.registered_at),
  },
  DepartureAudit: {
    __resolveReference: (ref: { id: string }, ctx: VettingContext) => ctx.loaders.auditById.load(ref.id),
    person: (a: AuditRow) => person(a.person_id),
    orgUnitId: (a: AuditRow) => a.org_unit_id,
    regionPath: (a: AuditRow) => a.region_path,
    positionId: (a: AuditRow) => a.position_id,
    endReason: (a: AuditRow) => a.end_reason,
    openedOn: (a: AuditRow) => a.opened_on,
    closedAt: (a: AuditRow) => iso(a.closed_at),
    findings: (a: AuditRow, _: unknown, ctx: VettingContext) => ctx.loaders.findingsOf.load(a.id),
    openFindings: async (a: AuditRow, _: unknown, ctx: VettingContext) =>
      (await ctx.loaders.findingsOf.load(a.id)).filter((f) => f.status === 'OPEN').length,
  },
  AuditFinding: {
    overdue: (f: FindingRow, _: unknown, ctx: VettingContext) => f.status === 'OPEN' && f.deadline < today(ctx),
    resolvedOn: (f: FindingRow) => f.resolved_on,
    resolutionNote: (f: FindingRow) => f.resolution_note,
  },
  DisciplinarySanction: {
    kind: (s: SanctionRow): SanctionKind => s.kind,
    effectiveFrom: (s: SanctionRow) => s.effective_from,
    effectiveUntil: (s: SanctionRow) => s.effective_until,
    inForce: (s: SanctionRow, _: unknown, ctx: VettingContext) =>
      s.effective_from <= today(ctx) && (s.effective_until === null || s.effective_until >= today(ctx)),
    regionPath: (s: SanctionRow) => s.region_path,
  },
  DemocraticEvaluation: {
    orgUnitId: (e: EvaluationRow) => e.org_unit_id,
    regionPath: (e: EvaluationRow) => e.region_path,
    termId: (e: EvaluationRow) => e.term_id,
    evaluatedOn: (e: EvaluationRow) => e.evaluated_on,
    basicallySatisfied: (e: EvaluationRow) => e.basically_satisfied,
    dissatisfactionPercent: (e: EvaluationRow) => percent(e.dissatisfied, e.satisfied + e.basically_satisfied + e.dissatisfied) ?? 0,
  },
  AdmonitionTalk: {
    heldOn: (a: { held_on: string }) => a.held_on,
    heldBy: (a: { held_by: string }) => a.held_by,
    evaluationId: (a: { evaluation_id: string | null }) => a.evaluation_id,
    regionPath: (a: { region_path: string }) => a.region_path,
  },
  CloseRelative: {
    relative: (r: RelativeRow & { of_person_id: string }) => person(r.person_id === r.of_person_id ? r.relative_person_id : r.person_id),
    relation: (r: RelativeRow): RelationKind => r.relation,
    countsForAvoidance: (r: RelativeRow) => SAFEGUARD_POLICY.closeRelations.value.includes(r.relation),
    regionPath: (r: RelativeRow) => r.region_path,
  },
};
