import {
  buildClientSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ACCESS } from '../src/access';
import { ADMIN, DISCIPLINE, DISTRICT, NATIONWIDE, OTHER_REGION, TRAINER, VILLAGE, idNumber, type Caller, type World } from './world';

// The hostile-input corpus as data. Every entry is one HTTP request to the gateway and the error
// codes it may be answered with; `refused` entries must change no database.

export type Category =
  | 'wrong-type'
  | 'missing-argument'
  | 'unknown-field'
  | 'null-required'
  | 'unknown-enum'
  | 'invalid-id'
  | 'sql-injection'
  | 'script-injection'
  | 'huge-string'
  | 'invalid-code'
  | 'invalid-id-number'
  | 'illegal-transition'
  | 'duplicate'
  | 'deep-query'
  | 'alias-flood'
  | 'oversized-body'
  | 'malformed-request'
  | 'authentication'
  | 'other-region'
  | 'wrong-role';

export type TokenSpec = { kind: 'caller'; who: Caller } | { kind: 'none' } | { kind: 'expired' } | { kind: 'wrong-key' } | { kind: 'raw'; value: string };

export interface CorpusEntry {
  name: string;
  category: Category;
  query?: string;
  variables?: Record<string, unknown>;
  /** A raw body instead of { query, variables } (malformed JSON, oversized bodies). */
  rawBody?: string;
  token: TokenSpec;
  /** Any of these codes is acceptable for every error of the response. */
  expected: string[];
  /** The exact HTTP status, where it is fixed (401, 413); otherwise anything below 500. */
  status?: number;
  /** For queries answered by the data-layer rule: a null result instead of an error is correct. */
  nullIsRefusal?: boolean;
  /**
   * A defect found by this corpus and not fixed here: the entry still must change nothing and
   * leak nothing, but its status and code are reported instead of failing the run.
   */
  knownDefect?: string;
  /** A read that may answer normally (e.g. a search for an SQL string finds nothing); never a write. */
  mayAccept?: boolean;
}

export const VALIDATION = ['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'];
export const INPUT = ['BAD_USER_INPUT'];
export const INPUT_OR_MISSING = ['BAD_USER_INPUT', 'NOT_FOUND'];

const SQL = ["'; DROP TABLE person; --", "' OR 1=1 --", "1; DELETE FROM audit_log WHERE true; --", "x' UNION SELECT id_number FROM person --"];
const SCRIPT = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const HUGE = 'A'.repeat(100 * 1024);
const INVALID_UUIDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '123', '', ' '];
const INVALID_CODES = ['51010701800', '5101070180031', '51010701800X', '５１０１０７０１８００３', '-51010701800'];

export function schemaFrom(introspection: IntrospectionQuery): GraphQLSchema {
  return buildClientSchema(introspection);
}

const isCodeField = (name: string) => /^(code|regionCode|orgUnitCode|parentCode)$/.test(name);
const isDateField = (name: string) => /(On|Day|Date|From|To|At|Since|Until)$/.test(name) || /^(from|to|since|until)$/.test(name);

/** A plausible value for an input field, pointing at the seeded world where the name says what it is. */
function sample(type: GraphQLInputType, name: string, world: World): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [sample(nullable.ofType, name.replace(/s$/, ''), world)];
  if (isInputObjectType(nullable)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) out[field.name] = sample(field.type, field.name, world);
    }
    return out;
  }
  if (isEnumType(nullable)) return nullable.getValues()[0]!.value;
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'ID': {
        const ids: Record<string, string> = {
          electionId: world.electionId,
          candidateId: world.candidates[0]!,
          personId: world.people[0]!,
          subjectPersonId: world.people[0]!,
          orgUnitId: world.villageId,
          reviewId: world.reviewId,
          complaintId: world.complaintId,
          courseId: world.courseId,
          sessionId: world.sessionId,
          cycleId: world.cycleId,
          id: world.people[0]!,
        };
        return ids[name] ?? '3f1b2c4d-0000-4000-8000-000000000001';
      }
      case 'String':
        if (isCodeField(name)) return VILLAGE;
        if (name === 'idNumber') return world.idNumbers[0];
        if (isDateField(name)) return '2026-03-20';
        return '测试';
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return false;
      default:
        return 'x';
    }
  }
  return null;
}

