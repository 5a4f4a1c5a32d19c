import { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { QueryCounter, generatePiiKeys, createPiiCipher, issueToken, nationalIdCheckChar, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, testKafkaBrokers, type ServiceUnderTest, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { createOrgTree } from './org-tree.fixture';

const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;

let dataSource: DataSource;
let sut: ServiceUnderTest;
let url: string;
let topicPrefix: string;
let counter: QueryCounter;

const token = (roles: Role[], regionCode = '000000000000') => issueToken({ userId: 'tester', roles, regionCode }, sut.auth);
const gql = async (query: string, variables: Record<string, unknown> = {}, roles: Role[] = ['ORG_ADMIN'], region?: string) =>
  graphqlPost(url, { query, variables, token: await token(roles, region) });

const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id code kind regionPath parent { code } } }`;
const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id name gender birthDate idNumberMasked orgUnit { code } } }`;

async function createUnit(code: string, name: string, kind: string): Promise<string> {
  const res = await gql(CREATE_UNIT, { input: { code, name, kind } });
  expect(res.errors).toBeUndefined();
  return (res.data!.createOrgUnit as { id: string }).id;
}

const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

const units: Record<string, string> = {};

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'personnel', migrations, create: (deps) => createServer({ ...deps, pii: createPiiCipher(generatePiiKeys()) }) });
  ({ dataSource, url, counter } = sut);
  topicPrefix = sut.topicPrefix;
  Object.assign(units, await createOrgTree(sut, (u) => !u.code.startsWith('510184')));
});

afterAll(async () => {
  await sut?.stop();
});

describe('authentication', () => {
  it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
    const res = await graphqlPost(url, { query: '{ rootOrgUnits { id } }' });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await issueToken({ userId: 'x', roles: ['ORG_ADMIN'], regionCode: '000000000000' }, { secret: 'another-secret-of-at-least-32-chars!!' });
    const res = await graphqlPost(url, { query: '{ rootOrgUnits { id } }', token: forged });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers health and metrics without a token', async () => {
    const base = url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('http_request_duration_seconds');
  });
});

