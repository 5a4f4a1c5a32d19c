import type { ImportLine } from '@huanjie/personnel';
import type { SeedData } from '../generate/types';
import { csvFile, uploadCsv } from './ndjson-upload';
import type { Progress } from './progress';

/**
 * The org tree and the register of people in one CSV file (services/personnel/IMPORT.md), POSTed
 * to personnel's /import: each row gets the checks of createOrgUnit / registerPerson, its audit
 * record and its PersonRegistered event, many units to a transaction.
 */

// prettier-ignore
const HEADER = [
  'type', 'code', 'name', 'kind', 'orgUnitCode', 'idNumber', 'ethnicity', 'education', 'politicalStatus', 'partyJoinedOn',
  'professionalBackgrounds', 'sourceTags', 'reserve', 'reserveSince', 'phone',
] as const;

export function registerCsv(data: SeedData): Buffer {
  const rows: (string | null)[][] = [[...HEADER]];
  for (const u of data.units) rows.push(['ORG_UNIT', u.code, u.name, u.kind, ...HEADER.slice(4).map(() => '')]);
  for (const p of data.people) {
    // prettier-ignore
    rows.push([
      'PERSON', '', p.name, '', p.unitCode, p.idNumber, p.ethnicity, p.education, p.politicalStatus, p.partyJoinedOn,
      p.professionalBackgrounds.join(';'), p.sourceTags.join(';'), p.reserve ? 'true' : 'false', p.reserveSince, p.phone,
    ]);
  }
  return csvFile(rows);
}

/** personnel's NDJSON answer (services/personnel/IMPORT.md). */
type ImportSummary = Extract<ImportLine, { type: 'summary' }>;

export interface RegisterResult {
  rows: number;
  orgUnits: number;
  people: number;
  /** Units already there (the province and city of a stack that holds the demo data). */
  skippedOrgUnits: number;
  serverSeconds: number;
}

export async function importRegister(
  url: string,
  token: string,
  data: SeedData,
  progressLine: (label: string, total: number) => Progress,
): Promise<RegisterResult> {
  const csv = registerCsv(data);
  const rows = data.units.length + data.people.length;
  const progress = progressLine('register (personnel /import)', rows);
  let done = 0;
  const lines = await uploadCsv<ImportLine>(url, token, csv, (line) => {
    if (line.type === 'progress') {
      progress.tick(line.done - done);
      done = line.done;
    }
  });
  const summary = lines.find((l): l is ImportSummary => l.type === 'summary');
  const problems = lines.filter(
    (l) => l.type === 'error' || l.type === 'fatal' || (l.type === 'skipped' && l.rule !== 'ORG_UNIT.CODE_UNIQUE'),
  );
  if (!summary || !summary.complete || problems.length > 0 || summary.imported.people !== data.people.length) {
    const first = problems.slice(0, 5).map((l) => JSON.stringify(l));
    throw new Error(`the register import did not take every row: ${JSON.stringify(summary)}; first problems:\n  ${first.join('\n  ')}`);
  }
  return {
    rows: summary.rows,
    orgUnits: summary.imported.orgUnits,
    people: summary.imported.people,
    skippedOrgUnits: summary.skipped.orgUnits,
    serverSeconds: summary.durationMs / 1000,
  };
}
