import type { EntityManager } from 'typeorm';
import { badInput, conflict, isIsoDate, isUniqueViolation, maskNationalId, notFound, requireRole, type PiiCipher } from '@huanjie/platform';
import type { ElectionRow } from '../db/election.store';
import { VoterStore, type ObjectionRow, type ProposedVoter, type VoterRow } from '../db/voter.store';
import type { ElectionsContext, ElectionsDeps } from '../deps';
import { checkVoterListPublication, rulesForRegion } from '../domain/election-rules.data';
import {
  checkObjectionDecision,
  checkObjectionShape,
  checkObjectionsOpen,
  checkObjectionUndecided,
  checkPublicationAllowed,
  checkRegistrationOpen,
  parseVoterBasis,
  requireValidVoter,
  voterRulesFor,
  type CheckedVoter,
  type ObjectionKind,
  type VoterInput,
  type VoterRuleSet,
} from '../domain/voter.rules';
import { audit, MANAGERS, onElection } from './command-kit';

/** The blind-index key: the same PII keys as personnel, so one person has one index across services. */
export function voterIndex(deps: Pick<ElectionsDeps, 'pii'>): PiiCipher {
  if (!deps.pii) {
    throw new Error('voter rolls need the PII index key: start the elections service with createServer({ pii }) (PII_INDEX_KEY)');
  }
  return deps.pii;
}

/**
 * The voter-roll rules of an election, refusing what has no roll of its own: a Party election
 * (VOTER.PARTY_NO_ROLL) and the later rounds of a regular election (run-off, women's seat), which
 * vote on the roll of the election they continue.
 */
export function rollRules(election: Pick<ElectionRow, 'committee_kind' | 'election_day'> & { round_kind: string }): VoterRuleSet {
  const rules = voterRulesFor(election.committee_kind, election.election_day);
  if (election.round_kind === 'RUN_OFF' || election.round_kind === 'WOMEN_SEAT') {
    throw badInput('VOTER.ROUND_HAS_NO_ROLL', `a ${election.round_kind} round votes on the roll of the election it continues; register voters there`);
  }
  return rules;
}

export interface RegisterVoterInput extends VoterInput {
  electionId: string;
}

/** What a duplicate registration is told: where the person is registered, never who they are. */
function alreadyRegistered(electionId: string, found: { election_id: string; org_unit_code: string; committee_kind: string }) {
  return found.election_id === electionId
    ? conflict('VOTER.ALREADY_ON_ROLL', 'this person is already on the roll of this election')
    : conflict(
        'VOTER.ONE_PER_CYCLE',
        `a person is registered once per 换届 cycle: this person is already on the roll of the ${found.committee_kind} election of unit ${found.org_unit_code}`,
      );
}

/** The row for the roll from a checked registration: the ID number goes into the index and the mask, and no further. */
function voterFields(election: ElectionRow, voter: CheckedVoter, pii: PiiCipher) {
  return {
    id_blind_index: pii.blindIndex(voter.idNumber),
    id_number_masked: maskNationalId(voter.idNumber),
    name: voter.name,
    household: voter.household,
    basis: voter.basis,
    birth_date: voter.birthDate,
    resident_since: voter.residentSince,
    approved_on: voter.approvedOn,
    election_id: election.id,
    cycle_id: election.cycle_id,
    region_path: election.region_path,
  };
}

async function insertUnique(store: VoterStore, election: ElectionRow, fields: ReturnType<typeof voterFields>, registeredBy: string): Promise<VoterRow> {
  await store.lockCycleRegistrations(election.cycle_id);
  const found = await store.activeInCycle(election.cycle_id, fields.id_blind_index);
  if (found) throw alreadyRegistered(election.id, found);
  try {
    return await store.insertVoter({ ...fields, registered_by: registeredBy });
  } catch (error) {
    // The cycle lock makes this unreachable; the unique index stays the last line of defence.
    if (isUniqueViolation(error)) throw conflict('VOTER.ONE_PER_CYCLE', 'a person is registered once per 换届 cycle: this person was registered meanwhile');
    throw error;
  }
}

/** 选民登记: one person onto an election's roll. */
export async function registerVoter(ctx: ElectionsContext, input: RegisterVoterInput): Promise<VoterRow> {
  const pii = voterIndex(ctx.deps);
  return onElection(ctx, MANAGERS, 'registerVoter', input.electionId, async (manager, election) => {
    const rules = rollRules(election);
    checkRegistrationOpen(election.status);
    const voter = requireValidVoter(input, rules, election.election_day);
    const store = new VoterStore(manager, ctx.auth.regionPath);
    const row = await insertUnique(store, election, voterFields(election, voter, pii), ctx.auth.userId);
    await audit(manager, ctx, 'registerVoter', { type: 'Voter', id: row.id, regionPath: row.region_path }, null, row);
    return row;
  });
}

