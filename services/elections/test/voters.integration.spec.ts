import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createLogger, createPiiCipher, generatePiiKeys, nationalIdCheckChar, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, type GraphQLResponse, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { rulesFor } from '../src/domain/election-rules.data';
import type { VoterImportLine } from '../src/import/voter-import.route';

// Every log line at every level is kept, to prove no ID number reaches the log.
const logLines: string[] = [];
const logger = createLogger({
  name: 'elections-voters-test',
  level: 'trace',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});
/** Every ID number used here, and every answer the service gave, for the "never echoed" checks. */
const secrets = new Set<string>();
const answers: string[] = [];

/** A valid GB 11643 number: 武侯区 address code, the birth date, a sequence number. */
function idNumber(birth: string, seq: number, area = '510107'): string {
  const first17 = `${area}${birth.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  const id = `${first17}${nationalIdCheckChar(first17)}`;
  secrets.add(id);
  return id;
}
/** The same number with a wrong check character. */
const badChecksum = (id: string) => {
  const wrong = `${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}`;
  secrets.add(wrong);
  return wrong;
};

const WUHOU = '51.5101.510107';
const village = (n: number) => `${WUHOU}.510107001.510107001${String(200 + n).padStart(3, '0')}`;
const unitCode = (n: number) => `510107001${String(200 + n).padStart(3, '0')}`;
const ELECTION_DAY = '2026-05-20';

let sut: ServiceUnderTest;
let dataSource: DataSource;
let url: string;
let importUrl: string;
let cycleId: string;
let otherCycleId: string;
let unitSeq = 0;

async function insertCycle(name: string): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO election_cycle (id, name, region_code, region_path, term_years, starts_on, ends_on) VALUES ($1, $2, '510100000000', '51.5101', 5, '2026-01-01', '2026-12-31')`,
    [id, name],
  );
  return id;
}

/** An election row written directly: these tests do not depend on the election commands. */
async function insertElection(options: { kind?: 'PARTY' | 'VILLAGERS' | 'RESIDENTS'; status?: string; day?: string; cycle?: string } = {}) {
  const id = randomUUID();
  const n = ++unitSeq;
  const kind = options.kind ?? 'VILLAGERS';
  await dataSource.query(
    `INSERT INTO election (id, cycle_id, org_unit_id, org_unit_code, region_path, committee_kind, party_org_form, seats, seat_total, election_day, method, law_version, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '{"DIRECTOR":1,"MEMBER":4}', 5, $8, 'DIRECT', 'VCOL-2026', $9)`,
    [id, options.cycle ?? cycleId, randomUUID(), unitCode(n), village(n), kind, kind === 'PARTY' ? 'BRANCH' : null, options.day ?? ELECTION_DAY, options.status ?? 'VOTER_REGISTRATION'],
  );
  return id;
}

const gql = async <T>(query: string, variables: Record<string, unknown>, roles: Role[] = ['TOWN_OFFICER'], region = '510107000000') => {
  const res = await graphqlPost<T>(url, { query, variables, token: await sut.token(roles, region) });
  answers.push(JSON.stringify(res.errors ?? []), JSON.stringify(res.data ?? null));
  return res;
};
const ruleOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.rule;
const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(sql, params))[0].n);
/** The tally's own question, exactly as the election commands ask it. */
const registeredVoters = (electionId: string) => count(`SELECT count(*) AS n FROM voter WHERE election_id = $1 AND removed_at IS NULL`, [electionId]);

const REGISTER = `mutation($input: RegisterVoterInput!) {
  registerVoter(input: $input) { id electionId name idNumberMasked household basis birthDate residentSince approvedOn removedAt }
}`;
const register = (electionId: string, id: string, extra: Record<string, unknown> = {}) =>
  gql<{ registerVoter: Record<string, unknown> }>(REGISTER, { input: { electionId, name: '张三', idNumber: id, household: '1组01号', basis: 'HUKOU_RESIDENT', ...extra } });

beforeAll(async () => {
  const pii = createPiiCipher(generatePiiKeys());
  sut = await startServiceUnderTest({ name: 'elections_voters', migrations, logger, create: (deps) => createServer({ ...deps, pii, voterImport: { progressEvery: 5000 } }) });
  ({ dataSource, url } = sut);
  importUrl = url.replace(/\/graphql$/, '/voters/import');
  cycleId = await insertCycle('2026年村(社区)两委换届');
  otherCycleId = await insertCycle('另一周期');
});

