import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { createLogger, generatePiiKeys, issueToken, nationalIdCheckChar, QueryCounter, type Role } from '@huanjie/platform';
import { nameFromType, toKafkaMessage, type EventEnvelope } from '@huanjie/events';
import { errorCodes, graphqlPost, testKafkaBrokers, uniqueTopicPrefix, waitFor } from '@huanjie/testkit';
import { createGateway } from '@huanjie/gateway';
import { graphqlClient, seedDemoData, startStack, type RunningStack } from '../src';

// The whole graph as `npm start` runs it, but on the test run's PostgreSQL server and real Kafka
// broker, with databases and topics of its own.
const auth = { secret: 'federation-e2e-secret-0123456789abcdef' };
const validId = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;
let stack: RunningStack;
let topicPrefix: string;
/** Every statement personnel's data source issues, for the cost of a list through the gateway. */
const personnelQueries = new QueryCounter();

const token = (roles: Role[] = ['ORG_ADMIN'], regionCode = '000000000000') => issueToken({ userId: 'e2e', roles, regionCode }, auth);
const gql = async (query: string, variables: Record<string, unknown> = {}, roles?: Role[]) =>
  graphqlPost(stack.gatewayUrl, { query, variables, token: await token(roles) });

beforeAll(async () => {
  topicPrefix = uniqueTopicPrefix();
  stack = await startStack({
    postgresUrl: process.env.HUANJIE_TEST_DATABASE_URL!,
    databasePrefix: `fed_${randomBytes(4).toString('hex')}_`,
    kafkaBrokers: testKafkaBrokers().split(','),
    topicPrefix,
    auth,
    pii: generatePiiKeys(),
    gatewayPort: 0,
    subgraphPorts: { personnel: 0, vetting: 0, elections: 0, complaints: 0, training: 0 },
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    queryCounters: { personnel: personnelQueries },
  });
  expect(await seedDemoData(graphqlClient(stack.gatewayUrl, await token()))).toBe('seeded');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the federated graph', () => {
  it('answers one query with fields from all five subgraphs', async () => {
    const unit = await gql(`{ orgUnitByCode(code: "510107018003") { id } }`);
    const unitId = (unit.data!.orgUnitByCode as { id: string }).id;
    const complaint = await gql(
      `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }`,
      { input: { channel: 'HOTLINE', category: 'VOTE_BUYING', summary: '反映有人在选举前请客送礼拉票', orgUnitId: unitId, regionCode: '510107018003' } },
      ['DISCIPLINE'],
    );
    expect(complaint.errors).toBeUndefined();

    const query = `{
      orgUnitByCode(code: "510107018003") {
        name
        electionCycles { name termYears }
        openComplaintCount
        trainingCoverage { peopleWithRecord }
        people { nodes { name idNumberMasked trainingRecord { openedAt } reviews { status } } }
      }
    }`;
    // Training files are opened from PersonRegistered events travelling through Kafka.
    const result = await waitFor(
      async () => {
        const res = await gql(query);
        const u = res.data?.orgUnitByCode as { trainingCoverage: { peopleWithRecord: number } } | undefined;
        return u && u.trainingCoverage.peopleWithRecord === 3 ? res : null;
      },
      { timeoutMs: 30_000, message: 'training files for the three demo people of 七里社区' },
    );
    expect(result.errors).toBeUndefined();
    const data = result.data!.orgUnitByCode as {
      name: string;
      electionCycles: { name: string; termYears: number }[];
      openComplaintCount: number;
      people: { nodes: { name: string; idNumberMasked: string; trainingRecord: { openedAt: string } | null; reviews: unknown[] }[] };
    };
    expect(data.name).toBe('七里社区');
    expect(data.electionCycles).toEqual([{ name: '2026年成都市村(社区)两委换届', termYears: 5 }]);
    expect(data.openComplaintCount).toBe(1);
    expect(data.people.nodes.map((p) => p.name).sort()).toEqual(['张宇', '李明华', '王秀英'].sort());
    for (const person of data.people.nodes) {
      expect(person.idNumberMasked).toMatch(/^5101\*{10}\d{3}[\dX]$/);
      expect(person.trainingRecord?.openedAt).toEqual(expect.any(String));
      expect(person.reviews).toEqual([]);
    }
  });

  it('carries PersonRegistered through Kafka to training, with one effect when delivered twice', async () => {
    const unit = await gql(`{ orgUnitByCode(code: "510184106201") { id } }`);
    const reg = await gql(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: {
        orgUnitId: (unit.data!.orgUnitByCode as { id: string }).id,
        name: '何永红',
        idNumber: validId('51018419900101202'),
        ethnicity: '汉族',
        education: 'COLLEGE',
        politicalStatus: 'PARTY_MEMBER',
        partyJoinedOn: '2012-07-01',
      },
    });
    expect(reg.errors).toBeUndefined();
    const personId = (reg.data!.registerPerson as { id: string }).id;
    await waitFor(async () => {
      const res = await gql(`query($id: ID!) { person(id: $id) { trainingRecord { id } } }`, { id: personId });
      return (res.data?.person as { trainingRecord: unknown } | null)?.trainingRecord ?? null;
    }, { timeoutMs: 30_000, message: 'the training file of the new person' });

    // Deliver the very same event again, as a producer retry or a replay would.
    const [row] = await stack.dataSources.personnel.query(
      `SELECT id, topic, type, source, subject, payload, occurred_at FROM outbox WHERE subject = $1 AND type LIKE '%PersonRegistered'`,
      [personId],
    );
    const envelope: EventEnvelope = {
      id: row.id,
      type: row.type,
      name: nameFromType(row.type),
      source: row.source,
      subject: row.subject,
      topic: row.topic,
      time: new Date(row.occurred_at).toISOString(),
      data: row.payload,
    };
    const kafka = new Kafka({ clientId: 'e2e-replay', brokers: testKafkaBrokers().split(','), logLevel: 0 });
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic: `${topicPrefix}${row.topic}`, messages: [toKafkaMessage(envelope)] });
    await producer.disconnect();

    // Wait until training's consumer group has committed past the duplicate: it has been handled.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => {
        const offsets = await admin.fetchOffsets({ groupId: `${topicPrefix}training.open-training-record`, topics: [`${topicPrefix}${row.topic}`] });
        const partition = offsets[0]?.partitions.find((p) => p.partition === sent!.partition);
        return partition && BigInt(partition.offset) > BigInt(sent!.baseOffset!) ? true : null;
      }, { timeoutMs: 30_000, message: 'training to commit past the duplicate delivery' });
    } finally {
      await admin.disconnect();
    }
    const records = await stack.dataSources.training.query(`SELECT count(*)::int AS n FROM training_record WHERE person_id = $1`, [personId]);
    expect(records[0].n).toBe(1);
    const inbox = await stack.dataSources.training.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [row.id]);
    expect(inbox[0].n).toBe(1);
  });
});

