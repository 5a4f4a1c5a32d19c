import type { LoadContext } from './context';
import { ADVANCE_ELECTION, type LoadedElection } from './elections';
import { csvFile, uploadCsv } from './ndjson-upload';

/**
 * The pilot units' villagers'/residents' elections move on to voter registration: each roll goes as
 * one CSV file to elections' /voters/import (services/elections/VOTER-IMPORT.md, as `npm run
 * import:voters` sends it), then the list is put up (publishVoterList).
 */
const PUBLISH = `mutation SeedPublishVoters($input: PublishVoterListInput!) { publishVoterList(input: $input) { registeredCount } }`;

interface VoterSummary {
  type: 'summary';
  lines: number;
  registered: number;
  skipped: number;
  rejected: number;
  complete: boolean;
}
type VoterLine = VoterSummary | { type: 'progress' | 'rejected' | 'skipped' | 'fatal'; line?: number; rule?: string; message?: string };

export async function loadVoterRolls(
  { graph, data, progress: progressLine }: LoadContext,
  elections: ReadonlyMap<string, LoadedElection>,
  importUrl: string,
): Promise<{ rolls: number; voters: number }> {
  const rolls = data.elections.filter((e) => e.stage === 'VOTER_REGISTRATION');
  const progress = progressLine(
    'voter rolls (elections /voters/import)',
    rolls.reduce((n, e) => n + e.voters.length, 0),
  );
  let voters = 0;
  // One roll at a time: each is a single streamed COPY in elections.
  for (const e of rolls) {
    const id = elections.get(e.key)!.id;
    await graph.send('TOWN_OFFICER', ADVANCE_ELECTION, { id, event: 'OPEN_VOTER_REGISTRATION' });
    const csv = csvFile([
      ['姓名', '身份证号', '户号', '登记依据', '居住起始日期', '同意日期'],
      ...e.voters.map((v) => [v.name, v.idNumber, v.household, v.basis, v.residentSince, v.approvedOn]),
    ]);
    const url = new URL(importUrl);
    url.searchParams.set('election', id);
    const lines = await uploadCsv<VoterLine>(url.toString(), await graph.token('ORG_ADMIN'), csv);
    const summary = lines.find((l): l is VoterSummary => l.type === 'summary');
    if (!summary?.complete || summary.registered !== e.voters.length) {
      const problems = lines.filter((l) => l.type === 'rejected' || l.type === 'fatal').slice(0, 5);
      throw new Error(`the roll of ${e.unitCode} was not taken whole: ${JSON.stringify(summary)}; ${JSON.stringify(problems)}`);
    }
    await graph.send('ORG_ADMIN', PUBLISH, { input: { electionId: id, publishedOn: e.voterListPublishedOn } });
    voters += summary.registered;
    progress.tick(e.voters.length);
  }
  return { rolls: rolls.length, voters };
}