afterAll(async () => {
  await sut?.stop();
});

describe('registerVoter', () => {
  it('registers a voter with the masked number only, audited without the number', async () => {
    const electionId = await insertElection();
    const id = idNumber('1980-03-15', 11);
    const res = await register(electionId, id);
    expect(res.errors).toBeUndefined();
    const voter = res.data!.registerVoter;
    expect(voter).toMatchObject({ electionId, name: '张三', household: '1组01号', basis: 'HUKOU_RESIDENT', birthDate: '1980-03-15', removedAt: null });
    expect(voter.idNumberMasked).toBe(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    const [row] = await dataSource.query(`SELECT to_jsonb(v) AS j FROM voter v WHERE id = $1`, [voter.id]);
    expect(JSON.stringify(row.j)).not.toContain(id);
    expect(row.j.id_blind_index).toMatch(/^[0-9a-f]{64}$/);
    const audit = await dataSource.query(`SELECT action, after FROM audit_log WHERE entity_id = $1`, [voter.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0].action).toBe('registerVoter');
    expect(JSON.stringify(audit[0].after)).not.toContain(id);
    expect(JSON.stringify(audit[0].after)).not.toContain(row.j.id_blind_index);
    expect(await registeredVoters(electionId)).toBe(1);
  });

  it('refuses a person who is 17 on election day, and takes one who turns 18 that day', async () => {
    const electionId = await insertElection();
    const seventeen = await register(electionId, idNumber('2008-05-21', 12)); // 18 on the day after
    expect(errorCodes(seventeen)).toEqual(['BAD_USER_INPUT']);
    expect(ruleOf(seventeen)).toBe('VOTER.AGE');
    expect(seventeen.errors![0]!.message).toContain('18 full years old on election day 2026-05-20');
    const eighteen = await register(electionId, idNumber('2008-05-20', 13));
    expect(eighteen.errors).toBeUndefined();
  });

  it('refuses a number that fails the GB 11643 check character, without quoting it', async () => {
    const electionId = await insertElection();
    const bad = badChecksum(idNumber('1975-01-02', 14));
    const res = await register(electionId, bad);
    expect(ruleOf(res)).toBe('PERSON.ID_NUMBER_CHECKSUM');
    expect(res.errors![0]!.message).not.toContain(bad);
  });

  it('registers a person once per cycle, across the elections of the cycle, and again in another cycle', async () => {
    const first = await insertElection();
    const second = await insertElection({ kind: 'RESIDENTS' });
    const id = idNumber('1969-07-07', 15);
    expect((await register(first, id)).errors).toBeUndefined();
    const again = await register(second, id);
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(ruleOf(again)).toBe('VOTER.ONE_PER_CYCLE');
    expect(again.errors![0]!.message).toContain(`unit ${unitCode(unitSeq - 1)}`);
    const same = await register(first, id);
    expect(ruleOf(same)).toBe('VOTER.ALREADY_ON_ROLL');
    const otherCycle = await insertElection({ cycle: otherCycleId });
    expect((await register(otherCycle, id)).errors).toBeUndefined();
  });

  it('refuses a Party election, which has no voter roll', async () => {
    const electionId = await insertElection({ kind: 'PARTY' });
    const res = await register(electionId, idNumber('1970-01-01', 16));
    expect(ruleOf(res)).toBe('VOTER.PARTY_NO_ROLL');
    const roll = await gql(`query($id: ID!) { voterRoll(electionId: $id) { id } }`, { id: electionId });
    expect(ruleOf(roll)).toBe('VOTER.PARTY_NO_ROLL');
  });

  it('refuses registration once the election is SCHEDULED, naming the status', async () => {
    const electionId = await insertElection({ status: 'SCHEDULED' });
    const res = await register(electionId, idNumber('1970-01-01', 17));
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(ruleOf(res)).toBe('VOTER.REGISTRATION_CLOSED');
    expect(res.errors![0]!.message).toContain('this election is SCHEDULED');
    expect(await registeredVoters(electionId)).toBe(0);
  });

  it('checks the non-hukou facts: a year of residence by election day and the meeting’s consent', async () => {
    const electionId = await insertElection();
    const extra = { basis: 'NON_HUKOU_RESIDENT', residentSince: '2025-05-21', approvedOn: '2026-04-01' };
    expect(ruleOf(await register(electionId, idNumber('1990-02-02', 18), extra))).toBe('VOTER.RESIDENCE_PERIOD');
    const ok = await register(electionId, idNumber('1990-02-02', 19), { ...extra, residentSince: '2025-05-20' });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.registerVoter).toMatchObject({ basis: 'NON_HUKOU_RESIDENT', residentSince: '2025-05-20', approvedOn: '2026-04-01' });
  });

  it('keeps elections outside the caller’s region out of reach', async () => {
    const electionId = await insertElection();
    const res = await gql(REGISTER, { input: { electionId, name: '李四', idNumber: idNumber('1970-01-01', 20), household: '1', basis: 'HUKOU' } }, ['TOWN_OFFICER'], '510104000000');
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });
});

