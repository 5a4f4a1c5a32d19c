import { badInput } from '@huanjie/platform';
import { ORG_UNIT_KINDS, type OrgUnitKind } from './org-unit.rules';
import { EDUCATION_LEVELS, POLITICAL_STATUSES, PROFESSIONAL_BACKGROUNDS, SOURCE_TAGS } from './person.rules';

/**
 * The columns of an import file (services/personnel/IMPORT.md). Each is known by its English
 * name (the GraphQL field's) and by the Chinese heading an organisation department's spreadsheet
 * uses; either works, in any order and letter case.
 */
export const IMPORT_COLUMNS = {
  type: ['类型', '记录类型'],
  // Not 单位代码: in a sheet of people that reads as the person's unit (orgUnitCode).
  code: ['行政区划代码', '区划代码'],
  name: ['名称', '姓名'],
  kind: ['层级', '单位层级'],
  orgUnitCode: ['所在单位代码', '所在单位行政区划代码'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码'],
  gender: ['性别'],
  birthDate: ['出生日期'],
  ethnicity: ['民族'],
  education: ['学历'],
  politicalStatus: ['政治面貌'],
  partyJoinedOn: ['入党时间'],
  professionalBackgrounds: ['专业背景'],
  sourceTags: ['人员来源'],
  reserve: ['后备干部'],
  reserveSince: ['入库时间'],
  reserveOrgUnitCode: ['后备干部所属单位代码'],
  phone: ['手机号', '手机号码', '联系电话'],
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMNS;
export type RowType = 'ORG_UNIT' | 'PERSON';

/** Columns each kind of row needs in the header. */
export const REQUIRED_COLUMNS: Record<RowType, readonly ImportColumn[]> = {
  ORG_UNIT: ['code', 'name', 'kind'],
  PERSON: ['orgUnitCode', 'name', 'idNumber', 'ethnicity', 'education', 'politicalStatus'],
};

/** Spreadsheet bookkeeping columns that carry nothing to import: skipped instead of refused. */
const IGNORED_HEADINGS = new Set(['', '序号', '备注', 'no', '#', 'remark', 'remarks', 'note', 'notes']);

/** orgUnitCode, org_unit_code, OrgUnitCode and "org unit code" are one heading. */
const headingKey = (heading: string) => heading.replace(/[\s_-]/g, '').toLowerCase();

const COLUMN_BY_HEADING = new Map<string, ImportColumn>(
  (Object.entries(IMPORT_COLUMNS) as [ImportColumn, readonly string[]][]).flatMap(([column, aliases]) =>
    [column, ...aliases].map((heading) => [headingKey(heading), column] as const),
  ),
);

export interface ImportHeader {
  /** The column of each field position; null for an ignored one. */
  positions: (ImportColumn | null)[];
  present: ReadonlySet<ImportColumn>;
  /** The type of every row when the file has no `type` column: people if it has idNumber, else org units. */
  impliedType: RowType | null;
}

/**
 * Reads the header row. Unknown headings refuse the file rather than being dropped, so a
 * misspelt `phnoe` cannot silently lose every phone number; a heading that holds digits is not
 * quoted back, since a file without a header row would start with someone's ID number.
 */
export function readHeader(fields: readonly string[]): ImportHeader {
  const positions: (ImportColumn | null)[] = [];
  const present = new Set<ImportColumn>();
  const unknown: string[] = [];
  fields.forEach((raw, i) => {
    const heading = raw.trim();
    const key = headingKey(heading);
    const column = COLUMN_BY_HEADING.get(key);
    if (column === undefined) {
      positions.push(null);
      if (!IGNORED_HEADINGS.has(key)) unknown.push(/\d/.test(heading) ? `column ${i + 1}` : JSON.stringify(heading));
      return;
    }
    if (present.has(column)) throw badInput('IMPORT.HEADER_DUPLICATE', `line 1: the column ${column} appears twice`, { line: 1 });
    present.add(column);
    positions.push(column);
  });
  if (unknown.length > 0) {
    throw badInput(
      'IMPORT.HEADER_UNKNOWN',
      `line 1 must be the header row; unknown column heading(s) ${unknown.join(', ')}. Known: ${Object.keys(IMPORT_COLUMNS).join(', ')} ` +
        '(or their Chinese headings, see IMPORT.md)',
      { line: 1 },
    );
  }
  let impliedType: RowType | null = null;
  if (!present.has('type')) {
    impliedType = present.has('idNumber') ? 'PERSON' : present.has('kind') ? 'ORG_UNIT' : null;
    if (impliedType === null) {
      throw badInput('IMPORT.HEADER_TYPE', 'line 1: without a type column the header must show what the rows are: kind for org units, idNumber for people', {
        line: 1,
      });
    }
    requireColumns({ positions, present, impliedType }, impliedType);
  }
  return { positions, present, impliedType };
}

/** Refuses the file when the header lacks a column that rows of this type need. */
export function requireColumns(header: ImportHeader, type: RowType): void {
  const missing = REQUIRED_COLUMNS[type].filter((c) => !header.present.has(c));
  if (missing.length > 0) {
    const what = type === 'PERSON' ? 'people' : 'org units';
    throw badInput('IMPORT.HEADER_MISSING', `line 1: a file of ${what} needs the column(s) ${missing.join(', ')}`, { line: 1 });
  }
}

/** A problem with one row: the rule it breaks, in the terms of the GraphQL errors. */
export interface RowIssue {
  code: 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';
  rule: string;
  message: string;
}

export interface ImportRow {
  line: number;
  /** null when the type cell could not be read (the row then has an issue). */
  type: RowType | null;
  /** Trimmed cells by column; absent columns read as ''. */
  cells: Partial<Record<ImportColumn, string>>;
  issue?: RowIssue;
}

const TYPE_LABELS: Record<RowType, readonly string[]> = { ORG_UNIT: ['UNIT', '单位', '组织单元'], PERSON: ['PEOPLE', '人员'] };

/** One data record as a row; null for a blank line. Cells are trimmed; quoting has already been undone. */
export function readRow(header: ImportHeader, record: { line: number; fields: string[]; malformed?: true }): ImportRow | null {
  const { line, fields } = record;
  if (fields.every((f) => f.trim() === '')) return null;
  const cells: Partial<Record<ImportColumn, string>> = {};
  header.positions.forEach((column, i) => {
    if (column !== null) cells[column] = (fields[i] ?? '').trim();
  });
  const row: ImportRow = { line, type: header.impliedType, cells };
  const issue = (rule: string, message: string): ImportRow => ({ ...row, issue: { code: 'BAD_USER_INPUT', rule, message } });
  if (record.malformed) return issue('IMPORT.CSV_QUOTE', 'a closing double quote must be followed by a comma or the end of the line (write "" for a quote inside a quoted field)');
  // Spreadsheets pad rows with empty cells; only a shorter row, or text beyond the header, is misaligned.
  if (fields.length < header.positions.length || fields.slice(header.positions.length).some((f) => f.trim() !== '')) {
    return issue('IMPORT.FIELD_COUNT', `the row has ${fields.length} fields, the header ${header.positions.length}`);
  }
  if (header.impliedType === null) {
    const type = enumValue(cells.type ?? '', ['ORG_UNIT', 'PERSON'] as const, TYPE_LABELS);
    if (type === null) return { ...issue('IMPORT.TYPE', 'type must be ORG_UNIT (单位) or PERSON (人员)'), type: null };
    row.type = type;
  }
  return row;
}

const KIND_LABELS: Partial<Record<OrgUnitKind, readonly string[]>> = {
  PROVINCE: ['省', '自治区', '直辖市'],
  CITY: ['市', '地级市', '州', '盟'],
  DISTRICT: ['区', '市辖区'],
  COUNTY: ['县', '旗', '县级市'],
  TOWN: ['镇', '乡', '乡镇'],
  SUBDISTRICT: ['街道'],
  VILLAGE: ['村'],
  COMMUNITY: ['社区'],
};
const EDUCATION_LABELS = {
  PRIMARY: ['小学', '小学及以下'],
  JUNIOR_SECONDARY: ['初中'],
  SENIOR_SECONDARY: ['高中', '中专', '高中/中专', '中技', '职高'],
  COLLEGE: ['大专', '专科'],
  BACHELOR: ['本科', '大学本科'],
  MASTER: ['硕士', '研究生'],
  DOCTORATE: ['博士'],
};
const POLITICAL_STATUS_LABELS = {
  PARTY_MEMBER: ['中共党员', '党员'],
  PROBATIONARY_MEMBER: ['中共预备党员', '预备党员'],
  LEAGUE_MEMBER: ['共青团员', '团员'],
  DEMOCRATIC_PARTY: ['民主党派'],
  MASSES: ['群众'],
};
const GENDER_LABELS = { MALE: ['男'], FEMALE: ['女'] };
const BACKGROUND_LABELS = {
  PLANNING_CONSTRUCTION: ['规划建设'],
  SOCIAL_GOVERNANCE: ['社会治理'],
  MODERN_AGRICULTURE: ['现代农业'],
  RURAL_TOURISM: ['乡村旅游'],
  E_COMMERCE: ['电子商务'],
  LAW: ['法律'],
  FINANCE: ['财会'],
  EDUCATION: ['教育'],
  HEALTH: ['医疗卫生'],
  OTHER: ['其他'],
};
const SOURCE_TAG_LABELS = {
  RETURNING_GRADUATE: ['返乡大学生'],
  VETERAN: ['退役军人'],
  ENTREPRENEUR: ['致富能手', '创业者', '致富能手/创业者'],
  SOCIAL_ORGANISATION_LEADER: ['社会组织负责人'],
  GRID_WORKER: ['网格员'],
  MIGRANT_RETURNEE: ['返乡农民工'],
  OTHER: ['其他'],
};

/** A value by its enum name (any case) or its Chinese term; null when it is neither. */
function enumValue<T extends string>(raw: string, values: readonly T[], labels: Partial<Record<T, readonly string[]>>): T | null {
  const upper = raw.toUpperCase();
  return values.find((v) => v === upper || labels[v]?.includes(raw) || labels[v]?.includes(upper)) ?? null;
}

function enumCell<T extends string>(column: ImportColumn, raw: string, values: readonly T[], labels: Partial<Record<T, readonly string[]>>): T {
  if (raw === '') throw badInput('IMPORT.REQUIRED', `${column} is empty`);
  const value = enumValue(raw, values, labels);
  if (value === null) {
    throw badInput(
      'IMPORT.ENUM_VALUE',
      `${column} must be one of ${values.map((v) => `${v}${labels[v] ? ` (${labels[v][0]})` : ''}`).join(', ')}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export const kindCell = (raw: string) => enumCell('kind', raw, ORG_UNIT_KINDS, KIND_LABELS);
export const educationCell = (raw: string) => enumCell('education', raw, EDUCATION_LEVELS, EDUCATION_LABELS);
export const politicalStatusCell = (raw: string) => enumCell('politicalStatus', raw, POLITICAL_STATUSES, POLITICAL_STATUS_LABELS);
export const genderCell = (raw: string) => (raw === '' ? null : enumCell('gender', raw, ['MALE', 'FEMALE'] as const, GENDER_LABELS));

/** A set in one cell, separated by ; 、 | or commas (ASCII or full-width). */
function listCell<T extends string>(column: ImportColumn, raw: string, values: readonly T[], labels: Partial<Record<T, readonly string[]>>): T[] {
  return raw
    .split(/[;；、|,，]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => enumCell(column, part, values, labels));
}
export const backgroundsCell = (raw: string) => listCell('professionalBackgrounds', raw, PROFESSIONAL_BACKGROUNDS, BACKGROUND_LABELS);
export const sourceTagsCell = (raw: string) => listCell('sourceTags', raw, SOURCE_TAGS, SOURCE_TAG_LABELS);

/** 后备干部: yes/no in the forms spreadsheets use; empty is no. */
export function reserveCell(raw: string): boolean {
  const value = raw.toLowerCase();
  if (['', 'false', 'no', 'n', '0', '否'].includes(value)) return false;
  if (['true', 'yes', 'y', '1', '是'].includes(value)) return true;
  throw badInput('IMPORT.BOOLEAN', `reserve must be true or false (是/否), got ${JSON.stringify(raw)}`);
}

/** An optional cell: empty means not given. */
export const optional = (raw: string | undefined) => (raw === undefined || raw === '' ? null : raw);