describe('org tree', () => {
  it('links each unit to the parent its code names', async () => {
    const res = await gql(`query($id: ID!) { orgUnit(id: $id) { regionPath parent { code parent { name } } } }`, { id: units['510107018003'] });
    expect(res.data!.orgUnit).toEqual({ regionPath: '51.5101.510107.510107018.510107018003', parent: { code: '510107018000', parent: { name: '武侯区' } } });
  });

  it('refuses a unit whose parent does not exist, and writes nothing', async () => {
    const before = await count('org_unit');
    const res = await gql(CREATE_UNIT, { input: { code: '510109001001', name: '无上级社区', kind: 'COMMUNITY' } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.rule).toBe('ORG_UNIT.PARENT_EXISTS');
    expect(await count('org_unit')).toBe(before);
  });

  it('refuses a second unit with the same code as CONFLICT', async () => {
    const res = await gql(CREATE_UNIT, { input: { code: '510107000000', name: '武侯区', kind: 'DISTRICT' } });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
  });

  it('lets only the organisation department create units', async () => {
    const res = await gql(CREATE_UNIT, { input: { code: '510107018009', name: '新社区', kind: 'COMMUNITY' } }, ['TOWN_OFFICER']);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('registering a person', () => {
  const idNumber = validId('51010719850923102');

  it('stores the ID number encrypted, returns it masked, audits and publishes PersonRegistered to Kafka', async () => {
    const res = await gql(REGISTER, {
      input: { orgUnitId: units['510107018003'], name: '王秀英', idNumber, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2010-07-01' },
    });
    expect(res.errors).toBeUndefined();
    const person = res.data!.registerPerson as { id: string; idNumberMasked: string; gender: string; birthDate: string };
    expect(person).toMatchObject({ gender: 'FEMALE', birthDate: '1985-09-23', idNumberMasked: `5101**********${idNumber.slice(-4)}` });

    const [row] = await dataSource.query(`SELECT id_number_cipher FROM person WHERE id = $1`, [person.id]);
    expect(row.id_number_cipher).not.toContain(idNumber);
    const audit = await dataSource.query(`SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'registerPerson'`, [person.id]);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].after)).not.toContain(idNumber);

    // Read the event back from the real broker, as another department's client would.
    const kafka = new Kafka({ clientId: 'reader', brokers: testKafkaBrokers().split(','), logLevel: 0 });
    const consumer = kafka.consumer({ groupId: `${topicPrefix}reader` });
    const seen: { headers: Record<string, string>; value: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${topicPrefix}personnel.person.v1`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        seen.push({ headers, value: message.value!.toString() });
      },
    });
    try {
      await waitFor(() => seen.some((m) => m.headers.ce_subject === person.id), { timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
    const message = seen.find((m) => m.headers.ce_subject === person.id)!;
    expect(message.headers).toMatchObject({ ce_specversion: '1.0', ce_type: 'huanjie.personnel.PersonRegistered', ce_source: '/huanjie/personnel', 'content-type': 'application/json' });
    expect(JSON.parse(message.value)).toMatchObject({ personId: person.id, orgUnitCode: '510107018003', gender: 'FEMALE' });
    expect(message.value).not.toContain(idNumber);
    expect(message.value).not.toContain(idNumber.slice(6, 14));
  });

  it('refuses an invalid national ID number with BAD_USER_INPUT and writes nothing', async () => {
    const before = await Promise.all(['person', 'outbox', 'audit_log'].map(count));
    const res = await gql(REGISTER, {
      input: { orgUnitId: units['510107018005'], name: '刘芳', idNumber: '510107198207170001', ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2010-07-01' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.rule).toBe('PERSON.ID_NUMBER_CHECKSUM');
    expect(res.errors![0]!.message).not.toContain('510107198207170001');
    expect(await Promise.all(['person', 'outbox', 'audit_log'].map(count))).toEqual(before);
  });

  it('refuses a second registration of the same ID number as CONFLICT', async () => {
    const res = await gql(REGISTER, {
      input: { orgUnitId: units['510108004002'], name: '另一人', idNumber, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
    });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
  });

  it('records the changed fields when a person is updated', async () => {
    const reg = await gql(REGISTER, {
      input: { orgUnitId: units['510107018005'], name: '张宇', idNumber: validId('51010719960304101'), ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'LEAGUE_MEMBER', reserve: true, reserveSince: '2021-03-01' },
    });
    const id = (reg.data!.registerPerson as { id: string }).id;
    const res = await gql(
      `mutation($id: ID!) { updatePerson(id: $id, input: { politicalStatus: PROBATIONARY_MEMBER, partyJoinedOn: "2025-07-01" }) { politicalStatus } }`,
      { id },
    );
    expect(res.data!.updatePerson).toEqual({ politicalStatus: 'PROBATIONARY_MEMBER' });
    const [event] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = $1 AND type LIKE '%PersonUpdated'`, [id]);
    expect(event.payload.changedFields).toEqual(['politicalStatus', 'partyJoinedOn']);
  });
});

describe('lookups', () => {
  it('answers null, not an internal error, for an id that is not a UUID', async () => {
    const res = await gql(`{ person(id: "not-a-uuid") { id } orgUnit(id: "42") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ person: null, orgUnit: null });
  });
});

describe('region scope', () => {
  it('hides and protects people outside the caller’s district', async () => {
    const person = await gql(REGISTER, {
      input: { orgUnitId: units['510108004002'], name: '杨丽', idNumber: validId('51010819900615102'), ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2010-07-01' },
    });
    const id = (person.data!.registerPerson as { id: string }).id;
    const wuhou = '510107000000';
    const seen = await gql(`query($id: ID!) { person(id: $id) { name } }`, { id }, ['ORG_ADMIN'], wuhou);
    expect(seen.data!.person).toBeNull();
    const chenghua = await gql(`query($id: ID!) { person(id: $id) { name } }`, { id }, ['AUDITOR'], '510108000000');
    expect(chenghua.data!.person).toEqual({ name: '杨丽' });
    const update = await gql(`mutation($id: ID!) { updatePerson(id: $id, input: { reserve: true }) { id } }`, { id }, ['ORG_ADMIN'], wuhou);
    expect(errorCodes(update)).toEqual(['NOT_FOUND']);
    const register = await gql(REGISTER, {
      input: { orgUnitId: units['510108004002'], name: '越权', idNumber: validId('51010819910101101'), ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'MASSES' },
    }, ['ORG_ADMIN'], wuhou);
    expect(errorCodes(register)).toEqual(['NOT_FOUND']);
    const roots = await gql(`{ rootOrgUnits { code } }`, {}, ['AUDITOR'], wuhou);
    expect(roots.data!.rootOrgUnits).toEqual([{ code: wuhou }]);
  });
});

describe('lists', () => {
  // The outbox relay polls on the same data source; count only the statements of the request.
  const requestStatements = () => counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q));

  // A sub-district, its communities, their people, and each person's unit again (a batched lookup).
  const TREE = `{ orgUnitByCode(code: "510107018000") { children(first: 50) { nodes { name people(first: 50) { nodes { name orgUnit { name } } } } } } }`;

  it('resolves a nested tree with the same number of statements however many units and people it holds', async () => {
    counter.reset();
    const small = await gql(TREE);
    expect(small.errors).toBeUndefined();
    const statementsSmall = requestStatements().length;

    // Grow the tree: more communities with more people under the same levels.
    for (const [i, code] of ['510107018011', '510107018012', '510107018013'].entries()) {
      const unitId = await createUnit(code, `新建社区${i}`, 'COMMUNITY');
      for (let j = 0; j < 3; j++) {
        await gql(REGISTER, {
          input: { orgUnitId: unitId, name: `居民${i}${j}`, idNumber: validId(`510107199${i}0101${j}1${i}`), ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
        });
      }
    }
    counter.reset();
    const big = await gql(TREE);
    expect(big.errors).toBeUndefined();
    expect(JSON.stringify(big.data).match(/居民/g)).toHaveLength(9);
    expect(requestStatements().length).toBe(statementsSmall);
    expect(statementsSmall).toBeLessThanOrEqual(4);
  });

  it('pages people with a cursor and bounds `first`', async () => {
    const unitId = await createUnit('510108004007', '分页社区', 'COMMUNITY');
    for (const [i, name] of ['甲', '乙'].entries()) {
      const reg = await gql(REGISTER, {
        input: { orgUnitId: unitId, name, idNumber: validId(`51010819800101${i}2${i}`), ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
      });
      expect(reg.errors).toBeUndefined();
    }
    const q = `query($id: ID!, $after: String) { orgUnit(id: $id) { people(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } } }`;
    const first = await gql(q, { id: unitId });
    const page1 = (first.data!.orgUnit as { people: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }).people;
    expect(page1.nodes).toHaveLength(1);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await gql(q, { id: unitId, after: page1.pageInfo.endCursor });
    const page2 = (second.data!.orgUnit as { people: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } } }).people;
    expect([page1.nodes[0]!.name, page2.nodes[0]!.name].sort()).toEqual(['乙', '甲'].sort());
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const tooMany = await gql(`query($id: ID!) { orgUnit(id: $id) { people(first: 1000) { nodes { name } } } }`, { id: unitId });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});
