import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import {
  ConfigError,
  createLogger,
  createPiiCipher,
  generatePiiKeys,
  GATEWAY_CREDENTIAL_HEADER,
  issueToken,
  requireSubgraphSecretInProduction,
  type AuthOptions,
} from '@huanjie/platform';
import { startServiceUnderTest, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createGateway, envSchema, gatewayOptionsFromEnv, parseOperationManifest, readSupergraph, type GatewayOptions } from '../src';
import { buildOperationManifest } from '../scripts/operation-documents';

// The gateway's limits over HTTP, each refused with its status and code and passed just under:
// gateways with different settings in front of one real personnel subgraph (on the run's
// PostgreSQL and Kafka), which answers GraphQL only with the gateway's credential.

const auth: AuthOptions = { secret: 'gateway-limits-integration-test-secret-0123456789' };
const SUBGRAPH_SECRET = 'gateway-limits-test-subgraph-shared-secret-0123';
const PROVINCE = '510000000000';
const root = join(__dirname, '..', '..');

let personnel: ServiceUnderTest;
const closers: (() => Promise<void>)[] = [];

async function startGateway(options: Partial<GatewayOptions> = {}): Promise<string> {
  const gateway = await createGateway({
    logger: createLogger({ name: 'gateway-limits-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    supergraphSdl: readSupergraph(),
    subgraphUrls: { personnel: personnel.url },
    subgraphSecret: SUBGRAPH_SECRET,
    ...options,
  });
  const running = await gateway.listen(0, '127.0.0.1');
  closers.push(async () => {
    await running.close();
    await gateway.stop();
  });
  return running.url;
}

const tokenFor = (user = 'limits-admin') => issueToken({ userId: user, roles: ['ORG_ADMIN'], regionCode: '000000000000' }, auth);

interface Reply {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } & Record<
    string,
    unknown
  >;
  text: string;
}

/** A raw HTTP request: JSON body (anything, arrays included), any headers, GET with a query string. */
async function send(
  url: string,
  init: {
    body?: unknown;
    rawBody?: string;
    method?: string;
    headers?: Record<string, string>;
    user?: string;
    token?: string;
    search?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const target = init.search ? `${url}?${new URLSearchParams(init.search)}` : url;
  const method = init.method ?? 'POST';
  const response = await fetch(target, {
    method,
    headers: {
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${init.token ?? (await tokenFor(init.user))}`,
      ...init.headers,
    },
    body: method === 'POST' ? (init.rawBody ?? JSON.stringify(init.body)) : undefined,
  });
  const text = await response.text();
  let body: Reply['body'] = {};
  try {
    body = JSON.parse(text);
  } catch {
    // an HTML landing page, for instance; the test says what it expects
  }
  return { status: response.status, headers: response.headers, body, text };
}

const codes = (reply: Reply) => (reply.body.errors ?? []).map((e) => e.extensions?.code);
const ok = (reply: Reply) => {
  expect({ status: reply.status, errors: reply.body.errors }).toEqual({ status: 200, errors: undefined });
  return reply.body.data!;
};

let defaultUrl: string;

beforeAll(async () => {
  personnel = await startServiceUnderTest({
    name: 'gateway_limits_personnel',
    migrations: personnelMigrations,
    create: (deps) => createPersonnel({ ...deps, auth, pii: createPiiCipher(generatePiiKeys()), gatewaySecret: SUBGRAPH_SECRET }),
  });
  defaultUrl = await startGateway();
  ok(
    await send(defaultUrl, {
      body: { query: `mutation { createOrgUnit(input: { code: "${PROVINCE}", name: "四川省", kind: PROVINCE }) { id } }` },
    }),
  );
}, 180_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await personnel?.stop();
});

describe('the subgraph answers GraphQL only with the gateway credential', () => {
  const query = `{ orgUnitByCode(code: "${PROVINCE}") { name } }`;

  it('refuses a direct request without it or with a wrong one (401 UNAUTHENTICATED), answers one with it', async () => {
    const attempts: Record<string, string>[] = [{}, { [GATEWAY_CREDENTIAL_HEADER]: 'a-guess-that-is-not-the-secret-0123456789' }];
    for (const headers of attempts) {
      const refused = await send(personnel.url, { body: { query }, headers });
      expect(refused.status).toBe(401);
      expect(refused.body.errors).toEqual([
        {
          message: `this subgraph answers GraphQL only through the gateway: the gateway's credential (${GATEWAY_CREDENTIAL_HEADER}) is missing or wrong`,
          extensions: { code: 'UNAUTHENTICATED', rule: 'AUTH.GATEWAY_CREDENTIAL' },
        },
      ]);
    }
    expect(ok(await send(personnel.url, { body: { query }, headers: { [GATEWAY_CREDENTIAL_HEADER]: SUBGRAPH_SECRET } }))).toEqual({
      orgUnitByCode: { name: '四川省' },
    });
    // Probes stay open, and so does the import route its command-line tool calls directly (this
    // request reaches the route, which refuses its content type).
    expect((await fetch(personnel.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
    const imported = await send(personnel.url.replace(/\/graphql$/, '/import'), { rawBody: '{}' });
    expect([imported.status, imported.body.errors?.[0]?.extensions?.rule]).toEqual([400, 'IMPORT.CONTENT_TYPE']);
  });

  it('the gateway sends it (answers), a gateway without it gets nothing from the subgraph', async () => {
    expect(ok(await send(defaultUrl, { body: { query } }))).toEqual({ orgUnitByCode: { name: '四川省' } });
    const stranger = await send(await startGateway({ subgraphSecret: undefined }), { body: { query } });
    expect(stranger.body.data?.orgUnitByCode ?? null).toBeNull();
    // The gateway's own misconfiguration: masked for the client (no subgraph URL or body), logged.
    expect(stranger.body.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Internal server error', 'INTERNAL_SERVER_ERROR']]);
    expect(stranger.text).not.toMatch(/localhost|x-huanjie-gateway|AUTH\.GATEWAY_CREDENTIAL/);
    // A subgraph's typed refusal of the caller (here: a token the gateway accepts, the subgraph not)
    // keeps its code and message, without the subgraph's URL or body.
    const other: AuthOptions = { secret: 'a-gateway-with-another-jwt-secret-0123456789' };
    const mismatched = await send(await startGateway({ auth: other }), {
      body: { query },
      token: await issueToken({ userId: 'x', roles: ['ORG_ADMIN'], regionCode: '000000000000' }, other),
    });
    expect(mismatched.body.errors?.map((e) => [e.message, e.extensions])).toEqual([
      ['the token is not valid for this service', { code: 'UNAUTHENTICATED', rule: 'AUTH.TOKEN' }],
    ]);
  });

  it('is required in production: services and gateway refuse to start without SUBGRAPH_SHARED_SECRET', () => {
    expect(() => requireSubgraphSecretInProduction({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => requireSubgraphSecretInProduction({ NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: SUBGRAPH_SECRET })).not.toThrow();
    expect(() => requireSubgraphSecretInProduction({})).not.toThrow();
    const env = { AUTH_JWT_SECRET: auth.secret };
    expect(() => gatewayOptionsFromEnv(envSchema.parse({ ...env, NODE_ENV: 'production' }))).toThrow(
      /SUBGRAPH_SHARED_SECRET: required when NODE_ENV=production/,
    );
    expect(envSchema.safeParse({ ...env, SUBGRAPH_SHARED_SECRET: 'short' }).success).toBe(false);
  });
});

describe('gateway limits from the environment', () => {
  it('has every limit on by default in production, the rate limit included; off switches work', () => {
    const options = gatewayOptionsFromEnv(
      envSchema.parse({ AUTH_JWT_SECRET: auth.secret, NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: SUBGRAPH_SECRET }),
    );
    expect(options).toMatchObject({
      maxDepth: 12,
      maxAliases: 30,
      maxRootFields: 20,
      maxCost: 25_000,
      cost: { defaultPageSize: 20, defaultListSize: 10 },
      maxBatchSize: 1,
      maxBodyBytes: 256 * 1024,
      rateLimit: { perMinute: 600, burst: 120 },
      registeredOnly: false,
      introspection: false,
      subgraphSecret: SUBGRAPH_SECRET,
    });
    const dev = gatewayOptionsFromEnv(envSchema.parse({ AUTH_JWT_SECRET: auth.secret, GATEWAY_RATE_LIMIT_PER_MINUTE: '0' }));
    expect(dev.rateLimit).toBeUndefined();
    expect(dev.introspection).toBe(true);
    expect(
      envSchema.safeParse({ AUTH_JWT_SECRET: auth.secret, GATEWAY_REGISTERED_ONLY: 'true' }).error?.issues.map((i) => i.message),
    ).toEqual(['GATEWAY_REGISTERED_ONLY=true needs GATEWAY_OPERATIONS_MANIFEST (the registered operations)']);
  });
});

describe('document limits (defaults: depth 12, aliases 30, root fields 20, body 256 KiB)', () => {
  const deep = (levels: number) => `{ orgUnitByCode(code: "${PROVINCE}") { ${'parent { '.repeat(levels)}name${' }'.repeat(levels)} } }`;
  const aliases = (n: number) =>
    `{ orgUnitByCode(code: "${PROVINCE}") { ${Array.from({ length: n }, (_, i) => `a${i}: name`).join(' ')} } }`;
  const rootFields = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `u${i}: orgUnitByCode(code: "${PROVINCE}") { code }`).join(' ')} }`;

  it.each([
    ['depth', deep(10), deep(11), 'GATEWAY.DEPTH_LIMIT', 'query depth 13 exceeds the limit of 12'],
    ['aliases', aliases(30), aliases(31), 'GATEWAY.ALIAS_LIMIT', 'the document uses 31 aliases; the limit is 30'],
    [
      'root fields',
      rootFields(20),
      rootFields(21),
      'GATEWAY.ROOT_FIELD_LIMIT',
      'the operation selects 21 top-level fields; the limit is 20',
    ],
  ])('%s: at the limit answers, one past it is a 400 GRAPHQL_VALIDATION_FAILED', async (_limit, atLimit, pastLimit, rule, message) => {
    ok(await send(defaultUrl, { body: { query: atLimit } }));
    const refused = await send(defaultUrl, { body: { query: pastLimit } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.rule])).toContainEqual([
      message,
      'GRAPHQL_VALIDATION_FAILED',
      rule,
    ]);
  });

  it('body: 256 KiB answers, a byte more is a 413', async () => {
    const limit = 256 * 1024;
    const padded = (size: number) => {
      const bare = JSON.stringify({ query: '{ __typename }' });
      return JSON.stringify({ query: `{${' '.repeat(size - bare.length)} __typename }` });
    };
    expect(Buffer.byteLength(padded(limit))).toBe(limit);
    expect(ok(await send(defaultUrl, { rawBody: padded(limit) }))).toEqual({ __typename: 'Query' });
    const refused = await send(defaultUrl, { rawBody: padded(limit + 1) });
    expect([refused.status, codes(refused)]).toEqual([413, ['BAD_REQUEST']]);
  });
});

describe('cost limit', () => {
  // orgUnitByCode 1 + children 1 + n × (node 1 + its children 1 + m nodes)
  const NESTED = `query Nested($n: Int, $m: Int) { orgUnitByCode(code: "${PROVINCE}") { children(first: $n) { nodes { code children(first: $m) { nodes { code } } } } } }`;

  it('answers at the limit and refuses one past it with the cost and the limit (400 GRAPHQL_VALIDATION_FAILED)', async () => {
    const url = await startGateway({ maxCost: 122 });
    expect(ok(await send(url, { body: { query: NESTED, variables: { n: 10, m: 10 } } }))).toEqual({
      orgUnitByCode: { children: { nodes: [] } },
    });
    const refused = await send(url, { body: { query: NESTED, variables: { n: 10, m: 11 } } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toHaveLength(1);
    const [error] = refused.body.errors!;
    expect(error!.message).toMatch(/^the operation's cost 132 exceeds the limit of 122: /);
    expect(error!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', rule: 'GATEWAY.COST_LIMIT', cost: 132, limit: 122 });
  });

  it('is on by default (25,000): three nested pages of 100 are refused, a town register (100 × 200 people) answers', async () => {
    const threeDeep = `{ orgUnitByCode(code: "${PROVINCE}") { children(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) { nodes { code } } } } } } } }`;
    const refused = await send(defaultUrl, { body: { query: threeDeep } });
    expect([refused.status, refused.body.errors?.[0]?.extensions?.cost]).toEqual([400, 2 + 100 * (2 + 100 * 102)]);
    ok(
      await send(defaultUrl, {
        body: {
          query: `{ orgUnitByCode(code: "${PROVINCE}") { children(first: 100) { nodes { people(first: 200) { nodes { name } } } } } }`,
        },
      }),
    );
  });
});

describe('batched requests', () => {
  const one = { query: `{ orgUnitByCode(code: "${PROVINCE}") { name } }` };

  it('are refused by default with a 400 that says so', async () => {
    const refused = await send(defaultUrl, { body: [one] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        message: 'batched requests (a JSON array of operations) are not accepted here: send one operation per request',
        extensions: { code: 'BAD_REQUEST', rule: 'HTTP.BATCH_LIMIT', limit: 1 },
      },
    ]);
  });

  it('run up to the configured size; one more is a 400', async () => {
    const url = await startGateway({ maxBatchSize: 3 });
    const answered = await send(url, { body: [one, one, one] });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual([1, 2, 3].map(() => ({ data: { orgUnitByCode: { name: '四川省' } } })));
    const refused = await send(url, { body: [one, one, one, one] });
    expect([refused.status, refused.body.errors?.[0]?.message]).toEqual([400, 'the batch holds 4 operations; the limit is 3 per request']);
  });
});

describe('per-user rate limit', () => {
  const query = { query: '{ __typename }' };

  it('lets a burst through, then answers 429 RATE_LIMITED with Retry-After; other users are not affected', async () => {
    const url = await startGateway({ rateLimit: { perMinute: 60, burst: 3 }, maxBatchSize: 2 });
    for (let i = 0; i < 3; i++) ok(await send(url, { body: query, user: 'busy' }));
    const refused = await send(url, { body: query, user: 'busy' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.errors).toEqual([
      {
        message: 'too many requests: at most 60 operations a minute per user (bursts of 3); retry in 1 s',
        extensions: { code: 'RATE_LIMITED', rule: 'GATEWAY.RATE_LIMIT', retryAfterSeconds: 1 },
      },
    ]);
    ok(await send(url, { body: query, user: 'calm' }));
    // A batch takes a token per operation: 2 of 3, then 2 more than the 1 left.
    expect((await send(url, { body: [query, query], user: 'batcher' })).status).toBe(200);
    expect((await send(url, { body: [query, query], user: 'batcher' })).status).toBe(429);
  });
});

describe('persisted queries', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it('automatic (APQ): an unknown hash asks for the text, then the hash alone runs it, by POST and by GET', async () => {
    const query = `query Apq { orgUnitByCode(code: "${PROVINCE}") { name code } }`;
    const first = await send(defaultUrl, { body: { extensions: persisted(sha256(query)) } });
    expect(codes(first)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    ok(await send(defaultUrl, { body: { query, extensions: persisted(sha256(query)) } }));
    expect(ok(await send(defaultUrl, { body: { extensions: persisted(sha256(query)) } }))).toEqual({
      orgUnitByCode: { name: '四川省', code: PROVINCE },
    });
    const viaGet = await send(defaultUrl, {
      method: 'GET',
      search: { extensions: JSON.stringify(persisted(sha256(query))) },
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok(viaGet)).toEqual({ orgUnitByCode: { name: '四川省', code: PROVINCE } });
  });

  it('registered only: the manifest runs by text or hash, anything else is a 400 PERSISTED_QUERY_NOT_REGISTERED', async () => {
    const schema = buildSchema(readFileSync(join(root, 'proto-docs', 'schema.graphql'), 'utf8'));
    const manifest = buildOperationManifest(
      [{ name: 'province.graphql', text: 'query Province($code: String!) { orgUnitByCode(code: $code) { name } }' }],
      schema,
    );
    const [[hash, text]] = Object.entries(manifest) as [[string, string]];
    const url = await startGateway({ operations: parseOperationManifest(manifest), registeredOnly: true });
    const variables = { code: PROVINCE };
    // By hash, never sent as text before: the manifest is the store.
    expect(ok(await send(url, { body: { extensions: persisted(hash), variables } }))).toEqual({ orgUnitByCode: { name: '四川省' } });
    expect(ok(await send(url, { body: { query: text, variables } }))).toEqual({ orgUnitByCode: { name: '四川省' } });
    for (const body of [
      { query: 'query Province($code: String!) { orgUnitByCode(code: $code) { name } }', variables }, // the same operation, not the registered text
      { query: '{ __typename }' },
      { extensions: persisted(sha256('{ __typename }')) },
      { query: '{ __typename }', extensions: persisted(hash) }, // a registered hash beside other text
      {},
    ]) {
      const refused = await send(url, { body });
      expect([refused.status, codes(refused), refused.body.errors?.[0]?.extensions?.rule]).toEqual([
        400,
        ['PERSISTED_QUERY_NOT_REGISTERED'],
        'GATEWAY.REGISTERED_ONLY',
      ]);
    }
    const viaGet = await send(url, { method: 'GET', search: { query: '{ __typename }' }, headers: { 'apollo-require-preflight': 'true' } });
    expect([viaGet.status, codes(viaGet)]).toEqual([400, ['PERSISTED_QUERY_NOT_REGISTERED']]);
  });
});

describe('introspection and the landing page', () => {
  const introspect = { query: '{ __schema { queryType { name } } }' };
  const browser = { method: 'GET', headers: { accept: 'text/html' } };

  it('are on outside production (the test run)', async () => {
    expect(ok(await send(defaultUrl, { body: introspect }))).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const page = await send(defaultUrl, browser);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html']);
  });

  it('are off with introspection: false (NODE_ENV=production or GATEWAY_INTROSPECTION=false)', async () => {
    const url = await startGateway({ introspection: false });
    const refused = await send(url, { body: introspect });
    expect([refused.status, codes(refused)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
    const page = await send(url, browser);
    expect(page.headers.get('content-type')).not.toMatch(/html/);
    expect(page.status).toBe(400);
    ok(await send(url, { body: { query: '{ __typename }' } }));
  });
});

describe('CSRF prevention', () => {
  const query = `{ orgUnitByCode(code: "${PROVINCE}") { name } }`;
  const blocked = /This operation has been blocked as a potential Cross-Site Request Forgery/;

  it('refuses a "simple" POST (text/plain, form) and a GET without a preflight header, with a 400', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const refused = await send(defaultUrl, { rawBody: JSON.stringify({ query }), headers: { 'content-type': contentType } });
      expect([refused.status, codes(refused)]).toEqual([400, ['BAD_REQUEST']]);
      expect(refused.body.errors?.[0]?.message).toMatch(blocked);
    }
    const get = await send(defaultUrl, { method: 'GET', search: { query } });
    expect([get.status, get.body.errors?.[0]?.message]).toEqual([400, expect.stringMatching(blocked)]);
  });

  it('answers the same requests with a JSON content type or an apollo-require-preflight header', async () => {
    ok(await send(defaultUrl, { body: { query } }));
    ok(
      await send(defaultUrl, {
        rawBody: JSON.stringify({ query }),
        headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' },
      }),
    );
    ok(await send(defaultUrl, { method: 'GET', search: { query }, headers: { 'apollo-require-preflight': 'true' } }));
  });
});