interface FieldPath {
  path: string[];
  type: GraphQLInputType;
  required: boolean;
}

/** The scalar and enum leaves of a mutation's arguments (through input objects, not lists). */
function leaves(field: GraphQLField<unknown, unknown>): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (type: GraphQLInputType, path: string[], required: boolean, depth: number) => {
    const nullable = getNullableType(type);
    if (isInputObjectType(nullable)) {
      if (depth > 3) return;
      for (const f of Object.values(nullable.getFields())) walk(f.type, [...path, f.name], required && isNonNullType(f.type) && f.defaultValue === undefined, depth + 1);
    } else if (!isListType(nullable)) {
      out.push({ path, type, required });
    }
  };
  for (const arg of field.args) walk(arg.type, [arg.name], isNonNullType(arg.type), 0);
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
  return copy;
}

function mutationDocument(field: GraphQLField<unknown, unknown>): string {
  const defs = field.args.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = getNamedType(field.type).name && /Object|Interface/.test(getNamedType(field.type).constructor.name) ? ' { __typename }' : '';
  return field.args.length ? `mutation Hostile(${defs}) { ${field.name}(${args})${selection} }` : `mutation Hostile { ${field.name}${selection} }`;
}

/** Who may call a mutation in principle, so that a refusal is about the input, not the role. */
function callerFor(name: string): Caller {
  if (/Complaint|Investigation|Sanction/.test(name)) return DISCIPLINE;
  if (/Course|Session|HeadCount|enrol|Enrolment|Attendance|Mentor/.test(name)) return TRAINER;
  // Otherwise the nationwide ORG_ADMIN, unless the access table gives the mutation to others only.
  const roles = ACCESS[name]?.roles ?? ['ORG_ADMIN'];
  if (roles.includes('ORG_ADMIN')) return ADMIN;
  const role = roles[0]!;
  return { roles: [role], region: DISTRICT, user: `${role.toLowerCase()}-corpus`, ...(role === 'REVIEWER' ? { department: 'DISCIPLINE' } : {}) };
}

