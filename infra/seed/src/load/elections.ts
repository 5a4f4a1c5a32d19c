import type { SeedElection } from '../generate/types';
import type { LoadContext } from './context';
import type { Graph } from './graph';
import type { IdMap } from './id-map';
import { forEachLimit } from './progress';

/**
 * The 2026 cycle in elections: the cycle, every unit's 换届 opened (openTransitions, in a few
 * calls), then each election planned and taken as far as the data set says — nominations open,
 * its candidates nominated (each CandidateNominated makes vetting open a 联审), the review started.
 */
const CREATE_CYCLE = `mutation SeedCreateCycle($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`;
const OPEN_TRANSITIONS = `mutation SeedOpenTransitions($input: OpenTransitionsInput!) { openTransitions(input: $input) { opened alreadyOpen } }`;
const CREATE_ELECTION = `mutation SeedCreateElection($input: CreateElectionInput!) { createElection(input: $input) { id } }`;
export const ADVANCE_ELECTION = `mutation SeedAdvanceElection($id: ID!, $event: ProceduralEvent!) { advanceElection(input: { electionId: $id, event: $event }) { status } }`;
const NOMINATE = `mutation SeedNominate($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`;

/** Unit committees per openTransitions call: it takes 20,000, the gateway a body of 256 KiB (about 2,000 of them). */
const TRANSITIONS_PER_CALL = 1500;

export interface LoadedElection {
  id: string;
  /** Candidate id by the candidate's person key. */
  candidates: Map<string, string>;
}

export async function createCycle({ graph, data }: LoadContext, ids: IdMap): Promise<{ cycleId: string; transitions: number }> {
  const { createElectionCycle } = await graph.send<{ createElectionCycle: { id: string } }>('ORG_ADMIN', CREATE_CYCLE, {
    input: data.cycle,
  });
  const units = data.units
    .filter((u) => u.level === 5)
    .flatMap((u) =>
      (['PARTY', u.kind === 'VILLAGE' ? 'VILLAGERS' : 'RESIDENTS'] as const).map((committeeKind) => ({
        orgUnitId: ids.unit(u.code),
        orgUnitCode: u.code,
        committeeKind,
      })),
    );
  let transitions = 0;
  for (let i = 0; i < units.length; i += TRANSITIONS_PER_CALL) {
    const { openTransitions } = await graph.send<{ openTransitions: { opened: number } }>('ORG_ADMIN', OPEN_TRANSITIONS, {
      input: { cycleId: createElectionCycle.id, units: units.slice(i, i + TRANSITIONS_PER_CALL) },
    });
    transitions += openTransitions.opened;
  }
  return { cycleId: createElectionCycle.id, transitions };
}

async function loadElection(graph: Graph, e: SeedElection, cycleId: string, ids: IdMap): Promise<LoadedElection> {
  const { createElection } = await graph.send<{ createElection: { id: string } }>('ORG_ADMIN', CREATE_ELECTION, {
    input: {
      cycleId,
      orgUnitId: ids.unit(e.unitCode),
      orgUnitCode: e.unitCode,
      committeeKind: e.committeeKind,
      seats: e.seats,
      electionDay: e.electionDay,
      method: e.method,
      ...(e.partyOrgForm ? { partyOrgForm: e.partyOrgForm, entitledMembers: e.entitledMembers } : {}),
    },
  });
  const id = createElection.id;
  const candidates = new Map<string, string>();
  if (e.stage === 'PLANNED') return { id, candidates };
  await graph.send('TOWN_OFFICER', ADVANCE_ELECTION, { id, event: 'OPEN_NOMINATIONS' });
  for (const c of e.candidates) {
    const { nominateCandidate } = await graph.send<{ nominateCandidate: { id: string } }>('TOWN_OFFICER', NOMINATE, {
      input: {
        electionId: id,
        personId: ids.person(c.personKey),
        role: c.role,
        gender: c.gender,
        nominatedBy: c.nominatedBy,
        recommendations: c.recommendations,
      },
    });
    candidates.set(c.personKey, nominateCandidate.id);
  }
  if (e.stage !== 'NOMINATING') await graph.send('TOWN_OFFICER', ADVANCE_ELECTION, { id, event: 'START_VETTING' });
  return { id, candidates };
}

export async function loadElections(
  { graph, data, concurrency, progress }: LoadContext,
  cycleId: string,
  ids: IdMap,
): Promise<Map<string, LoadedElection>> {
  const loaded = new Map<string, LoadedElection>();
  // The pilot units first: vetting opens their reviews (in event order) while the rest load.
  const pilots = new Set(data.pilotUnitCodes);
  const order = [...data.elections.filter((e) => pilots.has(e.unitCode)), ...data.elections.filter((e) => !pilots.has(e.unitCode))];
  await forEachLimit(
    order,
    concurrency,
    async (e) => {
      loaded.set(e.key, await loadElection(graph, e, cycleId, ids));
    },
    progress('elections (createElection, nominations)', data.elections.length),
  );
  return loaded;
}
