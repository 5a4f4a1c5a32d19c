import { randomUUID } from 'node:crypto';
import { envelopeOf, ReviewConcluded } from '@huanjie/events';
import { regionPathFromCode } from '@huanjie/platform';
import { waitFor } from '@huanjie/testkit';
import { electionsAccess } from '../../src/access/elections';
import { idNumber, type Caller, type Graph } from '../world';
import { auditLogProbe, OWN, OWN_VILLAGE, SIBLING_VILLAGE, type BaseWorld, type MatrixKit, type ServiceProbes } from './kit';

// The probes of the elections subgraph. Each allowed call gets a record in the state the call
// needs (a PLANNED election to advance, a POLLING one whose sheets are accepted to close, a
// TALLIED one to certify); refused calls aim at shared records in the same states, so a call
// wrongly let through would succeed and show. Elections that must reach the ballot need 联审
// conclusions: the matrix's graph gives every service its own topic prefix, so vetting's
// ReviewConcluded never reaches elections, and the probes deliver it to elections' topic as vetting
// would (the running graph comes from elections.matrix.spec.ts).

let graph: Graph | undefined;

/** Hands the running graph to the probes (elections.matrix.spec.ts, when the graph has started). */
export function useGraph(running: Graph): void {
  graph = running;
}

const CYCLE = `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`;
const CREATE = `mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`;
const ADVANCE = `mutation($id: ID!, $event: ProceduralEvent!) { advanceElection(input: { electionId: $id, event: $event }) { id status } }`;
const NOMINATE = `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterVoterInput!) { registerVoter(input: $input) { id electionId } }`;
const PUBLISH = `mutation($input: PublishVoterListInput!) { publishVoterList(input: $input) { id publishedOn } }`;
const OBJECT = `mutation($input: FileVoterObjectionInput!) { fileVoterObjection(input: $input) { id electionId status } }`;
const TALLY = `mutation($input: EnterTallySheetInput!) { enterTallySheet(input: $input) { id status } }`;
const CLOSE = `mutation($id: ID!) { closeCount(input: { electionId: $id }) { id status } }`;
const OPEN_TRANSITIONS = `mutation($input: OpenTransitionsInput!) { openTransitions(input: $input) { opened alreadyOpen } }`;
const TRANSITIONS_OF = `query($unit: ID!, $cycle: ID!) { orgUnit(id: $unit) { transitions(cycleId: $cycle) { id } } }`;
const STEPS = `query($id: ID!) { transition(id: $id) { stages { steps { code done available } } } }`;
const CANDIDATES = `query($id: ID!) { election(id: $id) { candidates { id status } } }`;

const SEATS = [
  { role: 'DIRECTOR', count: 1 },
  { role: 'MEMBER', count: 2 },
];
/** Election day of the churn; the read fixtures come earlier, so a list's first page shows them. */
const ELECTION_DAY = '2026-05-28';
const EARLY_DAY = '2026-03-25';
const PUBLISHED_ON = '2026-03-01';
/** Before the services' clock (world NOW, 2026-03-02T02:00Z): a step cannot be done in the future. */
const STEP_DONE_AT = '2026-03-01T02:00:00Z';

const CLERKS: Caller[] = [
  { roles: ['TOWN_OFFICER'], region: OWN, user: 'matrix-clerk-a' },
  { roles: ['TOWN_OFFICER'], region: OWN, user: 'matrix-clerk-b' },
];

/** The ballot of a villagers' election: two for director, three for two members (差额), one of them a woman. */
const BALLOT = [
  { role: 'DIRECTOR', gender: 'MALE' },
  { role: 'DIRECTOR', gender: 'MALE' },
  { role: 'MEMBER', gender: 'FEMALE' },
  { role: 'MEMBER', gender: 'MALE' },
  { role: 'MEMBER', gender: 'MALE' },
] as const;

interface Standing {
  electionId: string;
  /** Candidate ids in BALLOT order. */
  candidates: string[];
}

interface Fixtures {
  /** A villagers' election of the own village in VOTER_REGISTRATION, its list published: the reads and the roll's mutations. */
  roll: Standing & { voterId: string };
  /** An OPEN objection to the roll (refused decisions). */
  objectionId: string;
  /** A NOMINATING election (nominations, withdrawals) and a candidate in it (refused withdrawals). */
  nominating: string;
  nominee: string;
  /** A PLANNED election (refused advances). */
  planned: string;
  /** A cycle no allowed call uses (refused creations). */
  spareCycle: string;
  /** The own village's transition in the base cycle. */
  transitionId: string;
  /** A POLLING election (tally sheets, one fresh box per call). */
  polling: Standing;
  /** POLLING elections with every sheet accepted (closeCount); the last is the refused calls' target. */
  counted: string[];
  /** TALLIED elections (certifyElection); the last is the refused calls' target. */
  tallied: string[];
}

