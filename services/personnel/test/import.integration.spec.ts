import { request } from 'node:http';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createLogger, createPiiCipher, generatePiiKeys, nationalIdCheckChar, type Role } from '@huanjie/platform';
import { graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import type { ImportLine } from '../src/import/import.route';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;

// Every log line at every level is kept, to prove no ID number or phone reaches the log.
const logLines: string[] = [];
const logger = createLogger({
  name: 'personnel-import-test',
  level: 'trace',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});
/** Every response body of the file, for the same check. */
const responses: string[] = [];
/** Every ID number and phone the files carry. */
const secrets = new Set<string>();

let sut: ServiceUnderTest;
let dataSource: DataSource;
let importUrl: string;
const MAX_BYTES = 256 * 1024;

const HEADER = [
  'type', 'code', 'name', 'kind', 'orgUnitCode', 'idNumber', 'gender', 'ethnicity', 'education', 'politicalStatus', 'partyJoinedOn',
  'professionalBackgrounds', 'sourceTags', 'reserve', 'reserveSince', 'reserveOrgUnitCode', 'phone',
] as const;
type Cells = Partial<Record<(typeof HEADER)[number], string>>;

/** RFC 4180: quote a field holding a comma, a quote or a line break, doubling the quotes. */
const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
function csv(rows: Cells[]): string {
  return [HEADER.join(','), ...rows.map((r) => HEADER.map((h) => field(r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}
const unit = (code: string, name: string, kind: string): Cells => ({ type: 'ORG_UNIT', code, name, kind });
function person(orgUnitCode: string, name: string, idNumber: string, extra: Cells = {}): Cells {
  secrets.add(idNumber);
  if (extra.phone) secrets.add(extra.phone);
  return { type: 'PERSON', orgUnitCode, name, idNumber, ethnicity: '汉族', education: '大专', politicalStatus: '群众', ...extra };
}

interface ImportResponse {
  status: number;
  requestId: string | null;
  lines: ImportLine[];
  body: string;
}

async function postImport(body: string | Buffer, options: { roles?: Role[]; region?: string; token?: string | null; contentType?: string } = {}): Promise<ImportResponse> {
  const token = options.token === null ? null : (options.token ?? (await sut.token(options.roles ?? ['ORG_ADMIN'], options.region)));
  const res = await fetch(importUrl, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'text/csv; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  responses.push(text);
  const isNdjson = res.headers.get('content-type')?.startsWith('application/x-ndjson');
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    lines: isNdjson ? text.trim().split('\n').map((l) => JSON.parse(l) as ImportLine) : [JSON.parse(text)],
    body: text,
  };
}

const summaryOf = (r: ImportResponse) => r.lines.find((l) => l.type === 'summary') as Extract<ImportLine, { type: 'summary' }>;
const problems = (r: ImportResponse) =>
  r.lines.flatMap((l) => (l.type === 'error' || l.type === 'skipped' ? [`${l.line} ${l.type} ${l.rule}`] : []));
const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(sql, params))[0].n);
const peopleIn = (code: string) =>
  count(`SELECT count(*)::int AS n FROM person p JOIN org_unit u ON u.id = p.org_unit_id WHERE u.code = $1`, [code]);
const unitExists = async (code: string) => (await count(`SELECT count(*)::int AS n FROM org_unit WHERE code = $1`, [code])) === 1;

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'personnel_import',
    migrations,
    logger,
    // Small batches, so that even these files take several transactions.
    create: (deps) => createServer({ ...deps, pii: createPiiCipher(generatePiiKeys()), import: { maxBodyBytes: MAX_BYTES, batchRows: 4 } }),
  });
  dataSource = sut.dataSource;
  importUrl = sut.url.replace(/\/graphql$/, '/import');
  const token = await sut.token(['ORG_ADMIN']);
  for (const [code, name, kind] of [
    ['510000000000', '四川省', 'PROVINCE'],
    ['510100000000', '成都市', 'CITY'],
    ['510107000000', '武侯区', 'DISTRICT'],
    ['510108000000', '成华区', 'DISTRICT'],
  ]) {
    const res = await graphqlPost(sut.url, {
      query: 'mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }',
      variables: { input: { code, name, kind } },
      token,
    });
    expect(res.errors).toBeUndefined();
  }
});

afterAll(async () => {
  await sut?.stop();
});

