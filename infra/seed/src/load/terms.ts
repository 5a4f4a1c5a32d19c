import type { LoadContext } from './context';
import type { IdMap } from './id-map';
import { forEachLimit } from './progress';

/**
 * The committees elected in 2021, each term entered with startTerm as the 组织部 records it: the
 * seats, TermStarted and PositionAssigned (training then opens onboarding for every new member).
 */
const START_TERM = `mutation SeedStartTerm($input: StartTermInput!) { startTerm(input: $input) { id } }`;

export async function startTerms({ graph, data, concurrency, progress }: LoadContext, ids: IdMap): Promise<number> {
  await forEachLimit(
    data.terms,
    concurrency,
    async (term) => {
      await graph.send('ORG_ADMIN', START_TERM, {
        input: {
          orgUnitId: ids.unit(term.unitCode),
          committeeKind: term.committeeKind,
          ...(term.partyOrgForm ? { partyOrgForm: term.partyOrgForm } : {}),
          startsOn: term.startsOn,
          positions: term.positions.map((s) => ({ personId: ids.person(s.personKey), role: s.role })),
        },
      });
    },
    progress('terms (startTerm)', data.terms.length),
  );
  return data.terms.length;
}
