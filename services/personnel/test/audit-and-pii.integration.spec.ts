import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { PII_TABLES, createPiiCipher, nationalIdCheckChar, reencryptTable, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { createOrgTree } from './org-tree.fixture';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;
const key = () => randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();
const indexKey = key();

let dataSource: DataSource;
let sut: ServiceUnderTest;
const units: Record<string, string> = {};
const people: { id: string; idNumber: string; phone: string | null }[] = [];

const gql = async (query: string, variables: Record<string, unknown>, roles: Role[], region = '000000000000') =>
  graphqlPost(sut.url, { query, variables, token: await sut.token(roles, region) });

const AUDIT = `query($input: AuditLogInput!, $first: Int, $after: String) {
  personnelAuditLog(input: $input, first: $first, after: $after) {
    nodes { id at actor actorRoles action entityType entityId regionPath requestId before after }
    pageInfo { hasNextPage endCursor }
  }
}`;
type AuditPage = {
  nodes: {
    id: string;
    at: string;
    actor: string;
    actorRoles: string[];
    action: string;
    entityType: string;
    regionPath: string;
    after: string | null;
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'personnel',
    migrations,
    create: (deps) => createServer({ ...deps, pii: createPiiCipher({ encryptionKey: k1, indexKey }) }),
  });
  dataSource = sut.dataSource;
  Object.assign(units, await createOrgTree(sut, (u) => !u.code.startsWith('510184')));
  const register = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
  const plan = [
    { unit: '510107018003', name: '王秀英', idNumber: validId('51010719800301002'), phone: '13800138000' },
    { unit: '510107018005', name: '李建国', idNumber: validId('51010719750612003'), phone: null },
    { unit: '510108004002', name: '张丽', idNumber: validId('51010819880909004'), phone: '13900139000' },
  ];
  for (const p of plan) {
    const res = await gql(
      register,
      {
        input: {
          orgUnitId: units[p.unit],
          name: p.name,
          idNumber: p.idNumber,
          ethnicity: '汉族',
          education: 'COLLEGE',
          politicalStatus: 'MASSES',
          ...(p.phone ? { phone: p.phone } : {}),
        },
      },
      ['ORG_ADMIN'],
    );
    expect(res.errors).toBeUndefined();
    people.push({ id: (res.data!.registerPerson as { id: string }).id, idNumber: p.idNumber, phone: p.phone });
  }
});

afterAll(async () => {
  await sut?.stop();
});