describe('publishVoterList', () => {
  const PUBLISH = `mutation($input: PublishVoterListInput!) { publishVoterList(input: $input) { id publishedOn publishBy registeredCount } }`;

  it('refuses a list published fewer days ahead than the rules’ lead time, and records one published in time', async () => {
    const electionId = await insertElection();
    await register(electionId, idNumber('1960-06-06', 21));
    const lead = rulesFor('VILLAGERS', ELECTION_DAY).voterListLeadDays.value!;
    const day = (offset: number) => new Date(Date.parse(`${ELECTION_DAY}T00:00:00Z`) - offset * 86_400_000).toISOString().slice(0, 10);
    const late = await gql(PUBLISH, { input: { electionId, publishedOn: day(lead - 1) } });
    expect(ruleOf(late)).toBe('RULES.VOTER_LIST_LEAD_TIME');
    const onTime = await gql<{ publishVoterList: unknown }>(PUBLISH, { input: { electionId, publishedOn: day(lead) } });
    expect(onTime.errors).toBeUndefined();
    expect(onTime.data!.publishVoterList).toEqual({ id: electionId, publishedOn: day(lead), publishBy: day(lead), registeredCount: 1 });
    const [audit] = await dataSource.query(`SELECT before, after FROM audit_log WHERE action = 'publishVoterList' AND entity_id = $1`, [electionId]);
    expect(audit).toEqual({ before: { publishedOn: null }, after: { publishedOn: day(lead), voters: 1 } });
  });

  it('publishes only while the election is VOTER_REGISTRATION', async () => {
    const electionId = await insertElection({ status: 'VETTING' });
    await register(electionId, idNumber('1960-06-06', 22));
    const res = await gql(PUBLISH, { input: { electionId, publishedOn: '2026-04-01' } });
    expect(ruleOf(res)).toBe('VOTER.PUBLISH_STATUS');
  });
});