/** 公布选民名单: records the day the list was put up, at least the rule set's lead days before election day. */
export async function publishVoterList(ctx: ElectionsContext, electionId: string, publishedOn: string) {
  return onElection(ctx, MANAGERS, 'publishVoterList', electionId, async (manager, election) => {
    rollRules(election);
    checkPublicationAllowed(election.status);
    if (!isIsoDate(publishedOn)) throw badInput('VOTER.PUBLISHED_ON', `publishedOn must be a date written yyyy-mm-dd, got ${JSON.stringify(publishedOn)}`);
    checkVoterListPublication(rulesForRegion(election.committee_kind, election.election_day, election.region_path), publishedOn, election.election_day);
    const store = new VoterStore(manager, ctx.auth.regionPath);
    const [count] = await store.activeCounts([election.id]);
    if (!count) throw conflict('VOTER.ROLL_EMPTY', 'the voter list is empty: register the voters before publishing it');
    const before = await store.election(election.id);
    await store.setPublishedOn(election.id, publishedOn);
    await audit(
      manager,
      ctx,
      'publishVoterList',
      { type: 'VoterRoll', id: election.id, regionPath: election.region_path },
      { publishedOn: before?.voter_list_published_on ?? null },
      { publishedOn, voters: count.n },
    );
    return (await store.election(election.id))!;
  });
}

export interface FileObjectionInput {
  electionId: string;
  kind: ObjectionKind;
  voterId?: string | null;
  reason: string;
  /** MISSING: the person to register. */
  person?: VoterInput | null;
  /** DETAILS_WRONG: the corrected details. */
  correction?: { name?: string | null; household?: string | null; basis?: string | null } | null;
}

/** The objection as clients and the audit see it: the proposal without its blind index. */
export function objectionView(o: ObjectionRow) {
  const { id_blind_index: _index, ...proposed } = o.proposed ?? {};
  return { ...o, proposed: o.proposed ? proposed : null };
}

function checkCorrection(correction: NonNullable<FileObjectionInput['correction']>, voter: VoterRow): ProposedVoter {
  const fix: ProposedVoter = {};
  if (correction.name != null) {
    const name = correction.name.trim();
    if (name.length === 0 || name.length > 50) throw badInput('VOTER.NAME', '姓名 (name) must be 1–50 characters');
    fix.name = name;
  }
  if (correction.household != null) {
    const household = correction.household.trim();
    if (household.length === 0 || household.length > 40) throw badInput('VOTER.HOUSEHOLD', '户号 (household) must be 1–40 characters');
    fix.household = household;
  }
  if (correction.basis != null) {
    const basis = parseVoterBasis(correction.basis);
    if (basis === null) throw badInput('VOTER.BASIS', 'basis must be HUKOU_RESIDENT, HUKOU or NON_HUKOU_RESIDENT');
    // Becoming (or ceasing to be) a non-hukou resident needs the residence facts and the meeting's consent: remove and register anew.
    if ((basis === 'NON_HUKOU_RESIDENT') !== (voter.basis === 'NON_HUKOU_RESIDENT')) {
      throw badInput('VOTER.CORRECTION_BASIS', 'a correction cannot move a voter to or from NON_HUKOU_RESIDENT: that needs the residence period and the meeting’s consent (WRONGLY_LISTED, then MISSING)');
    }
    fix.basis = basis;
  }
  if (Object.keys(fix).length === 0) throw badInput('VOTER.OBJECTION_SHAPE', 'the correction changes nothing: give name, household or basis');
  return fix;
}