const WANG = validId('51010719850923102');
const ZHANG = validId('51010719900101001');
const LI = validId('51010719920202004');
const GOOD_FILE = csv([
  unit('510107018000', '簇桥街道', '街道'),
  unit('510107018003', '七里社区', '社区'),
  person('510107018003', '王秀英', WANG, {
    gender: '女', education: '本科', politicalStatus: '中共党员', partyJoinedOn: '2010-07-01', professionalBackgrounds: '社会治理;法律',
    sourceTags: '网格员', reserve: '是', reserveSince: '2021-04-01', phone: '13812345678',
  }),
  person('510107018003', '张伟', ZHANG, { education: 'COLLEGE', politicalStatus: 'LEAGUE_MEMBER', reserve: 'true', reserveSince: '2021-04-01', reserveOrgUnitCode: '510107018000' }),
  unit('510107018201', '金星村', 'VILLAGE'),
  person('510107018201', '李娜', LI, { phone: '139 0000 1111' }),
]);

describe('POST /import', () => {
  let first: ImportResponse;

  it('imports units and people, streaming progress and a summary', async () => {
    first = await postImport(GOOD_FILE);
    expect(first.status).toBe(200);
    expect(problems(first)).toEqual([]);
    expect(summaryOf(first)).toMatchObject({
      rows: 6,
      imported: { orgUnits: 3, people: 3 },
      skipped: { orgUnits: 0, people: 0 },
      failed: { orgUnits: 0, people: 0, unknownType: 0 },
      complete: true,
      requestId: first.requestId,
    });
    const progress = first.lines.filter((l) => l.type === 'progress');
    expect(progress.length).toBeGreaterThan(2); // after the checks, then per batch
    expect(progress.at(-1)).toEqual({ type: 'progress', done: 6, total: 6 });
  });

  it('stores each person as registerPerson does: encrypted, masked, in the pool named, findable through the graph', async () => {
    const res = await graphqlPost<{ orgUnitByCode: { parent: { code: string }; people: { nodes: Record<string, unknown>[] } } }>(sut.url, {
      query: `{ orgUnitByCode(code: "510107018003") { parent { code } people { nodes {
        name gender birthDate idNumberMasked phoneMasked education politicalStatus partyJoinedOn professionalBackgrounds sourceTags
        reserve reserveSince reserveOrgUnit { code } } } } }`,
      token: await sut.token(['ORG_ADMIN']),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.orgUnitByCode.parent.code).toBe('510107018000');
    expect(res.data!.orgUnitByCode.people.nodes).toEqual([
      expect.objectContaining({ name: '张伟', reserveOrgUnit: { code: '510107018000' }, phoneMasked: null, politicalStatus: 'LEAGUE_MEMBER' }),
      {
        name: '王秀英', gender: 'FEMALE', birthDate: '1985-09-23', idNumberMasked: `5101**********${WANG.slice(-4)}`, phoneMasked: '138****5678',
        education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2010-07-01', professionalBackgrounds: ['SOCIAL_GOVERNANCE', 'LAW'],
        sourceTags: ['GRID_WORKER'], reserve: true, reserveSince: '2021-04-01', reserveOrgUnit: { code: '510107018003' },
      },
    ]);
    const [row] = await dataSource.query(`SELECT id_number_cipher, phone_cipher FROM person WHERE name = '王秀英'`);
    expect(`${row.id_number_cipher}${row.phone_cipher}`).not.toMatch(/13812345678|19850923/);
  });

  it('writes an audit record per unit and person, and one for the import, under the request id', async () => {
    const audit = await dataSource.query(`SELECT action, entity_type, after FROM audit_log WHERE request_id = $1 ORDER BY id`, [first.requestId]);
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual(
      ['createOrgUnit', 'createOrgUnit', 'createOrgUnit', 'importCsv', 'registerPerson', 'registerPerson', 'registerPerson'].sort(),
    );
    const wang = audit.find((a: { after: { name?: string } }) => a.after.name === '王秀英');
    expect(wang.after).toMatchObject({ idNumberMasked: `5101**********${WANG.slice(-4)}`, phoneMasked: '138****5678' });
    expect(JSON.stringify(audit)).not.toMatch(new RegExp([...secrets].join('|')));
    expect(audit.find((a: { action: string }) => a.action === 'importCsv').after).toMatchObject({ rows: 6, imported: { orgUnits: 3, people: 3 } });
  });

  it('records PersonRegistered per person in the outbox, and the relay publishes them', async () => {
    const events = await dataSource.query(
      `SELECT o.subject, o.payload FROM outbox o JOIN person p ON p.id::text = o.subject WHERE o.type = 'huanjie.personnel.PersonRegistered'`,
    );
    expect(events).toHaveLength(3);
    expect(events.map((e: { payload: { orgUnitCode: string } }) => e.payload.orgUnitCode).sort()).toEqual(['510107018003', '510107018003', '510107018201']);
    expect(JSON.stringify(events)).not.toMatch(new RegExp([...secrets].join('|')));
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)) === 0, {
      timeoutMs: 15_000,
      message: 'the relay publishes the imported people to Kafka',
    });
  });

  it('skips everything on a second run of the same file, and writes nothing but the import’s own audit record', async () => {
    const before = { people: await count('SELECT count(*)::int AS n FROM person'), outbox: await count('SELECT count(*)::int AS n FROM outbox') };
    const again = await postImport(GOOD_FILE);
    expect(summaryOf(again)).toMatchObject({ imported: { orgUnits: 0, people: 0 }, skipped: { orgUnits: 3, people: 3 }, failed: { orgUnits: 0, people: 0 } });
    expect(problems(again)).toEqual([
      '2 skipped ORG_UNIT.CODE_UNIQUE', '3 skipped ORG_UNIT.CODE_UNIQUE', '4 skipped PERSON.ID_NUMBER_UNIQUE',
      '5 skipped PERSON.ID_NUMBER_UNIQUE', '6 skipped ORG_UNIT.CODE_UNIQUE', '7 skipped PERSON.ID_NUMBER_UNIQUE',
    ]);
    expect(await count('SELECT count(*)::int AS n FROM person')).toBe(before.people);
    expect(await count('SELECT count(*)::int AS n FROM outbox')).toBe(before.outbox);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE request_id = $1`, [again.requestId])).toBe(1);
  });

  it('reports bad rows with their line and rule, holds back their whole unit, and still imports the good units', async () => {
    const badChecksum = validId('51010719800808001').slice(0, 17) + (validId('51010719800808001').endsWith('0') ? '1' : '0');
    const shifted = validId('51010719750505002'); // typed into the ethnicity column
    secrets.add(badChecksum).add(shifted).add('12345678901');
    const res = await postImport(
      csv([
        unit('510107018005', '锦城社区', 'COMMUNITY'),
        person('510107018005', '赵强', validId('51010719700101005')),
        person('510107018005', '钱芳', badChecksum),
        unit('510107018006', '双桥社区', 'COMMUNITY'),
        person('510107018006', '孙丽', validId('51010719880303006')),
        unit('510107018007', '新城社区', 'COMMUNITY'),
        { ...person('510107018007', '周杰', validId('51010719660606007')), ethnicity: shifted },
        person('510107018007', '吴敏', validId('51010719770707008'), { phone: '12345678901' }),
        person('510199001001', '郑涛', validId('51010719690909009')),
      ]),
    );
    expect(res.status).toBe(200);
    expect(problems(res)).toEqual([
      '2 error IMPORT.UNIT_INCOMPLETE',
      '3 error IMPORT.UNIT_INCOMPLETE',
      '4 error PERSON.ID_NUMBER_CHECKSUM',
      '7 error IMPORT.UNIT_INCOMPLETE',
      '8 error PERSON.ETHNICITY',
      '9 error PERSON.PHONE_FORMAT',
      '10 error ORG_UNIT.EXISTS',
    ]);
    const incomplete = res.lines.find((l) => l.type === 'error' && l.line === 2) as Extract<ImportLine, { type: 'error' }>;
    expect(incomplete.message).toContain('line 4');
    expect(summaryOf(res)).toMatchObject({ imported: { orgUnits: 1, people: 1 }, failed: { orgUnits: 2, people: 5 } });
    // No partial unit: neither 锦城社区 nor its good person, and likewise 新城社区.
    expect(await unitExists('510107018005')).toBe(false);
    expect(await unitExists('510107018007')).toBe(false);
    expect(await count(`SELECT count(*)::int AS n FROM person WHERE name IN ('赵强', '吴敏', '周杰')`)).toBe(0);
    expect(await unitExists('510107018006')).toBe(true);
    expect(await peopleIn('510107018006')).toBe(1);
  });

  it('keeps a unit that is already registered and adds only the people that are new, all or none', async () => {
    const res = await postImport(
      csv([
        person('510107018003', '王秀英', WANG),
        person('510107018003', '冯刚', validId('51010719830303011')),
        person('510107018003', '陈静', validId('51010719840404022'), { education: '幼儿园' }),
      ]),
    );
    expect(problems(res)).toEqual(['2 skipped PERSON.ID_NUMBER_UNIQUE', '3 error IMPORT.UNIT_INCOMPLETE', '4 error IMPORT.ENUM_VALUE']);
    expect(await peopleIn('510107018003')).toBe(2);
  });

  it('refuses rows outside the caller’s region: new units by scope, people by their unit', async () => {
    const res = await postImport(
      csv([
        unit('510108004000', '府青路街道', 'SUBDISTRICT'),
        person('510107018201', '褚明', validId('51010719860606033')),
        unit('510107018008', '武侯新社区', 'COMMUNITY'),
      ]),
      { region: '510108000000' },
    );
    expect(problems(res)).toEqual(['3 error ORG_UNIT.EXISTS', '4 error AUTH.REGION_SCOPE']);
    expect(summaryOf(res)).toMatchObject({ imported: { orgUnits: 1, people: 0 } });
    expect(await unitExists('510107018008')).toBe(false);
    expect(await peopleIn('510107018201')).toBe(1);
  });

  it('is for the organisation department only, and needs a token', async () => {
    const forbidden = await postImport(GOOD_FILE, { roles: ['TOWN_OFFICER'] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.lines[0]).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN', rule: 'AUTH.ROLE' } }] });
    const anonymous = await postImport(GOOD_FILE, { token: null });
    expect(anonymous.status).toBe(401);
  });

  it('refuses a file it cannot read as a whole with 400 and the rule, importing nothing', async () => {
    const gbk = await postImport(Buffer.concat([Buffer.from('type,code,name,kind\nORG_UNIT,510107018009,'), Buffer.from([0xc6, 0xdf, 0xc0, 0xef]), Buffer.from(',COMMUNITY\n')]));
    expect(gbk.status).toBe(400);
    expect(gbk.lines[0]).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', rule: 'IMPORT.ENCODING' } }] });
    const json = await postImport('{"rows": []}', { contentType: 'application/json' });
    expect(json.lines[0]).toMatchObject({ errors: [{ extensions: { rule: 'IMPORT.CONTENT_TYPE' } }] });
    expect(await unitExists('510107018009')).toBe(false);
  });

  it('refuses a body over the limit, whether it declares its length or streams it in chunks', async () => {
    const big = `type,code,name,kind\n${'ORG_UNIT,510107018010,大社区,COMMUNITY\n'.repeat(MAX_BYTES / 30)}`;
    expect((await postImport(big)).status).toBe(413);
    const token = await sut.token(['ORG_ADMIN']);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(importUrl, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // No Content-Length: chunked, so only the count of arriving bytes can stop it.
      for (let i = 0; i < 40; i++) req.write(big.slice(0, 10_000));
      req.end();
    });
    expect(status).toBe(413);
    expect(await unitExists('510107018010')).toBe(false);
  });

  it('retries a batch the database refuses group by group, so that only the unit concerned fails', async () => {
    // As if another officer registered 510107018013 between the import's checks and its transaction.
    await dataSource.query(`CREATE FUNCTION refuse_taken_code() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.code = '510107018013' THEN
          RAISE EXCEPTION 'duplicate key value violates unique constraint "org_unit_code_key"'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'org_unit_code_key';
        END IF;
        RETURN NEW;
      END $$`);
    await dataSource.query(`CREATE TRIGGER refuse_taken_code BEFORE INSERT ON org_unit FOR EACH ROW EXECUTE FUNCTION refuse_taken_code()`);
    try {
      // Two groups of two rows fill the first batch of four; the third is the next batch.
      const res = await postImport(
        csv([
          unit('510107018012', '红星社区', 'COMMUNITY'),
          person('510107018012', '何平', validId('51010719810101044')),
          unit('510107018013', '光明社区', 'COMMUNITY'),
          person('510107018013', '吕洁', validId('51010719820202055')),
          unit('510107018014', '幸福社区', 'COMMUNITY'),
          person('510107018014', '施勇', validId('51010719830303066')),
        ]),
      );
      expect(problems(res)).toEqual(['4 error ORG_UNIT.CODE_UNIQUE', '5 error IMPORT.UNIT_INCOMPLETE']);
      expect(summaryOf(res)).toMatchObject({ imported: { orgUnits: 2, people: 2 }, failed: { orgUnits: 1, people: 1 } });
      expect([await unitExists('510107018012'), await unitExists('510107018013'), await unitExists('510107018014')]).toEqual([true, false, true]);
      expect(await count(`SELECT count(*)::int AS n FROM person WHERE name = '吕洁'`)).toBe(0);
    } finally {
      await dataSource.query(`DROP TRIGGER refuse_taken_code ON org_unit`);
      await dataSource.query(`DROP FUNCTION refuse_taken_code()`);
    }
  });

  it('never writes an ID number or a phone number to a response or the log', () => {
    expect(logLines.some((l) => l.includes('CSV import finished'))).toBe(true);
    const pattern = new RegExp([...secrets].map((s) => s.replace(/\s/g, '\\s?')).join('|'));
    expect(responses.filter((r) => pattern.test(r))).toEqual([]);
    expect(logLines.filter((l) => pattern.test(l))).toEqual([]);
  });
});
