import { badInput } from '@huanjie/platform';

/** The columns of a voter file (VOTER-IMPORT.md): an English name and the Chinese headings people write. */
export const VOTER_COLUMNS = {
  name: ['name', '姓名', '选民姓名'],
  idNumber: ['idnumber', '身份证号', '身份证号码', '公民身份号码', '身份证'],
  household: ['household', '户号', '户别', '家庭户号', '所在户'],
  basis: ['basis', '登记依据', '登记类型', '选民类别', '类别'],
  residentSince: ['residentsince', '居住起始日期', '居住开始日期', '来本村居住日期'],
  approvedOn: ['approvedon', '同意日期', '会议同意日期', '村民会议同意日期', '居民会议同意日期'],
} as const;
export type VoterColumn = keyof typeof VOTER_COLUMNS;
const REQUIRED: readonly VoterColumn[] = ['name', 'idNumber', 'household', 'basis'];
/** Headings of columns kept for people, not for the import. */
const IGNORED = new Set(['', '序号', '备注', 'no', '#', 'remark', 'remarks', 'note', 'notes']);

const normalise = (heading: string) => heading.replace(/[\s_-]+/g, '').toLowerCase();

const HEADING_TO_COLUMN = new Map<string, VoterColumn>();
for (const [column, headings] of Object.entries(VOTER_COLUMNS) as [VoterColumn, readonly string[]][]) {
  for (const h of headings) HEADING_TO_COLUMN.set(normalise(h), column);
}

/** Where each column sits in a row (-1: absent), and how many fields a row may have. */
export type VoterHeader = Record<VoterColumn, number> & { width: number };

/** Reads line 1; refuses the file (400) for an unknown, repeated or missing heading. */
export function readVoterHeader(fields: readonly string[]): VoterHeader {
  const header = { name: -1, idNumber: -1, household: -1, basis: -1, residentSince: -1, approvedOn: -1, width: fields.length } as VoterHeader;
  fields.forEach((raw, index) => {
    const heading = normalise(raw);
    if (IGNORED.has(heading)) return;
    const column = HEADING_TO_COLUMN.get(heading);
    if (!column) {
      throw badInput(
        'IMPORT.HEADER_UNKNOWN',
        `line 1, column ${index + 1}: unknown heading ${JSON.stringify(raw.slice(0, 40))}; the columns are ${Object.keys(VOTER_COLUMNS).join(', ')} (or their Chinese headings, VOTER-IMPORT.md)`,
        { line: 1 },
      );
    }
    if (header[column] !== -1) throw badInput('IMPORT.HEADER_REPEATED', `line 1: column ${column} appears twice (columns ${header[column] + 1} and ${index + 1})`, { line: 1 });
    header[column] = index;
  });
  const missing = REQUIRED.filter((c) => header[c] === -1);
  if (missing.length > 0) {
    throw badInput('IMPORT.HEADER_MISSING', `line 1 must name the columns ${REQUIRED.join(', ')}; missing: ${missing.join(', ')}`, { line: 1 });
  }
  return header;
}
