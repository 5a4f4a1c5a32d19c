import type { LoadContext } from './context';
import type { LoadedElection } from './elections';
import type { IdMap } from './id-map';
import { forEachLimit } from './progress';

/** 承诺书 on record in vetting (recordPledge): every unit secretary's for the cycle, the pilot candidates' per election. */
const RECORD_PLEDGE = `mutation SeedPledge($input: RecordPledgeInput!) { recordPledge(input: $input) { id } }`;

export async function recordPledges(
  { graph, data, concurrency, progress }: LoadContext,
  ids: IdMap,
  cycleId: string,
  elections: ReadonlyMap<string, LoadedElection>,
): Promise<number> {
  await forEachLimit(
    data.pledges,
    concurrency,
    async (p) => {
      await graph.send('TOWN_OFFICER', RECORD_PLEDGE, {
        input: {
          personId: ids.person(p.personKey),
          kind: p.kind,
          orgUnitId: ids.unit(p.unitCode),
          orgUnitCode: p.unitCode,
          ...(p.electionKey ? { electionId: elections.get(p.electionKey)!.id } : { cycleId }),
          signedOn: p.signedOn,
        },
      });
    },
    progress('pledges (recordPledge)', data.pledges.length),
  );
  return data.pledges.length;
}
