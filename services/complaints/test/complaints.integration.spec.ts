import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createLogger, issueToken, openDatabase, QueryCounter, type Role, type RunningServer } from '@huanjie/platform';
import { CandidateNominated, cloudEventTypeOf, createKafkaBus, topicOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import type { SubgraphService } from '@huanjie/service-kit';
import { testDatabaseUrl, testKafkaBrokers, uniqueTopicPrefix, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

const auth = { secret: 'complaints-integration-test-secret-0123456789' };
const VILLAGE_CODE = '510107001002';
const VILLAGE_PATH = '51.5101.510107.510107001.510107001002';
const SECRET_SUMMARY = '村民李四反映候选人王五以每票200元拉票';

/** A CandidateNominated envelope as recordEvent in elections would build it. */
function nomination(eventId: string, data: { candidateId: string; personId: string; orgUnitId: string }): EventEnvelope {
  return {
    id: eventId,
    type: cloudEventTypeOf(CandidateNominated),
    name: CandidateNominated.name,
    source: `/huanjie/${CandidateNominated.service}`,
    time: new Date().toISOString(),
    subject: data.candidateId,
    topic: topicOf(CandidateNominated),
    data: CandidateNominated.schema.parse({
      ...data,
      electionId: randomUUID(),
      regionPath: VILLAGE_PATH,
      committeeKind: 'VILLAGERS',
      nominatedBy: 'VILLAGERS',
    }),
  };
}

type GraphQLBody = { data?: any; errors?: { message: string; extensions: { code: string; rule?: string } }[] };

describe('complaints subgraph against real Postgres and Kafka', () => {
  const counter = new QueryCounter();
  const logLines: string[] = [];
  let dataSource: DataSource;
  let bus: EventBus;
  let service: SubgraphService;
  let running: RunningServer;

  const orgUnitId = randomUUID();
  const personId = randomUUID();
  const candidateId = randomUUID();

  async function graphql(query: string, variables: Record<string, unknown>, token: string | null) {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLBody };
  }

  const tokenFor = (roles: Role[], regionCode = '510107000000') => issueToken({ userId: `u-${roles[0]}`, roles, regionCode }, auth);
  const count = async (table: string) => (await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  const RECEIVE = `mutation($input: ReceiveComplaintInput!) {
    receiveComplaint(input: $input) { id status channel category summary orgUnitId subjectPersonId receivedAt }
  }`;
  const complaintInput = () => ({
    channel: 'HOTLINE',
    category: 'VOTE_BUYING',
    summary: SECRET_SUMMARY,
    orgUnitId,
    regionCode: VILLAGE_CODE,
    subjectPersonId: personId,
  });

  beforeAll(async () => {
    // Every log line at every level is kept, to prove the summary never reaches the log.
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ name: 'complaints-test', level: 'trace', destination: sink });
    dataSource = await openDatabase({ url: await testDatabaseUrl('complaints'), entities: [], migrations, logger, queryCounter: counter });
    // One partition: events then arrive in publish order, so a later event being handled proves
    // the earlier duplicate was delivered (and skipped) too.
    bus = createKafkaBus({ brokers: testKafkaBrokers().split(','), clientId: 'complaints-test', topicPrefix: uniqueTopicPrefix(), logger, partitions: 1 });
    service = await createServer({ dataSource, bus, logger, auth });
    running = await service.start(0);
  });

  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await dataSource?.destroy();
  });

  let complaintId: string;

  it('receives a complaint from a township officer, audited without the summary', async () => {
    const res = await graphql(RECEIVE, { input: complaintInput() }, await tokenFor(['TOWN_OFFICER']));
    expect(res.body.errors).toBeUndefined();
    complaintId = res.body.data.receiveComplaint.id;
    expect(res.body.data.receiveComplaint).toMatchObject({ status: 'RECEIVED', summary: SECRET_SUMMARY, orgUnitId, subjectPersonId: personId });
    const [audit] = await dataSource.query(`SELECT action, region_path, after FROM audit_log WHERE entity_id = $1`, [complaintId]);
    expect(audit).toMatchObject({ action: 'receiveComplaint', region_path: VILLAGE_PATH });
    expect(JSON.stringify(audit.after)).not.toContain('李四');
  });

  it('screens a candidate once for a nomination delivered twice, counting the open complaints about them', async () => {
    const event = nomination(randomUUID(), { candidateId, personId, orgUnitId });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    const later = nomination(randomUUID(), { candidateId: randomUUID(), personId: randomUUID(), orgUnitId });
    await bus.publish([later]);

    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM candidate_screening WHERE candidate_id = $1`, [later.subject])).length === 1, {
      timeoutMs: 30_000,
      message: 'the later nomination handled',
    });
    const rows = await dataSource.query(`SELECT person_id, region_path, open_cases_at_nomination FROM candidate_screening WHERE candidate_id = $1`, [candidateId]);
    expect(rows).toEqual([{ person_id: personId, region_path: VILLAGE_PATH, open_cases_at_nomination: 1 }]);
    expect(await dataSource.query(`SELECT open_cases_at_nomination AS n FROM candidate_screening WHERE candidate_id = $1`, [later.subject])).toEqual([{ n: 0 }]);
    expect(await count('candidate_screening')).toBe(2);
  });

  it('serves the complaint to DISCIPLINE and refuses a TOWN_OFFICER', async () => {
    const query = `query($id: ID!) { complaint(id: $id) { id category status summary } }`;
    const discipline = await graphql(query, { id: complaintId }, await tokenFor(['DISCIPLINE']));
    expect(discipline.body.data).toEqual({ complaint: { id: complaintId, category: 'VOTE_BUYING', status: 'RECEIVED', summary: SECRET_SUMMARY } });
    const town = await graphql(query, { id: complaintId }, await tokenFor(['TOWN_OFFICER']));
    expect(town.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.ROLE' });
  });

  it('shows complaints about a person to DISCIPLINE only, many people in one statement', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { complaintsAbout { id category } } } }`;
    const reps = [personId, randomUUID(), randomUUID()].map((id) => ({ __typename: 'Person', id }));
    counter.reset();
    const discipline = await graphql(query, { r: reps }, await tokenFor(['DISCIPLINE']));
    expect(discipline.body.errors).toBeUndefined();
    expect(discipline.body.data._entities).toEqual([
      { complaintsAbout: [{ id: complaintId, category: 'VOTE_BUYING' }] },
      { complaintsAbout: [] },
      { complaintsAbout: [] },
    ]);
    expect(counter.queries.filter((q) => /FROM complaint/.test(q))).toHaveLength(1);

    const orgAdmin = await graphql(query, { r: reps.slice(0, 1) }, await tokenFor(['ORG_ADMIN']));
    expect(orgAdmin.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.ROLE' });
  });

  it('counts open complaints per org unit in one statement, within the caller\'s scope', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { id openComplaintCount } } }`;
    const other = randomUUID();
    const reps = [orgUnitId, other].map((id) => ({ __typename: 'OrgUnit', id }));
    counter.reset();
    const inScope = await graphql(query, { r: reps }, await tokenFor(['TRAINER']));
    expect(inScope.body.data._entities).toEqual([
      { id: orgUnitId, openComplaintCount: 1 },
      { id: other, openComplaintCount: 0 },
    ]);
    expect(counter.queries.filter((q) => /FROM complaint/.test(q))).toHaveLength(1);

    const elsewhere = await graphql(query, { r: reps.slice(0, 1) }, await tokenFor(['TRAINER'], '510104000000')); // 锦江区
    expect(elsewhere.body.data._entities).toEqual([{ id: orgUnitId, openComplaintCount: 0 }]);
  });

  it('refuses bad input with BAD_USER_INPUT naming the rule, and writes nothing', async () => {
    const token = await tokenFor(['DISCIPLINE']);
    const [complaints, audits] = [await count('complaint'), await count('audit_log')];
    const cases: [Record<string, unknown>, string][] = [
      [{ summary: '   ' }, 'COMPLAINT.SUMMARY'],
      [{ summary: '拉'.repeat(2001) }, 'COMPLAINT.SUMMARY'],
      [{ regionCode: '5101070010' }, 'COMPLAINT.REGION_CODE'],
      [{ orgUnitId: 'not-a-uuid' }, 'COMPLAINT.ORG_UNIT_ID'],
    ];
    for (const [change, rule] of cases) {
      const res = await graphql(RECEIVE, { input: { ...complaintInput(), ...change } }, token);
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    }
    const outside = await graphql(RECEIVE, { input: { ...complaintInput(), regionCode: '510104001001' } }, token);
    expect(outside.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.REGION_SCOPE' });
    const auditor = await graphql(RECEIVE, { input: complaintInput() }, await tokenFor(['AUDITOR']));
    expect(auditor.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'AUTH.ROLE' });
    expect([await count('complaint'), await count('audit_log')]).toEqual([complaints, audits]);
  });

  it('refuses a request without a token with HTTP 401 UNAUTHENTICATED', async () => {
    const res = await graphql(RECEIVE, { input: complaintInput() }, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('never wrote the summary to the log', () => {
    expect(logLines.some((line) => line.includes('complaint received'))).toBe(true);
    expect(logLines.filter((line) => line.includes('李四'))).toEqual([]);
  });
});