describe('the audit query', () => {
  it("answers an AUDITOR with the region's records of the period, oldest first, with the actor's roles and no personal data", async () => {
    const res = await gql(
      AUDIT,
      { input: { regionCode: '510107000000', from: today(), to: today() }, first: 100 },
      ['AUDITOR'],
      '510100000000',
    );
    expect(res.errors).toBeUndefined();
    const page = res.data!.personnelAuditLog as AuditPage;
    expect(page.nodes.map((n) => n.action)).toEqual([
      'createOrgUnit',
      'createOrgUnit',
      'createOrgUnit',
      'createOrgUnit',
      'registerPerson',
      'registerPerson',
    ]);
    expect(page.nodes.every((n) => n.regionPath.startsWith('51.5101.510107'))).toBe(true);
    expect([...page.nodes].sort((a, b) => a.at.localeCompare(b.at) || Number(a.id) - Number(b.id))).toEqual(page.nodes);
    const registered = page.nodes.filter((n) => n.action === 'registerPerson');
    expect(registered.map((n) => [n.actor, n.actorRoles])).toEqual([
      ['ORG_ADMIN@000000000000', ['ORG_ADMIN']],
      ['ORG_ADMIN@000000000000', ['ORG_ADMIN']],
    ]);
    const text = JSON.stringify(page);
    for (const p of people) {
      expect(text).not.toContain(p.idNumber);
      if (p.phone) expect(text).not.toContain(p.phone);
    }
    expect(text).not.toMatch(/_cipher|_index|v2:k1:/);
    expect(JSON.parse(registered[0]!.after!)).toMatchObject({
      idNumberMasked: expect.stringMatching(/^5101\*{10}/),
      phoneMasked: '138****8000',
    });
  });

  it('filters by entity type, action and actor, and pages with a bounded size', async () => {
    const input = {
      regionCode: '510100000000',
      from: `${today()}T00:00:00+08:00`,
      to: new Date(Date.now() + 60_000).toISOString(),
      entityType: 'Person',
      action: 'registerPerson',
      actor: 'ORG_ADMIN@000000000000',
    };
    const first = (await gql(AUDIT, { input, first: 2 }, ['AUDITOR'])).data!.personnelAuditLog as AuditPage;
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await gql(AUDIT, { input, first: 2, after: first.pageInfo.endCursor }, ['AUDITOR'])).data!
      .personnelAuditLog as AuditPage;
    expect(second.nodes).toHaveLength(1);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...first.nodes, ...second.nodes].map((n) => n.id)).size).toBe(3);
    expect(errorCodes(await gql(AUDIT, { input, first: 101 }, ['AUDITOR']))).toEqual(['BAD_USER_INPUT']);
  });

  it('answers nothing for another period', async () => {
    const res = await gql(AUDIT, { input: { regionCode: '510100000000', from: '2020-01-01', to: '2020-12-31' } }, ['AUDITOR']);
    expect((res.data!.personnelAuditLog as AuditPage).nodes).toEqual([]);
  });

  it('refuses other roles, a region outside the caller’s scope and a bad period', async () => {
    const input = { regionCode: '510107000000', from: today(), to: today() };
    expect(errorCodes(await gql(AUDIT, { input }, ['ORG_ADMIN']))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(AUDIT, { input }, ['DISCIPLINE', 'TOWN_OFFICER']))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(AUDIT, { input }, ['AUDITOR'], '510108000000'))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(AUDIT, { input: { ...input, from: 'yesterday' } }, ['AUDITOR']))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(AUDIT, { input: { ...input, from: '2026-12-02', to: '2026-12-01' } }, ['AUDITOR']))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await gql(AUDIT, { input: { ...input, regionCode: '5101' } }, ['AUDITOR']))).toEqual(['BAD_USER_INPUT']);
  });

  it("keeps a district AUDITOR inside the district even when asking for the city: only the scope's records", async () => {
    const res = await gql(
      AUDIT,
      { input: { regionCode: '510108000000', from: today(), to: today() }, first: 100 },
      ['AUDITOR'],
      '510108000000',
    );
    const nodes = (res.data!.personnelAuditLog as AuditPage).nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.regionPath.startsWith('51.5101.510108'))).toBe(true);
  });
});