describe('the gateway', () => {
  it('refuses a request without a valid token before planning it', async () => {
    const none = await graphqlPost(stack.gatewayUrl, { query: '{ rootOrgUnits { id } }' });
    expect(none.status).toBe(401);
    expect(errorCodes(none)).toEqual(['UNAUTHENTICATED']);
    const expired = await issueToken({ userId: 'e2e', roles: ['ORG_ADMIN'], regionCode: '000000000000', expiresIn: '-1h' }, auth);
    const late = await graphqlPost(stack.gatewayUrl, { query: '{ rootOrgUnits { id } }', token: expired });
    expect(late.status).toBe(401);
    expect(late.errors![0]!.message).toBe('the token has expired');
  });

  it('is not the only guard: a subgraph refuses a request that skips the gateway without a token', async () => {
    const res = await graphqlPost(stack.subgraphUrls.training, { query: '{ trainingRecord(id: "00000000-0000-4000-8000-000000000000") { id } }' });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('is ready when every subgraph is, and echoes the caller’s request id', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const res = await graphqlPost(stack.gatewayUrl, { query: '{ rootOrgUnits { code } }', token: await token(), headers: { 'x-request-id': 'req-e2e-42' } });
    expect(res.headers.get('x-request-id')).toBe('req-e2e-42');
  });

  it('is not ready while a subgraph is unreachable', async () => {
    const gateway = await createGateway({
      logger: createLogger({ name: 'gateway-down', level: 'silent' }),
      auth,
      subgraphUrls: { ...stack.subgraphUrls, vetting: 'http://127.0.0.1:9/graphql' },
    });
    const running = await gateway.listen(0);
    try {
      expect((await fetch(running.url.replace(/\/graphql$/, '/readyz'))).status).toBe(503);
    } finally {
      await running.close();
      await gateway.stop();
    }
  });

  it('refuses a query deeper than the limit', async () => {
    const level = (inner: string) => `children { nodes { ${inner} } }`;
    const deep = `{ rootOrgUnits { ${level(level(level(level(level(level('name'))))))} } }`; // depth 14
    const res = await gql(deep);
    expect(res.errors?.[0]?.message).toBe('query depth 14 exceeds the limit of 12');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', rule: 'GATEWAY.DEPTH_LIMIT' });
    expect(res.data ?? null).toBeNull();
  });

  it('passes a typed error through and writes nothing for an invalid national ID number', async () => {
    const unit = await gql(`{ orgUnitByCode(code: "510184106204") { id } }`);
    const count = async () => (await stack.dataSources.personnel.query(`SELECT count(*)::int AS n FROM person`))[0].n;
    const before = await count();
    const res = await gql(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: { orgUnitId: (unit.data!.orgUnitByCode as { id: string }).id, name: '错号', idNumber: '510184199001012021', ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(res.errors)).not.toMatch(/stack|at .*\.ts/);
    expect(await count()).toBe(before);
  });
});

describe('a list of people through the gateway', () => {
  // The outbox relay and the consumers poll personnel's data source too; count only the request's statements.
  const requestStatements = () => personnelQueries.queries.filter((q) => !/outbox|pg_try_advisory|inbox/.test(q));
  const LIST = `query($id: ID!, $n: Int!) { orgUnit(id: $id) { people(first: $n) { nodes { name orgUnit { name } positions(activeOnly: true) { role } } } } }`;
  type Listed = { orgUnit: { people: { nodes: { name: string; orgUnit: { name: string }; positions: { role: string }[] }[] } } };
  let unitId: string;
  let registered = 0;

  /** Registers people in the unit through the gateway, eight at a time; born a day apart from 1 January 1960, so their ID numbers differ. */
  async function registerPeople(n: number, party = false): Promise<string[]> {
    const ids: string[] = [];
    for (let batch = 0; batch < n; batch += 8) {
      const results = await Promise.all(
        Array.from({ length: Math.min(8, n - batch) }, () => {
          const i = registered++;
          const birth = new Date(Date.UTC(1960, 0, 1 + i)).toISOString().slice(0, 10);
          return gql(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
            input: {
              orgUnitId: unitId,
              name: `名册${String(i).padStart(3, '0')}`,
              idNumber: validId(`510184${birth.replaceAll('-', '')}711`),
              ethnicity: '汉族',
              education: 'SENIOR_SECONDARY',
              politicalStatus: party ? 'PARTY_MEMBER' : 'MASSES',
              ...(party ? { partyJoinedOn: '2000-07-01' } : {}),
            },
          });
        }),
      );
      for (const res of results) {
        expect(res.errors).toBeUndefined();
        ids.push((res.data!.registerPerson as { id: string }).id);
      }
    }
    return ids;
  }

  beforeAll(async () => {
    const unit = await gql(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
      input: { code: '510184106230', name: '白头镇名册村', kind: 'VILLAGE' },
    });
    expect(unit.errors).toBeUndefined();
    unitId = (unit.data!.createOrgUnit as { id: string }).id;
  });

  it('costs the same number of SQL statements for 200 people with their unit and current seats as for 20', async () => {
    // 20 people, seated on both committees: a Party committee of three, a villagers' committee of five.
    const party = await registerPeople(3, true);
    const others = await registerPeople(17);
    const startTerm = async (committeeKind: string, seats: { personId: string; role: string }[]) => {
      const res = await gql(`mutation($input: StartTermInput!) { startTerm(input: $input) { id } }`, {
        input: { orgUnitId: unitId, committeeKind, ...(committeeKind === 'PARTY' ? { partyOrgForm: 'BRANCH' } : {}), startsOn: '2026-01-15', positions: seats },
      });
      expect(res.errors).toBeUndefined();
      return (res.data!.startTerm as { id: string }).id;
    };
    await startTerm('PARTY', party.map((personId, i) => ({ personId, role: i === 0 ? 'SECRETARY' : 'PARTY_MEMBER_SEAT' })));
    const villagers = await startTerm('VILLAGERS', [party[0]!, ...others.slice(0, 4)].map((personId, i) => ({ personId, role: i === 0 ? 'DIRECTOR' : 'MEMBER' })));

    personnelQueries.reset();
    const small = await gql(LIST, { id: unitId, n: 20 });
    const forTwenty = requestStatements();
    expect(small.errors).toBeUndefined();
    expect((small.data as Listed).orgUnit.people.nodes).toHaveLength(20);

    // 180 more, and two of them take the villagers' committee's last seats (seven at most).
    const more = await registerPeople(180);
    for (const personId of more.slice(0, 2)) {
      const res = await gql(`mutation($input: AssignPositionInput!) { assignPosition(input: $input) { id } }`, {
        input: { termId: villagers, personId, role: 'MEMBER', startsOn: '2026-02-01' },
      });
      expect(res.errors).toBeUndefined();
    }

    personnelQueries.reset();
    const big = await gql(LIST, { id: unitId, n: 200 });
    const forTwoHundred = requestStatements();
    expect(big.errors).toBeUndefined();
    const nodes = (big.data as Listed).orgUnit.people.nodes;
    expect(nodes).toHaveLength(200);
    expect(new Set(nodes.map((p) => p.orgUnit.name))).toEqual(new Set(['白头镇名册村']));
    // Ten seats held by nine people: the secretary is also the director (一肩挑).
    expect(nodes.flatMap((p) => p.positions)).toHaveLength(3 + 7);
    expect(nodes.filter((p) => p.positions.length > 0)).toHaveLength(9);

    // One statement per level — the unit, its people, their held seats — whatever the length of the list;
    // each person's orgUnit is the unit already loaded, answered from the request's DataLoader cache.
    expect(forTwoHundred).toHaveLength(forTwenty.length);
    expect(forTwenty).toEqual([expect.stringMatching(/FROM org_unit/), expect.stringMatching(/FROM person/), expect.stringMatching(/FROM committee_position/)]);
  }, 120_000);
});