/** 申诉: an objection to the published list, recorded for the election committee to decide. */
export async function fileVoterObjection(ctx: ElectionsContext, input: FileObjectionInput): Promise<ObjectionRow> {
  const pii = input.person ? voterIndex(ctx.deps) : null;
  return onElection(ctx, MANAGERS, 'fileVoterObjection', input.electionId, async (manager, election) => {
    const rules = rollRules(election);
    checkObjectionsOpen(election.status);
    const store = new VoterStore(manager, ctx.auth.regionPath);
    const rollElection = await store.election(election.id);
    if (!rollElection?.voter_list_published_on) {
      throw conflict('VOTER.LIST_NOT_PUBLISHED', 'objections are filed against the published voter list (公布选民名单); this list has not been published yet');
    }
    checkObjectionShape(input.kind, Boolean(input.voterId), Boolean(input.person), Boolean(input.correction), input.reason);
    let proposed: ProposedVoter | null = null;
    if (input.voterId) {
      const voter = await store.lockVoter(input.voterId);
      if (!voter || voter.election_id !== election.id || voter.removed_at !== null) {
        throw notFound('VOTER.NOT_FOUND', `VOTER.NOT_FOUND: no voter ${input.voterId} on the roll of this election`);
      }
      if (input.correction) proposed = checkCorrection(input.correction, voter);
    }
    if (input.person) {
      const voter = requireValidVoter(input.person, rules, election.election_day);
      const { election_id: _e, cycle_id: _c, region_path: _r, ...fields } = voterFields(election, voter, pii!);
      const found = await store.activeInCycle(election.cycle_id, fields.id_blind_index);
      if (found) throw alreadyRegistered(election.id, found);
      proposed = fields;
    }
    const row = await store.insertObjection({
      id: ctx.deps.newId(),
      election_id: election.id,
      voter_id: input.voterId ?? null,
      region_path: election.region_path,
      kind: input.kind,
      reason: input.reason.trim(),
      proposed,
      filed_by: ctx.auth.userId,
    });
    await audit(manager, ctx, 'fileVoterObjection', { type: 'VoterObjection', id: row.id, regionPath: row.region_path }, null, objectionView(row));
    return row;
  });
}

export interface DecideObjectionInput {
  objectionId: string;
  decision: string;
  note: string;
}

/**
 * 处理申诉: the election committee's decision, final. UPHELD on WRONGLY_LISTED takes the voter off
 * the roll (removed_at, never deleted); on MISSING registers the person the objection gave (the
 * cycle's one-registration rule still applies); on DETAILS_WRONG applies the correction.
 * DISMISSED changes nothing but the objection.
 */
export async function decideVoterObjection(ctx: ElectionsContext, input: DecideObjectionInput): Promise<ObjectionRow> {
  requireRole(ctx.auth, MANAGERS, 'decideVoterObjection');
  const found = await new VoterStore(ctx.deps.dataSource.manager, ctx.auth.regionPath).objection(input.objectionId);
  if (!found) throw notFound('VOTER.OBJECTION_NOT_FOUND', `VOTER.OBJECTION_NOT_FOUND: no objection ${input.objectionId} within your region scope`);
  return onElection(ctx, MANAGERS, 'decideVoterObjection', found.election_id, async (manager: EntityManager, election) => {
    const store = new VoterStore(manager, ctx.auth.regionPath);
    const objection = (await store.objection(input.objectionId, 'FOR UPDATE'))!;
    checkObjectionUndecided(objection.status);
    checkObjectionDecision(input.decision, input.note);
    checkObjectionsOpen(election.status);
    const note = input.note.trim();
    let registered: VoterRow | null = null;
    if (input.decision === 'UPHELD') {
      if (objection.kind === 'WRONGLY_LISTED') {
        const voter = await store.lockVoter(objection.voter_id!);
        if (voter && voter.removed_at === null) {
          const after = await store.removeVoter(voter.id, `申诉成立 — objection upheld (${objection.id}): ${note}`);
          await audit(manager, ctx, 'removeVoter', { type: 'Voter', id: voter.id, regionPath: voter.region_path }, voter, after);
        }
      } else if (objection.kind === 'MISSING') {
        const p = objection.proposed!;
        const fields = {
          id_blind_index: p.id_blind_index!,
          id_number_masked: p.id_number_masked!,
          name: p.name!,
          household: p.household!,
          basis: p.basis!,
          birth_date: p.birth_date!,
          resident_since: p.resident_since ?? null,
          approved_on: p.approved_on ?? null,
          election_id: election.id,
          cycle_id: election.cycle_id,
          region_path: election.region_path,
        };
        registered = await insertUnique(store, election, fields, ctx.auth.userId);
        await audit(manager, ctx, 'registerVoter', { type: 'Voter', id: registered.id, regionPath: registered.region_path }, null, registered);
      } else {
        const voter = await store.lockVoter(objection.voter_id!);
        if (!voter || voter.removed_at !== null) throw conflict('VOTER.NOT_ON_ROLL', 'the voter this objection corrects is no longer on the roll');
        const { name, household, basis } = objection.proposed ?? {};
        const after = await store.correctVoter(voter.id, { name, household, basis });
        await audit(manager, ctx, 'correctVoter', { type: 'Voter', id: voter.id, regionPath: voter.region_path }, voter, after);
      }
    }
    const row = await store.decideObjection(objection.id, input.decision as 'UPHELD' | 'DISMISSED', ctx.auth.userId, note, registered?.id ?? null);
    await audit(manager, ctx, 'decideVoterObjection', { type: 'VoterObjection', id: row.id, regionPath: row.region_path }, objectionView(objection), objectionView(row));
    return row;
  });
}
