import type { DataSource } from 'typeorm';
import { QueryCounter, createPiiCipher, generatePiiKeys, type Role } from '@huanjie/platform';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { createOrgTree } from './org-tree.fixture';

let sut: ServiceUnderTest;
let dataSource: DataSource;
let counter: QueryCounter;

const gql = async (query: string, variables: Record<string, unknown> = {}, roles: Role[] = ['ORG_ADMIN'], region?: string) =>
  graphqlPost(sut.url, { query, variables, token: await sut.token(roles, region) });

async function createUnit(code: string, name: string, kind: string): Promise<string> {
  const res = await gql(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input: { code, name, kind } });
  expect(res.errors).toBeUndefined();
  return (res.data!.createOrgUnit as { id: string }).id;
}

// The outbox relay polls on the same data source; count only the statements of the request.
const requestStatements = () => counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q));

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'personnel_tree',
    migrations,
    create: (deps) => createServer({ ...deps, pii: createPiiCipher(generatePiiKeys()) }),
  });
  ({ dataSource, counter } = sut);
  await createOrgTree(sut);
});

afterAll(async () => {
  await sut?.stop();
});

type Unit = { code: string; name: string; ancestors: { code: string }[] };
const SEARCH = `query($name: String!, $first: Int, $after: String) {
  searchOrgUnits(name: $name, first: $first, after: $after) {
    nodes { code name ancestors { code } parent { name } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const searched = (res: Awaited<ReturnType<typeof gql>>) =>
  res.data!.searchOrgUnits as { nodes: Unit[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe('ancestors', () => {
  it('lists the units above, top-down', async () => {
    const res = await gql(`{ orgUnitByCode(code: "510107018003") { ancestors { code name kind } } }`);
    expect((res.data!.orgUnitByCode as { ancestors: unknown[] }).ancestors).toEqual([
      { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
      { code: '510100000000', name: '成都市', kind: 'CITY' },
      { code: '510107000000', name: '武侯区', kind: 'DISTRICT' },
      { code: '510107018000', name: '簇桥街道', kind: 'SUBDISTRICT' },
    ]);
    const top = await gql(`{ orgUnitByCode(code: "510000000000") { ancestors { code } } }`);
    expect(top.data!.orgUnitByCode).toEqual({ ancestors: [] });
  });

  it('starts at the top of the caller’s scope', async () => {
    const res = await gql(`{ orgUnitByCode(code: "510107018003") { ancestors { code } } }`, {}, ['AUDITOR'], '510107000000');
    expect(res.data!.orgUnitByCode).toEqual({ ancestors: [{ code: '510107000000' }, { code: '510107018000' }] });
  });
});

describe('searchOrgUnits', () => {
  it('finds units whose name contains the text, ordered by code, within the caller’s scope', async () => {
    const all = await gql(SEARCH, { name: '社区' });
    expect(searched(all).nodes.map((u) => u.name)).toEqual(['七里社区', '锦城社区', '二仙桥社区']);
    const chenghua = await gql(SEARCH, { name: '社区' }, ['AUDITOR'], '510108000000');
    expect(searched(chenghua).nodes.map((u) => u.code)).toEqual(['510108004002']);
    const middle = await gql(SEARCH, { name: ' 仙桥 ' });
    expect(searched(middle).nodes.map((u) => u.name)).toEqual(['二仙桥社区']);
  });

  it('takes LIKE wildcards in the text literally', async () => {
    expect(searched(await gql(SEARCH, { name: '%' })).nodes).toEqual([]);
    expect(searched(await gql(SEARCH, { name: '七_社区' })).nodes).toEqual([]);
  });

  it('pages by code with a cursor and bounds `first`', async () => {
    const first = searched(await gql(SEARCH, { name: '社区', first: 2 }));
    expect(first.nodes.map((u) => u.code)).toEqual(['510107018003', '510107018005']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = searched(await gql(SEARCH, { name: '社区', first: 2, after: first.pageInfo.endCursor }));
    expect(second.nodes.map((u) => u.code)).toEqual(['510108004002']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(errorCodes(await gql(SEARCH, { name: '社区', first: 101 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an empty search text with ORG_UNIT.SEARCH_NAME', async () => {
    const res = await gql(SEARCH, { name: '   ' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.rule).toBe('ORG_UNIT.SEARCH_NAME');
  });

  it('can use the trigram index on names', async () => {
    const [ext] = await dataSource.query(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`);
    expect(ext).toEqual({ extname: 'pg_trgm' });
    // On a dozen rows the planner rightly prefers a scan; forbid it to see that the index applies.
    const plan = await dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL enable_seqscan = off`);
      const rows: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN SELECT id FROM org_unit WHERE name ILIKE '%仙桥社%'`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('org_unit_name_trgm');
  });

  it('costs the same few statements with ancestors and parents, however many units match', async () => {
    counter.reset();
    const small = await gql(SEARCH, { name: '社区', first: 100 });
    expect(small.errors).toBeUndefined();
    const statementsSmall = requestStatements().length;
    for (let i = 0; i < 12; i++) await createUnit(`510184106${210 + i}`, `新社区${i}`, 'VILLAGE');
    counter.reset();
    const big = await gql(SEARCH, { name: '社区', first: 100 });
    expect(big.errors).toBeUndefined();
    expect(searched(big).nodes).toHaveLength(15);
    for (const unit of searched(big).nodes) expect(unit.ancestors.length).toBeGreaterThan(0);
    expect(requestStatements().length).toBe(statementsSmall);
    // search, ancestors (one statement for all units), parents (one batched lookup)
    expect(statementsSmall).toBeLessThanOrEqual(3);
  });
});