/** One family per mutation of the supergraph, generated from its argument types. */
export function generatedEntries(schema: GraphQLSchema, world: World): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const mutations = Object.values(schema.getMutationType()!.getFields()).sort((a, b) => a.name.localeCompare(b.name));
  for (const field of mutations) {
    if (field.args.length === 0) continue; // runComplaintEscalation: no input to spoil
    const query = mutationDocument(field);
    const who = callerFor(field.name);
    const token: TokenSpec = { kind: 'caller', who };
    const valid: Record<string, unknown> = {};
    for (const arg of field.args) if (isNonNullType(arg.type)) valid[arg.name] = sample(arg.type, arg.name, world);
    const add = (category: Category, what: string, variables: Record<string, unknown>, expected: string[], q = query) =>
      entries.push({ name: `${field.name}: ${what}`, category, query: q, variables, token, expected });

    // Refused by the gateway before any subgraph is asked.
    const firstArg = field.args[0]!;
    // (an ID takes a number as its string form, so an ID argument gets a boolean instead)
    const wrong = getNamedType(firstArg.type).name === 'ID' ? true : 42;
    add('wrong-type', `${firstArg.name} as ${typeof wrong === 'boolean' ? 'a boolean' : 'a number'}`, { ...valid, [firstArg.name]: wrong }, VALIDATION);
    add('wrong-type', `${firstArg.name} as a list of strings`, { ...valid, [firstArg.name]: ['a', 'b'] }, VALIDATION);
    add('missing-argument', 'arguments left out of the document', {}, VALIDATION, `mutation Hostile { ${field.name}${query.includes('__typename') ? ' { __typename }' : ''} }`);
    add('null-required', `${firstArg.name} null`, { ...valid, [firstArg.name]: null }, VALIDATION);
    if (isInputObjectType(getNullableType(firstArg.type))) {
      add('unknown-field', 'an undeclared input field', { ...valid, [firstArg.name]: { ...(valid[firstArg.name] as object), isAdmin: true, ['__proto__']: { polluted: true } } }, VALIDATION);
    }
    const all = leaves(field);
    const enumLeaf = all.find((l) => isEnumType(getNullableType(l.type)));
    if (enumLeaf) {
      add('unknown-enum', `${enumLeaf.path.join('.')} = NOT_A_VALUE`, setPath(valid, enumLeaf.path, 'NOT_A_VALUE'), VALIDATION);
      add('unknown-enum', `${enumLeaf.path.join('.')} = lower case`, setPath(valid, enumLeaf.path, String(sample(enumLeaf.type, '', world)).toLowerCase()), VALIDATION);
    }
    const intLeaf = all.find((l) => ['Int', 'Float'].includes(getNamedType(l.type).name));
    if (intLeaf) {
      add('wrong-type', `${intLeaf.path.join('.')} as a string`, setPath(valid, intLeaf.path, '12'), VALIDATION);
      if (getNamedType(intLeaf.type).name === 'Int') add('wrong-type', `${intLeaf.path.join('.')} beyond 32 bits`, setPath(valid, intLeaf.path, 2 ** 40), VALIDATION);
    }
    const stringLeaf = all.find((l) => getNamedType(l.type).name === 'String');
    if (stringLeaf) add('wrong-type', `${stringLeaf.path.join('.')} as an object`, setPath(valid, stringLeaf.path, { $gt: '' }), VALIDATION);
    const boolLeaf = all.find((l) => getNamedType(l.type).name === 'Boolean');
    if (boolLeaf) add('wrong-type', `${boolLeaf.path.join('.')} as "true"`, setPath(valid, boolLeaf.path, 'true'), VALIDATION);

    // Reach the resolvers: one leaf spoiled, the rest pointing at the seeded world.
    const idLeaves = all.filter((l) => l.required && getNamedType(l.type).name === 'ID');
    for (const [i, leaf] of idLeaves.entries()) {
      const values = i === 0 ? [...INVALID_UUIDS, ...SQL.slice(0, 2), SCRIPT[0]!, HUGE] : ['not-a-uuid', SQL[0]!];
      for (const value of values) {
        const category: Category = SQL.includes(value) ? 'sql-injection' : SCRIPT.includes(value) ? 'script-injection' : value === HUGE ? 'huge-string' : 'invalid-id';
        add(category, `${leaf.path.join('.')} = ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? `… (${value.length} chars)` : ''}`, setPath(valid, leaf.path, value), INPUT_OR_MISSING);
      }
    }
    const codeLeaves = all.filter((l) => l.required && getNamedType(l.type).name === 'String' && isCodeField(l.path.at(-1)!));
    for (const leaf of codeLeaves) {
      for (const value of [...INVALID_CODES, SQL[1]!]) {
        add(SQL.includes(value) ? 'sql-injection' : 'invalid-code', `${leaf.path.join('.')} = ${JSON.stringify(value)}`, setPath(valid, leaf.path, value), INPUT_OR_MISSING);
      }
    }
  }
  return entries;
}

function deepOrgUnit(depth: number): string {
  let inner = 'id';
  for (let i = 0; i < depth - 1; i++) inner = `parent { ${inner} }`;
  return `query Deep { orgUnitByCode(code: "${VILLAGE}") { ${inner} } }`;
}