/** Allowed cells of an operation: each allowed role in the own district and in its city. */
const allowedCells = (op: string) => electionsAccess[op]!.roles.length * 2;

/** The next record for an allowed call, keeping the last for the refused ones. */
function take(pool: string[], op: string): string {
  if (pool.length < 2) throw new Error(`${op}: no fresh record left for an allowed call`);
  return pool.shift()!;
}

async function freshCycle(kit: MatrixKit): Promise<string> {
  const n = kit.next();
  const { createElectionCycle } = await kit.seed<{ createElectionCycle: { id: string } }>(CYCLE, {
    input: { name: `2026年武侯区两委换届(矩阵${n})`, regionCode: OWN, termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' },
  });
  kit.ledger.track('own', createElectionCycle.id);
  return createElectionCycle.id;
}

interface Place {
  cycleId: string;
  orgUnitId: string;
  orgUnitCode: string;
  where: 'own' | 'sibling';
  day?: string;
}

const createInput = (p: Place) => ({
  cycleId: p.cycleId,
  orgUnitId: p.orgUnitId,
  orgUnitCode: p.orgUnitCode,
  committeeKind: 'VILLAGERS',
  seats: SEATS,
  electionDay: p.day ?? ELECTION_DAY,
  method: 'VOTERS_ASSEMBLY',
});

async function plannedElection(kit: MatrixKit, p: Place): Promise<string> {
  const { createElection } = await kit.seed<{ createElection: { id: string } }>(CREATE, { input: createInput(p) });
  kit.ledger.track(p.where, createElection.id);
  return createElection.id;
}

const advance = (kit: MatrixKit, id: string, event: string) => kit.seed(ADVANCE, { id, event });

async function nominate(kit: MatrixKit, electionId: string, where: 'own' | 'sibling', role: string, gender: string): Promise<string> {
  const { nominateCandidate } = await kit.seed<{ nominateCandidate: { id: string } }>(NOMINATE, {
    input: { electionId, personId: randomUUID(), role, gender, nominatedBy: 'HOUSEHOLDS', recommendations: 30 },
  });
  kit.ledger.track(where, nominateCandidate.id);
  return nominateCandidate.id;
}

/** An election in VETTING with the full ballot nominated. */
async function inVetting(kit: MatrixKit, p: Place): Promise<Standing> {
  const electionId = await plannedElection(kit, p);
  await advance(kit, electionId, 'OPEN_NOMINATIONS');
  const candidates: string[] = [];
  for (const c of BALLOT) candidates.push(await nominate(kit, electionId, p.where, c.role, c.gender));
  await advance(kit, electionId, 'START_VETTING');
  return { electionId, candidates };
}

async function registerVoter(kit: MatrixKit, electionId: string, where: 'own' | 'sibling', idn: string): Promise<string> {
  const { registerVoter } = await kit.seed<{ registerVoter: { id: string } }>(REGISTER, {
    input: { electionId, name: '王五', idNumber: idn, household: '1组01号', basis: 'HUKOU_RESIDENT' },
  });
  kit.ledger.track(where, registerVoter.id);
  return registerVoter.id;
}

/** A national ID number of the own district not handed out before in this run. */
const freshIdNumber = (kit: MatrixKit) => idNumber(`51010719750301${String(kit.next() % 1000).padStart(3, '0')}`);

/** 联审 concluded CLEARED for every candidate, delivered to elections as vetting publishes it; waits until all are ELIGIBLE. */
async function clear(kit: MatrixKit, elections: readonly Standing[]): Promise<void> {
  if (!graph) throw new Error('the elections probes need the running graph (useGraph) to deliver ReviewConcluded');
  const regionPath = regionPathFromCode(OWN_VILLAGE);
  await graph.services.elections.bus.publish(
    elections.flatMap((e) =>
      e.candidates.map((candidateId) =>
        envelopeOf(ReviewConcluded, {
          subject: candidateId,
          data: { reviewId: randomUUID(), candidateId, personId: randomUUID(), regionPath, outcome: 'CLEARED', negativeListCodes: [] },
        }),
      ),
    ),
  );
  for (const e of elections) {
    await waitFor(
      async () => {
        const { election } = await kit.seed<{ election: { candidates: { status: string }[] } }>(CANDIDATES, { id: e.electionId });
        return election.candidates.every((c) => c.status === 'ELIGIBLE');
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `the candidates of election ${e.electionId} to become ELIGIBLE` },
    );
  }
}

/** Villagers' elections of the own village, each in a cycle of its own, taken to POLLING with one registered voter. */
async function pollingElections(kit: MatrixKit, world: BaseWorld, count: number): Promise<Standing[]> {
  const vetting = await Promise.all(
    Array.from({ length: count }, async () =>
      inVetting(kit, { cycleId: await freshCycle(kit), orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, where: 'own' }),
    ),
  );
  await clear(kit, vetting);
  await Promise.all(
    vetting.map(async (e) => {
      await advance(kit, e.electionId, 'OPEN_VOTER_REGISTRATION');
      await registerVoter(kit, e.electionId, 'own', world.idNumbers[0]!);
      await kit.seed(PUBLISH, { input: { electionId: e.electionId, publishedOn: PUBLISHED_ON } });
      await advance(kit, e.electionId, 'SCHEDULE');
      await advance(kit, e.electionId, 'OPEN_POLLS');
    }),
  );
  return vetting;
}

/** One ballot box: the one voter's ballot for the first director, the woman and the first man standing for member. */
const sheetOf = (e: Standing, boxCode: string) => ({
  electionId: e.electionId,
  boxCode,
  ballotsIssued: 1,
  ballotsReturned: 1,
  ballotsInvalid: 0,
  votes: [0, 2, 3].map((i) => ({ candidateId: e.candidates[i], votes: 1 })),
});

/** Both clerks enter box 01 alike: the sheet is accepted and the count can close. */
async function countedElections(kit: MatrixKit, elections: readonly Standing[]): Promise<string[]> {
  for (const e of elections) for (const clerk of CLERKS) await kit.seed(TALLY, { input: sheetOf(e, '01') }, clerk);
  return elections.map((e) => e.electionId);
}

async function transitionOf(kit: MatrixKit, cycleId: string, unit: string, code: string, where: 'own' | 'sibling'): Promise<string> {
  await kit.seed(OPEN_TRANSITIONS, { input: { cycleId, units: [{ orgUnitId: unit, orgUnitCode: code, committeeKind: 'VILLAGERS' }] } });
  const { orgUnit } = await kit.seed<{ orgUnit: { transitions: { id: string }[] } }>(TRANSITIONS_OF, { unit, cycle: cycleId });
  const id = orgUnit.transitions[0]!.id;
  kit.ledger.track(where, id);
  return id;
}

async function fileObjection(kit: MatrixKit, roll: Fixtures['roll']): Promise<string> {
  const { fileVoterObjection } = await kit.seed<{ fileVoterObjection: { id: string } }>(OBJECT, {
    input: { electionId: roll.electionId, kind: 'WRONGLY_LISTED', voterId: roll.voterId, reason: '该选民已迁出本村' },
  });
  kit.ledger.track('own', fileVoterObjection.id);
  return fileVoterObjection.id;
}

/** Decoys in the sibling district: an election with a candidate and a voter, and a transition. */
async function seedSibling(kit: MatrixKit, world: BaseWorld): Promise<void> {
  const place: Place = {
    cycleId: world.siblingCycleId,
    orgUnitId: world.siblingVillage,
    orgUnitCode: SIBLING_VILLAGE,
    where: 'sibling',
    day: EARLY_DAY,
  };
  const electionId = await plannedElection(kit, place);
  await advance(kit, electionId, 'OPEN_NOMINATIONS');
  await nominate(kit, electionId, 'sibling', 'DIRECTOR', 'MALE');
  await registerVoter(kit, electionId, 'sibling', idNumber('51010419750301002'));
  await transitionOf(kit, world.siblingCycleId, world.siblingVillage, SIBLING_VILLAGE, 'sibling');
}

export const electionsProbes: ServiceProbes<Fixtures> = {
  started: useGraph,
  async setup(kit, world) {
    await seedSibling(kit, world);
    const own = (p: Partial<Place> = {}): Place => ({
      cycleId: world.cycleId,
      orgUnitId: world.village,
      orgUnitCode: OWN_VILLAGE,
      where: 'own',
      ...p,
    });

    const roll = await inVetting(kit, own({ day: EARLY_DAY }));
    await advance(kit, roll.electionId, 'OPEN_VOTER_REGISTRATION');
    const voterId = await registerVoter(kit, roll.electionId, 'own', world.idNumbers[1]!);
    await kit.seed(PUBLISH, { input: { electionId: roll.electionId, publishedOn: PUBLISHED_ON } });

    const nominating = await plannedElection(kit, own({ orgUnitId: world.village2, orgUnitCode: '510107018004' }));
    await advance(kit, nominating, 'OPEN_NOMINATIONS');
    const nominee = await nominate(kit, nominating, 'own', 'MEMBER', 'FEMALE');

    const [polling, ...rest] = await pollingElections(
      kit,
      world,
      1 + (allowedCells('closeCount') + 1) + (allowedCells('certifyElection') + 1),
    );
    const counted = await countedElections(kit, rest);
    const tallied = counted.splice(allowedCells('closeCount') + 1);
    for (const id of tallied) await kit.seed(CLOSE, { id });

    return {
      roll: { ...roll, voterId },
      objectionId: await fileObjection(kit, { ...roll, voterId }),
      nominating,
      nominee,
      planned: await plannedElection(kit, own({ cycleId: await freshCycle(kit) })),
      spareCycle: await freshCycle(kit),
      transitionId: await transitionOf(kit, world.cycleId, world.village, OWN_VILLAGE, 'own'),
      polling: polling!,
      counted,
      tallied,
    };
  },
  probes: {
    // ----- queries -----
    async electionCycle({ world }) {
      return {
        query: `query($id: ID!) { electionCycle(id: $id) { id name regionCode } }`,
        variables: { id: world.cycleId },
        expectIds: [world.cycleId],
      };
    },
    async election({ fixtures: f }) {
      return {
        query: `query($id: ID!) { election(id: $id) { id status candidates { id status } voterRoll { id registeredCount } } }`,
        variables: { id: f.roll.electionId },
        expectIds: [f.roll.electionId, f.roll.candidates[0]!],
      };
    },
    async elections({ fixtures: f }) {
      return { query: `query { elections(first: 100) { edges { node { id orgUnitCode status } } } }`, expectIds: [f.roll.electionId] };
    },
    async candidate({ fixtures: f }) {
      const id = f.roll.candidates[0]!;
      return {
        query: `query($id: ID!) { candidate(id: $id) { id status election { id } } }`,
        variables: { id },
        expectIds: [id, f.roll.electionId],
      };
    },
    async electionRules() {
      return {
        query: `query($on: String!, $region: String) { electionRules(committeeKind: VILLAGERS, onDate: $on, regionCode: $region) { lawVersion seats { min max article } } }`,
        variables: { on: ELECTION_DAY, region: OWN_VILLAGE },
      };
    },
    async transition({ fixtures: f }) {
      return {
        query: `query($id: ID!) { transition(id: $id) { id progress { state done total } } }`,
        variables: { id: f.transitionId },
        expectIds: [f.transitionId],
      };
    },
    async transitionProgress({ world }) {
      return {
        query: `query($input: TransitionProgressInput!) { transitionProgress(input: $input) { cycle { id } total { units stepsDone } children { regionCode units } } }`,
        variables: { input: { cycleId: world.cycleId, regionCode: OWN } },
        expectIds: [world.cycleId],
        outOfScope: 'refuse',
      };
    },
    async voterRoll({ fixtures: f }) {
      return {
        query: `query($id: ID!) { voterRoll(electionId: $id) { id registeredCount voters(first: 100) { nodes { id idNumberMasked } } } }`,
        variables: { id: f.roll.electionId },
        expectIds: [f.roll.electionId, f.roll.voterId],
      };
    },
    async electionsAuditLog({ world }) {
      return auditLogProbe('electionsAuditLog', { entityType: 'ElectionCycle' }, world.cycleId);
    },

    // ----- mutations -----
    async createElectionCycle({ kit }) {
      const n = kit.next();
      return {
        query: `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id regionCode } }`,
        variables: {
          input: { name: `2026年武侯区两委换届(新${n})`, regionCode: OWN, termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' },
        },
      };
    },
    async createElection({ kit, world, fixtures: f, cell }) {
      const cycleId = cell.allowed ? await freshCycle(kit) : f.spareCycle;
      return {
        query: `mutation($input: CreateElectionInput!) { createElection(input: $input) { id status cycle { id } } }`,
        variables: { input: createInput({ cycleId, orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, where: 'own' }) },
        expectIds: [cycleId],
      };
    },
    async advanceElection({ kit, world, fixtures: f, cell }) {
      const id = cell.allowed
        ? await plannedElection(kit, { cycleId: await freshCycle(kit), orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, where: 'own' })
        : f.planned;
      return { query: ADVANCE, variables: { id, event: 'OPEN_NOMINATIONS' }, expectIds: [id] };
    },
    async nominateCandidate({ fixtures: f }) {
      return {
        query: `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id status election { id } } }`,
        variables: {
          input: {
            electionId: f.nominating,
            personId: randomUUID(),
            role: 'MEMBER',
            gender: 'FEMALE',
            nominatedBy: 'VILLAGERS',
            recommendations: 12,
          },
        },
        expectIds: [f.nominating],
      };
    },
    async withdrawCandidate({ kit, fixtures: f, cell }) {
      const id = cell.allowed ? await nominate(kit, f.nominating, 'own', 'MEMBER', 'MALE') : f.nominee;
      return {
        query: `mutation($input: WithdrawCandidateInput!) { withdrawCandidate(input: $input) { id status statusReason } }`,
        variables: { input: { candidateId: id, reason: '本人因病申请退出' } },
        expectIds: [id],
      };
    },
    async enterTallySheet({ kit, fixtures: f }) {
      return { query: TALLY, variables: { input: sheetOf(f.polling, `box-${kit.next()}`) } };
    },
    async closeCount({ fixtures: f, cell }) {
      const id = cell.allowed ? take(f.counted, 'closeCount') : f.counted.at(-1)!;
      return { query: CLOSE, variables: { id }, expectIds: [id] };
    },
    async certifyElection({ fixtures: f, cell }) {
      const id = cell.allowed ? take(f.tallied, 'certifyElection') : f.tallied.at(-1)!;
      return {
        query: `mutation($id: ID!) { certifyElection(input: { electionId: $id }) { id status certifiedAt } }`,
        variables: { id },
        expectIds: [id],
      };
    },
    async openTransitions({ kit, world, fixtures: f, cell }) {
      const cycleId = cell.allowed ? await freshCycle(kit) : f.spareCycle;
      return {
        query: OPEN_TRANSITIONS,
        variables: { input: { cycleId, units: [{ orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, committeeKind: 'VILLAGERS' }] } },
      };
    },
    async completeTransitionStep({ kit, fixtures: f }) {
      // The first step whose prerequisites are done: each allowed call completes the next one.
      const { transition } = await kit.seed<{ transition: { stages: { steps: { code: string; done: boolean; available: boolean }[] }[] } }>(
        STEPS,
        { id: f.transitionId },
      );
      const step = transition.stages.flatMap((s) => s.steps).find((s) => s.available && !s.done);
      if (!step) throw new Error(`transition ${f.transitionId} has no step left to complete`);
      return {
        query: `mutation($input: CompleteTransitionStepInput!) { completeTransitionStep(input: $input) { id progress { done } } }`,
        variables: {
          input: { transitionId: f.transitionId, stepCode: step.code, completedBy: '簇桥街道换届工作指导组', completedAt: STEP_DONE_AT },
        },
        expectIds: [f.transitionId],
      };
    },
    async setTransitionBlocked({ kit, fixtures: f }) {
      return {
        query: `mutation($input: SetTransitionBlockedInput!) { setTransitionBlocked(input: $input) { id blockedReason } }`,
        variables: { input: { transitionId: f.transitionId, reason: `村级组织软弱涣散，先整顿后换届(${kit.next()})` } },
        expectIds: [f.transitionId],
      };
    },
    async registerVoter({ kit, fixtures: f }) {
      return {
        query: REGISTER,
        variables: {
          input: { electionId: f.roll.electionId, name: '刘芳', idNumber: freshIdNumber(kit), household: '2组07号', basis: 'HUKOU' },
        },
        expectIds: [f.roll.electionId],
      };
    },
    async publishVoterList({ fixtures: f }) {
      return {
        query: PUBLISH,
        variables: { input: { electionId: f.roll.electionId, publishedOn: PUBLISHED_ON } },
        expectIds: [f.roll.electionId],
      };
    },
    async fileVoterObjection({ fixtures: f }) {
      return {
        query: OBJECT,
        variables: {
          input: { electionId: f.roll.electionId, kind: 'WRONGLY_LISTED', voterId: f.roll.voterId, reason: '该选民户籍已迁出' },
        },
        expectIds: [f.roll.electionId],
      };
    },
    async decideVoterObjection({ kit, fixtures: f, cell }) {
      const id = cell.allowed ? await fileObjection(kit, f.roll) : f.objectionId;
      return {
        query: `mutation($input: DecideVoterObjectionInput!) { decideVoterObjection(input: $input) { id status decisionNote } }`,
        variables: { input: { objectionId: id, decision: 'DISMISSED', note: '经核实，该选民户籍仍在本村' } },
        expectIds: [id],
      };
    },
  },
};