describe('audit records are immutable', () => {
  it('has no mutation that mentions audit', async () => {
    const res = await gql(`{ __schema { mutationType { fields { name } } } }`, {}, ['AUDITOR']);
    const names = (res.data!.__schema as { mutationType: { fields: { name: string }[] } }).mutationType.fields.map((f) => f.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => /audit/i.test(n))).toEqual([]);
  });

  it('makes PostgreSQL refuse UPDATE, DELETE and TRUNCATE of audit_log', async () => {
    const before = await dataSource.query(
      `SELECT count(*)::int AS n, md5(string_agg(audit_log::text, '' ORDER BY id)) AS h FROM audit_log`,
    );
    await expect(dataSource.query(`UPDATE audit_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(dataSource.query(`DELETE FROM audit_log WHERE action = 'registerPerson'`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(
      await dataSource.query(`SELECT count(*)::int AS n, md5(string_agg(audit_log::text, '' ORDER BY id)) AS h FROM audit_log`),
    ).toEqual(before);
  });
});

describe('PII key rotation: re-encryption', () => {
  const rotated = () => createPiiCipher({ encryptionKeys: `k2:${k2},k1:${k1}`, indexKey });
  const stored = async () =>
    (await dataSource.query(`SELECT id, id_number_cipher, id_number_index, phone_cipher FROM person ORDER BY id`)) as {
      id: string;
      id_number_cipher: string;
      id_number_index: string;
      phone_cipher: string | null;
    }[];

  it('rewrites every value not under the current key, in batches, readable with the new key set, and is idempotent', async () => {
    // One value in the format from before key ids, as older databases hold.
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', Buffer.from(k1, 'base64'), iv);
    const body = Buffer.concat([c.update(people[1]!.idNumber, 'utf8'), c.final()]);
    await dataSource.query(`UPDATE person SET id_number_cipher = $2 WHERE id = $1`, [
      people[1]!.id,
      `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`,
    ]);
    const before = await stored();
    expect(before.map((r) => (r.id_number_cipher.startsWith('v1:') ? 'v1' : r.id_number_cipher.slice(0, 6))).sort()).toEqual([
      'v1',
      'v2:k1:',
      'v2:k1:',
    ]);

    const lines: string[] = [];
    const [target] = PII_TABLES.personnel!;
    const result = await reencryptTable(dataSource, rotated(), target!, { batchSize: 2, progress: (l) => lines.push(l) });
    expect(result).toEqual({ table: 'person', examined: 3, rewritten: 3 });
    expect(lines).toContain('person: 2/3 examined, 2 rewritten');
    const after = await stored();
    const cipher = rotated();
    for (const p of people) {
      const row = after.find((r) => r.id === p.id)!;
      expect(row.id_number_cipher).toMatch(/^v2:k2:/);
      expect(cipher.decrypt(row.id_number_cipher)).toBe(p.idNumber);
      expect(row.phone_cipher === null ? null : cipher.decrypt(row.phone_cipher)).toBe(p.phone);
      if (row.phone_cipher) expect(row.phone_cipher).toMatch(/^v2:k2:/);
      // The blind index does not change: duplicates are still found.
      expect(row.id_number_index).toBe(before.find((r) => r.id === p.id)!.id_number_index);
    }
    expect(await reencryptTable(dataSource, rotated(), target!)).toEqual({ table: 'person', examined: 0, rewritten: 0 });
    expect(await stored()).toEqual(after);
  });

  it('serves the people with the rotated keys, and refuses the same ID number again', async () => {
    const second = await startServiceUnderTest({
      name: 'personnel',
      migrations,
      create: (deps) => createServer({ ...deps, dataSource, pii: rotated() }),
    });
    try {
      const token = await second.token(['ORG_ADMIN']);
      const res = await graphqlPost(second.url, {
        query: `query($id: ID!) { personIdentity(id: $id) { idNumber phone } }`,
        variables: { id: people[0]!.id },
        token,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.personIdentity).toEqual({ idNumber: people[0]!.idNumber, phone: people[0]!.phone });
      const dup = await graphqlPost(second.url, {
        query: `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
        variables: {
          input: {
            orgUnitId: units['510107018003'],
            name: '王秀英',
            idNumber: people[0]!.idNumber,
            ethnicity: '汉族',
            education: 'COLLEGE',
            politicalStatus: 'MASSES',
          },
        },
        token,
      });
      expect(errorCodes(dup)).toEqual(['CONFLICT']);
    } finally {
      await second.stop();
    }
  });

  it('`npm run pii:reencrypt` moves the values to the next key, with progress on stderr and a summary on stdout', async () => {
    const k3 = key();
    const root = join(__dirname, '..', '..', '..');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'packages/platform/scripts/pii-reencrypt.ts', '--service', 'personnel', '--batch', '2'],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: (dataSource.options as { url: string }).url,
          PII_ENCRYPTION_KEYS: `k3:${k3},k2:${k2}`,
          PII_INDEX_KEY: indexKey,
          PII_ENCRYPTION_KEY: '',
        },
      },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      service: 'personnel',
      currentKeyId: 'k3',
      results: [{ table: 'person', examined: 3, rewritten: 3 }],
    });
    expect(stderr).toContain('person: 3 rows not under key k3');
    expect(stderr).toContain('person: done, 3 rows rewritten under key k3');
    const cipher = createPiiCipher({ encryptionKeys: `k3:${k3}`, indexKey });
    for (const row of await stored()) expect(cipher.decrypt(row.id_number_cipher)).toBe(people.find((p) => p.id === row.id)!.idNumber);
  }, 60_000);
});