/** Entries written by hand: the seeded world's transitions, duplicates, limits and tokens. */
export function handWrittenEntries(world: World): CorpusEntry[] {
  const e: CorpusEntry[] = [];
  const admin: TokenSpec = { kind: 'caller', who: ADMIN };
  const discipline: TokenSpec = { kind: 'caller', who: DISCIPLINE };

  // Invalid GB 11643 numbers on registerPerson (otherwise valid input).
  const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
  const good = idNumber('51010719900101123');
  const badIds: [string, string][] = [
    ['bad checksum', good.slice(0, 17) + (good[17] === '0' ? '1' : '0')],
    ['bad checksum (X)', good.slice(0, 17) + (good[17] === 'X' ? '1' : 'X')],
    ['month 13', idNumber('51010719901301123')],
    ['day 32', idNumber('51010719900132123')],
    ['30 February', idNumber('51010719900230123')],
    ['29 February of a common year', idNumber('51010719010229123')],
    ['born 1899', idNumber('51010718991231123')],
    ['17 digits', good.slice(0, 17)],
    ['19 digits', good + '1'],
    ['letters', 'ABCDEFGHIJKLMNOPQR'],
    ['X in the middle', '5101071990X101123' + good[17]],
    ['15-digit old format', '510107900101123'],
    ['empty', ''],
    ['spaces inside', good.slice(0, 9) + ' ' + good.slice(9, 17)],
    ['SQL', SQL[0]!],
    ['SQL tautology', SQL[1]!],
    ['script', SCRIPT[0]!],
    ['100 KB', HUGE],
    ['full-width digits', '５１０１０７１９９００１０１１２３' + good[17]],
    ['negative', '-' + good.slice(1)],
  ];
  for (const [what, value] of badIds) {
    e.push({ name: `registerPerson: ID number ${what}`, category: 'invalid-id-number', query: REGISTER, variables: { input: { ...world.personInput, idNumber: value, name: '赵九' } }, token: admin, expected: INPUT });
  }

  // Invalid 12-digit codes where a code names a new thing.
  const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`;
  for (const code of ['51010701800', '5101070180031', '51010701800X', ' 510107018009', '510107018009\n', SQL[0]!, SCRIPT[0]!, HUGE, '', '000000000000']) {
    e.push({ name: `createOrgUnit: code ${JSON.stringify(code.slice(0, 30))}`, category: code === HUGE ? 'huge-string' : SQL.includes(code) ? 'sql-injection' : SCRIPT.includes(code) ? 'script-injection' : 'invalid-code', query: CREATE_UNIT, variables: { input: { code, name: '新村', kind: 'VILLAGE' } }, token: admin, expected: [...INPUT_OR_MISSING, 'CONFLICT'] });
  }
  // Queries with hostile arguments: a typed error or null, never a 500.
  for (const value of [...SQL, ...SCRIPT, HUGE, 'not-a-uuid']) {
    e.push({ name: `person(id: ${JSON.stringify(value.slice(0, 30))})`, category: SQL.includes(value) ? 'sql-injection' : SCRIPT.includes(value) ? 'script-injection' : value === HUGE ? 'huge-string' : 'invalid-id', query: `query($id: ID!) { person(id: $id) { id name } }`, variables: { id: value }, token: admin, expected: INPUT_OR_MISSING, nullIsRefusal: true });
    e.push({ name: `orgUnitByCode(code: ${JSON.stringify(value.slice(0, 30))})`, category: SQL.includes(value) ? 'sql-injection' : SCRIPT.includes(value) ? 'script-injection' : value === HUGE ? 'huge-string' : 'invalid-code', query: `query($code: String!) { orgUnitByCode(code: $code) { id } }`, variables: { code: value }, token: admin, expected: INPUT_OR_MISSING, nullIsRefusal: true });
    e.push({ name: `searchOrgUnits(name: ${JSON.stringify(value.slice(0, 30))})`, category: SQL.includes(value) ? 'sql-injection' : SCRIPT.includes(value) ? 'script-injection' : value === HUGE ? 'huge-string' : 'invalid-id', query: `query($name: String!) { searchOrgUnits(name: $name, first: 5) { edges { node { id } } } }`, variables: { name: value }, token: admin, expected: INPUT, mayAccept: true });
  }

  // Illegal transitions on the seeded election (NOMINATING), complaint (RECEIVED) and review (OPEN).
  const ADVANCE = `mutation($id: ID!, $event: ProceduralEvent!) { advanceElection(input: { electionId: $id, event: $event }) { id status } }`;
  for (const event of ['OPEN_NOMINATIONS', 'OPEN_VOTER_REGISTRATION', 'SCHEDULE', 'OPEN_POLLS']) {
    e.push({ name: `advanceElection NOMINATING → ${event}`, category: 'illegal-transition', query: ADVANCE, variables: { id: world.electionId, event }, token: admin, expected: ['CONFLICT'] });
  }
  for (const event of ['RECORD_TALLY', 'CERTIFY', 'VOID', 'FAIL']) {
    e.push({ name: `advanceElection with internal event ${event}`, category: 'unknown-enum', query: ADVANCE, variables: { id: world.electionId, event }, token: admin, expected: VALIDATION });
  }
  e.push({ name: 'closeCount on a NOMINATING election', category: 'illegal-transition', query: `mutation($id: ID!) { closeCount(input: { electionId: $id }) { id } }`, variables: { id: world.electionId }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'certifyElection on a NOMINATING election', category: 'illegal-transition', query: `mutation($id: ID!) { certifyElection(input: { electionId: $id }) { id } }`, variables: { id: world.electionId }, token: admin, expected: ['CONFLICT'] });
  e.push({
    name: 'enterTallySheet on a NOMINATING election',
    category: 'illegal-transition',
    query: `mutation($input: EnterTallySheetInput!) { enterTallySheet(input: $input) { id } }`,
    variables: { input: { electionId: world.electionId, boxCode: 'A', ballotsIssued: 10, ballotsReturned: 10, ballotsInvalid: 0, votes: [{ candidateId: world.candidates[0], votes: 10 }] } },
    token: { kind: 'caller', who: { roles: ['TOWN_OFFICER'], region: VILLAGE.slice(0, 6) + '000000', user: 'clerk-a' } },
    expected: ['CONFLICT'],
  });
  const step = (mutation: string, input: string, extra: Record<string, unknown> = {}) => `mutation($input: ${input}!) { ${mutation}(input: $input) { id status } }` + (extra ? '' : '');
  const complaintSteps: [string, string, Record<string, unknown>][] = [
    ['startInvestigation', 'ComplaintStepInput', {}],
    ['substantiateComplaint', 'SubstantiateComplaintInput', { reason: '查实' }],
    ['unsubstantiateComplaint', 'ComplaintReasonInput', { reason: '查否' }],
    ['closeComplaint', 'CloseComplaintInput', { resolution: '办结' }],
    ['extendComplaintDeadline', 'ExtendDeadlineInput', { days: 5, reason: '延期' }],
  ];
  for (const [mutation, input, extra] of complaintSteps) {
    e.push({ name: `${mutation} on a RECEIVED complaint`, category: 'illegal-transition', query: step(mutation, input), variables: { input: { complaintId: world.complaintId, ...extra } }, token: discipline, expected: ['CONFLICT', 'BAD_USER_INPUT'] });
  }
  e.push({ name: 'mergeComplaint into itself', category: 'illegal-transition', query: step('mergeComplaint', 'MergeComplaintInput'), variables: { input: { complaintId: world.complaintId, intoComplaintId: world.complaintId, reason: '重复' } }, token: discipline, expected: ['CONFLICT', 'BAD_USER_INPUT'] });
  e.push({ name: 'advanceReviewLevel with no opinions', category: 'illegal-transition', query: `mutation($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { id } }`, variables: { id: world.reviewId }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'reopenReview on an OPEN review', category: 'illegal-transition', query: `mutation($id: ID!) { reopenReview(input: { reviewId: $id, reason: "复核" }) { id } }`, variables: { id: world.reviewId }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'concludeReview CLEARED with no opinions', category: 'illegal-transition', query: `mutation($id: ID!) { concludeReview(input: { reviewId: $id, outcome: CLEARED }) { id } }`, variables: { id: world.reviewId }, token: admin, expected: ['CONFLICT', 'BAD_USER_INPUT'] });

  // Duplicate submissions: the seed made each of these once.
  e.push({ name: 'createOrgUnit again with the same code', category: 'duplicate', query: CREATE_UNIT, variables: { input: world.orgUnitInput }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'registerPerson again with the same ID number', category: 'duplicate', query: REGISTER, variables: { input: world.personInput }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'registerPerson again, the ID number in lower-case x / padded', category: 'duplicate', query: REGISTER, variables: { input: { ...world.personInput, idNumber: ` ${String(world.personInput.idNumber).toLowerCase()} ` } }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'createElection again for the same unit, committee and cycle', category: 'duplicate', query: `mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`, variables: { input: world.electionInput }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'nominateCandidate again for the same person', category: 'duplicate', query: `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`, variables: { input: world.nominationInput }, token: admin, expected: ['CONFLICT'] });
  e.push({ name: 'openReview again for the same candidate', category: 'duplicate', query: `mutation($input: OpenReviewInput!) { openReview(input: $input) { id } }`, variables: { input: world.reviewInput }, token: admin, expected: ['CONFLICT'] });

  // Deep queries (limit 12) and alias floods (limit 30).
  for (const depth of [13, 14, 20, 50, 200]) {
    e.push({ name: `depth ${depth}`, category: 'deep-query', query: deepOrgUnit(depth), token: admin, expected: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  }
  const fragments = `fragment A on OrgUnit { parent { parent { parent { id } } } } fragment B on OrgUnit { parent { parent { parent { ...A } } } } fragment C on OrgUnit { parent { parent { parent { ...B } } } }`;
  e.push({ name: 'depth 13 through fragments', category: 'deep-query', query: `query { orgUnitByCode(code: "${VILLAGE}") { parent { parent { parent { ...C } } } } } ${fragments}`, token: admin, expected: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  e.push({ name: 'depth 13 through inline fragments', category: 'deep-query', query: deepOrgUnit(13).replace('parent {', '... on OrgUnit { parent {') + ' }', token: admin, expected: ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'], status: 400 });
  e.push({ name: 'recursive fragments', category: 'deep-query', query: `query { orgUnitByCode(code: "${VILLAGE}") { ...R } } fragment R on OrgUnit { parent { ...R } }`, token: admin, expected: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  for (const n of [31, 50, 200, 2000]) {
    const body = Array.from({ length: n }, (_, i) => `a${i}: orgUnitByCode(code: "${VILLAGE}") { id }`).join(' ');
    e.push({ name: `${n} aliases`, category: 'alias-flood', query: `query { ${body} }`, token: admin, expected: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  }
  e.push({ name: '31 aliases of __typename', category: 'alias-flood', query: `query { ${Array.from({ length: 31 }, (_, i) => `t${i}: __typename`).join(' ')} }`, token: admin, expected: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  e.push({ name: '31 aliased createOrgUnit mutations', category: 'alias-flood', query: `mutation { ${Array.from({ length: 31 }, (_, i) => `m${i}: createOrgUnit(input: { code: "5101070180${String(50 + i)}", name: "批量${i}", kind: VILLAGE }) { id }`).join(' ')} }`, token: admin, expected: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });

  // Oversized bodies (limit 256 KiB): refused with 413 before anything else.
  for (const kib of [257, 300, 1024, 4096]) {
    e.push({ name: `${kib} KiB body`, category: 'oversized-body', rawBody: JSON.stringify({ query: `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, variables: { input: { code: '510107018077', name: 'N'.repeat(kib * 1024), kind: 'VILLAGE' } } }), token: admin, expected: ['BAD_REQUEST'], status: 413 });
  }
  e.push({ name: '300 KiB of whitespace in the query', category: 'oversized-body', rawBody: JSON.stringify({ query: `{${' '.repeat(300 * 1024)}__typename }` }), token: admin, expected: ['BAD_REQUEST'], status: 413 });

  // Malformed requests.
  for (const [what, rawBody] of [
    ['not JSON', '{"query": "{ __typename }"'],
    ['JSON but not an object', '[1, 2, 3]'],
    ['query as a number', '{"query": 42}'],
    ['no query', '{"variables": {}}'],
    ['variables as a string', JSON.stringify({ query: 'query($id: ID!) { person(id: $id) { id } }', variables: 'id=1' })],
    ['a syntax error', JSON.stringify({ query: 'mutation { createOrgUnit(input: { code: "1" ' })],
    ['an unknown field', JSON.stringify({ query: '{ dropAllTables }' })],
    ['two operations, no name', JSON.stringify({ query: 'query A { __typename } query B { __typename }' })],
    ['an unknown operation name', JSON.stringify({ query: 'query A { __typename }', operationName: 'B' })],
    ['a subscription', JSON.stringify({ query: 'subscription { complaintReceived { id } }' })],
  ] as const) {
    e.push({
      name: `malformed: ${what}`,
      category: 'malformed-request',
      rawBody,
      token: admin,
      expected: ['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE'],
    });
  }

  // Tokens: none, expired, signed with another key, garbage, unsigned.
  const targets: [string, string, Record<string, unknown>][] = [
    ['createOrgUnit', CREATE_UNIT, { input: { code: '510107018088', name: '新村', kind: 'VILLAGE' } }],
    ['advanceElection', ADVANCE, { id: world.electionId, event: 'START_VETTING' }],
    ['acceptComplaint', step('acceptComplaint', 'ComplaintStepInput'), { input: { complaintId: world.complaintId } }],
    ['person', `query($id: ID!) { person(id: $id) { name } }`, { id: world.people[0] }],
  ];
  const header = (obj: object) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  const unsigned = `${header({ alg: 'none', typ: 'JWT' })}.${header({ sub: 'x', roles: ['ORG_ADMIN'], region: NATIONWIDE, iss: 'huanjie', aud: 'huanjie', exp: 4102444800 })}.`;
  const tokens: [string, TokenSpec][] = [
    ['no token', { kind: 'none' }],
    ['an expired token', { kind: 'expired' }],
    ['a token signed with another key', { kind: 'wrong-key' }],
    ['a garbage token', { kind: 'raw', value: 'Bearer not.a.jwt' }],
    ['an unsigned (alg none) token', { kind: 'raw', value: `Bearer ${unsigned}` }],
    ['a Basic header', { kind: 'raw', value: 'Basic YWRtaW46YWRtaW4=' }],
  ];
  for (const [target, query, variables] of targets) {
    for (const [what, token] of tokens) {
      e.push({ name: `${target} with ${what}`, category: 'authentication', query, variables, token, expected: ['UNAUTHENTICATED'], status: 401 });
    }
  }

  // Another region's token: the data-layer rule hides or refuses.
  const shenzhen: TokenSpec = { kind: 'caller', who: { roles: ['ORG_ADMIN'], region: OTHER_REGION, user: 'sz-admin' } };
  const shenzhenDiscipline: TokenSpec = { kind: 'caller', who: { roles: ['DISCIPLINE'], region: OTHER_REGION, user: 'sz-jw' } };
  const regionRefusal = ['FORBIDDEN', 'NOT_FOUND'];
  e.push({ name: 'other region: advanceElection', category: 'other-region', query: ADVANCE, variables: { id: world.electionId, event: 'START_VETTING' }, token: shenzhen, expected: regionRefusal });
  e.push({ name: 'other region: nominateCandidate', category: 'other-region', query: `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`, variables: { input: { ...world.nominationInput, personId: world.people[2] } }, token: shenzhen, expected: regionRefusal });
  e.push({ name: 'other region: createOrgUnit under 武侯区', category: 'other-region', query: CREATE_UNIT, variables: { input: { code: '510107018099', name: '外区村', kind: 'VILLAGE' } }, token: shenzhen, expected: regionRefusal });
  e.push({ name: 'other region: registerPerson in 七里社区', category: 'other-region', query: REGISTER, variables: { input: { ...world.personInput, idNumber: idNumber('51010719850101003'), name: '外区人' } }, token: shenzhen, expected: regionRefusal });
  e.push({ name: 'other region: updatePerson', category: 'other-region', query: `mutation($id: ID!) { updatePerson(id: $id, input: { name: "改名" }) { id } }`, variables: { id: world.people[0] }, token: shenzhen, expected: regionRefusal });
  e.push({ name: 'other region: acceptComplaint', category: 'other-region', query: step('acceptComplaint', 'ComplaintStepInput'), variables: { input: { complaintId: world.complaintId } }, token: shenzhenDiscipline, expected: regionRefusal });
  e.push({ name: 'other region: receiveComplaint about 七里社区', category: 'other-region', query: `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }`, variables: { input: world.complaintInput }, token: shenzhenDiscipline, expected: regionRefusal });
  e.push({ name: 'other region: recordOpinion', category: 'other-region', query: `mutation($id: ID!) { recordOpinion(input: { reviewId: $id, department: PUBLIC_SECURITY, decision: CLEAR }) { id } }`, variables: { id: world.reviewId }, token: { kind: 'caller', who: { roles: ['REVIEWER'], region: OTHER_REGION, department: 'PUBLIC_SECURITY' } }, expected: [...regionRefusal, 'BAD_USER_INPUT'] });
  e.push({ name: 'other region: scheduleSession of the course', category: 'other-region', query: `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`, variables: { input: { courseId: world.courseId, startsOn: '2026-04-01', endsOn: '2026-04-01', online: true, mode: 'HEAD_COUNT', trainer: 'x', regionCode: OTHER_REGION } }, token: { kind: 'caller', who: { roles: ['TRAINER'], region: OTHER_REGION } }, expected: regionRefusal });
  for (const [what, query, id] of [
    ['person', `query($id: ID!) { person(id: $id) { name } }`, world.people[0]],
    ['election', `query($id: ID!) { election(id: $id) { status } }`, world.electionId],
    ['complaint', `query($id: ID!) { complaint(id: $id) { status } }`, world.complaintId],
    ['review', `query($id: ID!) { review(id: $id) { status } }`, world.reviewId],
    ['course', `query($id: ID!) { course(id: $id) { name } }`, world.courseId],
  ] as const) {
    e.push({ name: `other region: ${what}(id) reads null`, category: 'other-region', query, variables: { id }, token: what === 'complaint' ? shenzhenDiscipline : shenzhen, expected: regionRefusal, nullIsRefusal: true });
  }

  // Roles: a read-only auditor and a trainer try to change things.
  const auditor: TokenSpec = { kind: 'caller', who: { roles: ['AUDITOR'] } };
  for (const [target, query, variables] of targets.slice(0, 3)) {
    e.push({ name: `AUDITOR: ${target}`, category: 'wrong-role', query, variables, token: auditor, expected: ['FORBIDDEN'] });
  }
  e.push({ name: 'TRAINER: createElectionCycle', category: 'wrong-role', query: `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`, variables: { input: { name: 'x', regionCode: '510107000000', termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' } }, token: { kind: 'caller', who: TRAINER }, expected: ['FORBIDDEN'] });
  e.push({ name: 'REVIEWER: opinion for another department', category: 'wrong-role', query: `mutation($id: ID!) { recordOpinion(input: { reviewId: $id, department: COURT, decision: CLEAR }) { id } }`, variables: { id: world.reviewId }, token: { kind: 'caller', who: { roles: ['REVIEWER'], department: 'PUBLIC_SECURITY' } }, expected: ['FORBIDDEN', 'BAD_USER_INPUT'] });
  return e;
}