describe('objections', () => {
  const FILE = `mutation($input: FileVoterObjectionInput!) { fileVoterObjection(input: $input) { id kind status voter { id } proposed { name idNumberMasked } } }`;
  const DECIDE = `mutation($input: DecideVoterObjectionInput!) {
    decideVoterObjection(input: $input) { id status decisionNote voter { id removedAt removalReason } registeredVoter { id name idNumberMasked } }
  }`;
  let electionId: string;
  let voterIds: string[];

  beforeAll(async () => {
    electionId = await insertElection();
    voterIds = [];
    for (let i = 0; i < 3; i++) voterIds.push(((await register(electionId, idNumber('1971-04-04', 30 + i))).data!.registerVoter.id as string));
    await dataSource.query(`UPDATE election SET voter_list_published_on = '2026-04-20' WHERE id = $1`, [electionId]);
  });

  it('takes a wrongly listed voter off the roll when upheld, keeping the row', async () => {
    const filed = await gql<{ fileVoterObjection: { id: string; status: string } }>(FILE, {
      input: { electionId, kind: 'WRONGLY_LISTED', voterId: voterIds[0], reason: '已迁出本村' },
    });
    expect(filed.errors).toBeUndefined();
    expect(filed.data!.fileVoterObjection.status).toBe('OPEN');
    const decided = await gql<{ decideVoterObjection: { status: string; voter: { removedAt: string | null; removalReason: string } } }>(DECIDE, {
      input: { objectionId: filed.data!.fileVoterObjection.id, decision: 'UPHELD', note: '核实属实' },
    });
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.decideVoterObjection.status).toBe('UPHELD');
    expect(decided.data!.decideVoterObjection.voter.removedAt).not.toBeNull();
    expect(decided.data!.decideVoterObjection.voter.removalReason).toContain('核实属实');
    expect(await registeredVoters(electionId)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM voter WHERE election_id = $1`, [electionId])).toBe(3);
    const twice = await gql(DECIDE, { input: { objectionId: filed.data!.fileVoterObjection.id, decision: 'DISMISSED', note: '再议' } });
    expect(ruleOf(twice)).toBe('VOTER.OBJECTION_DECIDED');
  });

  it('changes nothing when dismissed', async () => {
    const filed = await gql<{ fileVoterObjection: { id: string } }>(FILE, { input: { electionId, kind: 'WRONGLY_LISTED', voterId: voterIds[1], reason: '不是本村人' } });
    const decided = await gql<{ decideVoterObjection: { status: string; voter: { removedAt: null } } }>(DECIDE, {
      input: { objectionId: filed.data!.fileVoterObjection.id, decision: 'DISMISSED', note: '户籍在本村' },
    });
    expect(decided.data!.decideVoterObjection).toMatchObject({ status: 'DISMISSED', voter: { removedAt: null } });
    expect(await registeredVoters(electionId)).toBe(2);
  });

  it('registers a missing person when upheld, from the details given at filing (never the number itself)', async () => {
    const id = idNumber('1985-09-09', 40);
    const filed = await gql<{ fileVoterObjection: { id: string; proposed: { name: string; idNumberMasked: string } } }>(FILE, {
      input: { electionId, kind: 'MISSING', reason: '漏登', person: { name: '王五', idNumber: id, household: '2组03号', basis: 'HUKOU' } },
    });
    expect(filed.errors).toBeUndefined();
    expect(filed.data!.fileVoterObjection.proposed).toEqual({ name: '王五', idNumberMasked: `${id.slice(0, 4)}**********${id.slice(-4)}` });
    const [stored] = await dataSource.query(`SELECT proposed::text AS p FROM voter_objection WHERE id = $1`, [filed.data!.fileVoterObjection.id]);
    expect(stored.p).not.toContain(id);
    const decided = await gql<{ decideVoterObjection: { registeredVoter: { name: string } } }>(DECIDE, {
      input: { objectionId: filed.data!.fileVoterObjection.id, decision: 'UPHELD', note: '补登' },
    });
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.decideVoterObjection.registeredVoter.name).toBe('王五');
    expect(await registeredVoters(electionId)).toBe(3);
    // The person now has their registration in the cycle: registering them elsewhere is refused.
    expect(ruleOf(await register(await insertElection(), id))).toBe('VOTER.ONE_PER_CYCLE');
  });

  it('corrects a voter’s details when a DETAILS_WRONG objection is upheld', async () => {
    const filed = await gql<{ fileVoterObjection: { id: string } }>(FILE, {
      input: { electionId, kind: 'DETAILS_WRONG', voterId: voterIds[2], reason: '户号有误', correction: { household: '3组07号' } },
    });
    expect(filed.errors).toBeUndefined();
    await gql(DECIDE, { input: { objectionId: filed.data!.fileVoterObjection.id, decision: 'UPHELD', note: '更正' } });
    const [row] = await dataSource.query(`SELECT household FROM voter WHERE id = $1`, [voterIds[2]]);
    expect(row.household).toBe('3组07号');
  });

  it('refuses objections before the list is published', async () => {
    const unpublished = await insertElection();
    const res = await gql(FILE, { input: { electionId: unpublished, kind: 'MISSING', reason: '漏登', person: { name: '赵六', idNumber: idNumber('1980-01-01', 41), household: '1', basis: 'HUKOU' } } });
    expect(ruleOf(res)).toBe('VOTER.LIST_NOT_PUBLISHED');
  });
});

describe('the roll', () => {
  it('lists voters by household and name, masked, in pages, one statement per list however many rolls', async () => {
    const a = await insertElection();
    const b = await insertElection();
    for (let i = 0; i < 5; i++) await register(a, idNumber('1966-01-01', 50 + i), { household: `户${5 - i}`, name: `甲${i}` });
    for (let i = 0; i < 2; i++) await register(b, idNumber('1966-01-01', 60 + i), { household: '户1', name: `乙${i}` });
    const query = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on VoterRoll {
      id registeredCount voters(first: 2, after: $after) { nodes { name household idNumberMasked } pageInfo { hasNextPage endCursor } } } } }`;
    sut.counter.reset();
    const res = await gql<{ _entities: { registeredCount: number; voters: { nodes: { household: string; idNumberMasked: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }[] }>(
      query,
      { r: [{ __typename: 'VoterRoll', id: a }, { __typename: 'VoterRoll', id: b }] },
    );
    expect(res.errors).toBeUndefined();
    const [rollA, rollB] = res.data!._entities;
    expect(rollA!.registeredCount).toBe(5);
    expect(rollA!.voters.nodes.map((v) => v.household)).toEqual(['户1', '户2']);
    expect(rollA!.voters.pageInfo.hasNextPage).toBe(true);
    expect(rollB!.voters.nodes).toHaveLength(2);
    expect(rollA!.voters.nodes.every((v) => /^\d{4}\*{10}[\dX]{4}$/.test(v.idNumberMasked))).toBe(true);
    // One statement for the rolls, one for both pages of voters, one for both counts.
    // The relay and the consumers poll beside the request: only statements on the roll's tables count.
    const ours = sut.counter.queries.filter((q) => /\b(voter|election)\b/.test(q) && !/\b(outbox|inbox)\b/.test(q));
    expect(ours.filter((q) => /\bvoter\b/.test(q))).toHaveLength(2);
    expect(ours).toHaveLength(3);
    const next = await gql<typeof res.data>(query, { r: [{ __typename: 'VoterRoll', id: a }], after: rollA!.voters.pageInfo.endCursor });
    expect(next.data!._entities[0]!.voters.nodes.map((v) => v.household)).toEqual(['户3', '户4']);
    const outside = await gql<{ voterRoll: null }>(`query($id: ID!) { voterRoll(electionId: $id) { id } }`, { id: a }, ['AUDITOR'], '510104000000');
    expect(outside.data).toEqual({ voterRoll: null });
  });
});

// --- bulk import ---------------------------------------------------------------------------------

interface ImportAnswer {
  status: number;
  lines: VoterImportLine[];
  body: string;
}

async function postImport(electionId: string, body: string | Buffer, options: { roles?: Role[]; token?: string | null; contentType?: string } = {}): Promise<ImportAnswer> {
  const token = options.token === null ? null : (options.token ?? (await sut.token(options.roles ?? ['TOWN_OFFICER'], '510107000000')));
  const res = await fetch(`${importUrl}?election=${electionId}`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'text/csv; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  answers.push(text);
  const ndjson = res.headers.get('content-type')?.startsWith('application/x-ndjson');
  return { status: res.status, lines: ndjson ? text.trim().split('\n').map((l) => JSON.parse(l) as VoterImportLine) : [JSON.parse(text)], body: text };
}
const summaryOf = (a: ImportAnswer) => a.lines.find((l) => l.type === 'summary') as Extract<VoterImportLine, { type: 'summary' }>;
const rejectsOf = (a: ImportAnswer) => a.lines.flatMap((l) => (l.type === 'rejected' || l.type === 'skipped' ? [`${l.line} ${l.type} ${l.rule}`] : []));

describe('POST /voters/import', () => {
  it('registers the good lines and reports every bad one with its line and rule', async () => {
    const electionId = await insertElection();
    const elsewhere = await insertElection();
    const registeredElsewhere = idNumber('1977-07-07', 70);
    await register(elsewhere, registeredElsewhere);
    const dup = idNumber('1980-01-01', 71);
    const file = [
      '序号,姓名,身份证号,户号,登记依据,居住起始日期,同意日期', // line 1
      `1,刘一,${idNumber('1950-10-01', 72)},1组01号,户籍在本村且居住,,`, // 2 ok
      `2,陈二,${dup},1组01号,HUKOU,,`, // 3 ok
      `3,"Zhang, San",${idNumber('1990-12-31', 73)},1组02号,hukou_resident,,`, // 4 ok (quoted comma)
      `4,未成年,${idNumber('2009-01-01', 74)},1组02号,HUKOU,,`, // 5 age
      `5,校验错,${badChecksum(idNumber('1960-01-01', 75))},1组03号,HUKOU,,`, // 6 checksum
      `6,重复,${dup},1组04号,HUKOU,,`, // 7 duplicate of line 3
      `7,别处,${registeredElsewhere},1组05号,HUKOU,,`, // 8 registered in another election of the cycle
      `8,无依据,${idNumber('1960-01-01', 76)},1组06号,外来,,`, // 9 basis
      '', // 10 blank: skipped silently
      `9,,${idNumber('1960-01-01', 77)},1组07号,HUKOU,,`, // 11 name
      `10,外来户,${idNumber('1988-08-08', 78)},1组08号,非户籍,2020-01-01,2026-03-01`, // 12 ok
      `11,多列,${idNumber('1988-08-08', 79)},1组08号,HUKOU,,,extra`, // 13 field count
    ].join('\r\n');
    const answer = await postImport(electionId, file);
    expect(answer.status).toBe(200);
    expect(rejectsOf(answer)).toEqual([
      '5 rejected VOTER.AGE',
      '6 rejected PERSON.ID_NUMBER_CHECKSUM',
      '7 rejected VOTER.DUPLICATE_IN_FILE',
      '8 rejected VOTER.ONE_PER_CYCLE',
      '9 rejected VOTER.BASIS',
      '11 rejected VOTER.NAME',
      '13 rejected IMPORT.FIELD_COUNT',
    ]);
    const line7 = answer.lines.find((l) => l.type === 'rejected' && l.line === 7) as { message: string };
    expect(line7.message).toContain('as line 3');
    expect(summaryOf(answer)).toMatchObject({ lines: 11, registered: 4, skipped: 0, rejected: 7, complete: true });
    const names = (await dataSource.query(`SELECT name, basis FROM voter WHERE election_id = $1 ORDER BY household, name`, [electionId])) as { name: string }[];
    expect(names.map((n) => n.name)).toEqual(['刘一', '陈二', 'Zhang, San', '外来户']);
    expect(await registeredVoters(electionId)).toBe(4);
    const [audit] = await dataSource.query(`SELECT after FROM audit_log WHERE action = 'importVoters' AND entity_id = $1`, [electionId]);
    expect(audit.after).toMatchObject({ lines: 11, registered: 4, rejected: 7 });

    // The same file again: registered lines are skipped (not errors), nothing new.
    const again = await postImport(electionId, file);
    expect(summaryOf(again)).toMatchObject({ registered: 0, skipped: 4, rejected: 7 });
    expect(rejectsOf(again).filter((r) => r.includes('skipped'))).toEqual([
      '2 skipped VOTER.ALREADY_ON_ROLL',
      '3 skipped VOTER.ALREADY_ON_ROLL',
      '4 skipped VOTER.ALREADY_ON_ROLL',
      '12 skipped VOTER.ALREADY_ON_ROLL',
    ]);
    expect(await registeredVoters(electionId)).toBe(4);
  });

  it('refuses, with an HTTP status and nothing imported, what it cannot take', async () => {
    const electionId = await insertElection();
    const good = `name,idNumber,household,basis\n甲,${idNumber('1960-01-01', 80)},1,HUKOU\n`;
    expect((await postImport(electionId, good, { token: null })).status).toBe(401);
    expect((await postImport(electionId, good, { roles: ['AUDITOR'] })).status).toBe(403);
    expect((await postImport(electionId, good, { contentType: 'application/json' })).status).toBe(400);
    const unknownHeading = await postImport(electionId, `name,idNumber,household,basis,phnoe\n`);
    expect(unknownHeading.status).toBe(400);
    expect(JSON.stringify(unknownHeading.lines)).toContain('IMPORT.HEADER_UNKNOWN');
    expect((await postImport(electionId, 'name,idNumber\n')).status).toBe(400);
    expect((await postImport(randomUUID(), good)).status).toBe(404);
    const party = await postImport(await insertElection({ kind: 'PARTY' }), good);
    expect(party.status).toBe(400);
    expect(JSON.stringify(party.lines)).toContain('VOTER.PARTY_NO_ROLL');
    const scheduled = await postImport(await insertElection({ status: 'SCHEDULED' }), good);
    expect(scheduled.status).toBe(409);
    // Not UTF-8 (GBK 张三): refused, nothing imported.
    const gbk = Buffer.concat([Buffer.from(`name,idNumber,household,basis\n`), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(`,${idNumber('1960-01-01', 81)},1,HUKOU\n`)]);
    const notUtf8 = await postImport(electionId, gbk);
    // 400 when the bad bytes arrive with line 1; a fatal line of the stream when they come later.
    if (notUtf8.status === 200) expect(notUtf8.lines.at(-1)).toMatchObject({ type: 'fatal', rule: 'IMPORT.ENCODING' });
    else expect(notUtf8.status).toBe(400);
    expect(JSON.stringify(notUtf8.lines)).toContain('IMPORT.ENCODING');
    expect(await registeredVoters(electionId)).toBe(0);
  });

  it('streams a 20,000-line file through COPY, reporting progress', async () => {
    const electionId = await insertElection();
    const rows = ['姓名,身份证号,户号,登记依据'];
    const ids: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // 20 birth dates × 1,000 sequence numbers: 20,000 different people.
      const birth = new Date(Date.UTC(1960, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
      const first17 = `510107${birth}${String(i % 1000).padStart(3, '0')}`;
      ids.push(`${first17}${nationalIdCheckChar(first17)}`);
      rows.push(`选民${i},${ids[i]},${Math.floor(i / 4)}号,${i % 3 === 0 ? 'HUKOU' : 'HUKOU_RESIDENT'}`);
    }
    rows.push(`坏行,${badChecksum(ids[0]!)},9999号,HUKOU`);
    for (const id of ids.slice(0, 50)) secrets.add(id);
    const answer = await postImport(electionId, `${rows.join('\n')}\n`);
    expect(summaryOf(answer)).toMatchObject({ lines: 20_001, registered: 20_000, rejected: 1, complete: true });
    expect(rejectsOf(answer)).toEqual(['20002 rejected PERSON.ID_NUMBER_CHECKSUM']);
    expect(answer.lines.filter((l) => l.type === 'progress').length).toBeGreaterThanOrEqual(4);
    expect(answer.lines.some((l) => l.type === 'phase' && l.phase === 'committed')).toBe(true);
    expect(await registeredVoters(electionId)).toBe(20_000);
  });
});

describe('the voter table', () => {
  it('refuses a voter of an unknown election, or of another cycle than its election’s (the statement-level key)', async () => {
    const electionId = await insertElection();
    const insert = (election: string, cycle: string) =>
      dataSource.query(
        `INSERT INTO voter (election_id, cycle_id, region_path, name, id_blind_index, id_number_masked, household, basis, birth_date, registered_by)
         VALUES ($1, $2, $3, 'x', repeat('a', 64), 'x', 'x', 'HUKOU', '1970-01-01', 'test')`,
        [election, cycle, village(1)],
      );
    await expect(insert(randomUUID(), cycleId)).rejects.toMatchObject({ driverError: { code: '23503' } });
    await expect(insert(electionId, otherCycleId)).rejects.toMatchObject({ driverError: { code: '23503' } });
    const voterId = (await register(electionId, idNumber('1970-01-01', 90))).data!.registerVoter.id;
    const elsewhere = await insertElection();
    await expect(dataSource.query(`UPDATE voter SET election_id = $1 WHERE id = $2`, [elsewhere, voterId])).rejects.toMatchObject({ driverError: { code: '23503' } });
  });
});

describe('personal data', () => {
  it('never puts an ID number into an answer, an audit record or a log line', async () => {
    const audits = ((await dataSource.query(`SELECT before::text AS b, after::text AS a FROM audit_log`)) as { b: string | null; a: string | null }[])
      .map((r) => `${r.b ?? ''} ${r.a ?? ''}`)
      .join('\n');
    const logs = logLines.join('');
    const said = answers.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(audits).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(said).not.toContain(secret);
    }
  });
});
