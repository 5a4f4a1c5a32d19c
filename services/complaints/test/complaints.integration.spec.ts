import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createLogger, issueToken, QueryCounter, type Role } from '@huanjie/platform';
import { CandidateNominated, envelopeOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

const VILLAGE_CODE = '510107001002';
const VILLAGE_PATH = '51.5101.510107.510107001.510107001002';
/** Names people, as real summaries do: it must never reach the log or the audit trail. */
const SUMMARY = '村民李四反映候选人王五以每票200元拉票';

// Every log line at every level is kept, to prove the summary never reaches the log.
const logLines: string[] = [];
const logger = createLogger({
  name: 'complaints-test',
  level: 'trace',
  destination: new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});

/** A CandidateNominated envelope as recordEvent in elections would build it. */
function nomination(eventId: string, data: { candidateId: string; personId: string; orgUnitId: string }): EventEnvelope {
  return envelopeOf(CandidateNominated, {
    id: eventId,
    subject: data.candidateId,
    data: { ...data, electionId: randomUUID(), regionPath: VILLAGE_PATH, committeeKind: 'VILLAGERS', nominatedBy: 'VILLAGERS' },
  });
}

interface ComplaintView {
  id: string;
  status: string;
  channel: string;
  category: string;
  summary: string;
  orgUnitId: string;
  subjectPersonId: string | null;
  receivedAt: string;
}

let dataSource: DataSource;
let bus: EventBus;
let sut: ServiceUnderTest;
let url: string;
let counter: QueryCounter;

/** Scoped to 武侯区 unless told otherwise. */
const gql = async <T>(query: string, variables: Record<string, unknown>, roles: Role[], regionCode = '510107000000') =>
  graphqlPost<T>(url, { query, variables, token: await issueToken({ userId: `${roles[0]}@${regionCode}`, roles, regionCode }, sut.auth) });
const count = async (table: string) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

const RECEIVE = `mutation($input: ReceiveComplaintInput!) {
  receiveComplaint(input: $input) { id status channel category summary orgUnitId subjectPersonId receivedAt }
}`;
const orgUnitId = randomUUID();
const personId = randomUUID();
const complaint = {
  channel: 'HOTLINE',
  category: 'VOTE_BUYING',
  summary: SUMMARY,
  orgUnitId,
  regionCode: VILLAGE_CODE,
  subjectPersonId: personId,
};

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'complaints', migrations, create: (deps) => createServer(deps), partitions: 1, logger });
  ({ dataSource, bus, url, counter } = sut);
});

afterAll(async () => {
  await sut?.stop();
});

let complaintId: string;

describe('receiving complaints', () => {
  it('receives a complaint from a township officer, audited without the summary', async () => {
    const res = await gql<{ receiveComplaint: ComplaintView }>(RECEIVE, { input: complaint }, ['TOWN_OFFICER']);
    expect(res.errors).toBeUndefined();
    complaintId = res.data!.receiveComplaint.id;
    expect(res.data!.receiveComplaint).toMatchObject({ status: 'RECEIVED', summary: SUMMARY, orgUnitId, subjectPersonId: personId });
    const audit = await dataSource.query(`SELECT action, region_path, after FROM audit_log WHERE entity_id = $1`, [complaintId]);
    expect(audit).toEqual([
      { action: 'receiveComplaint', region_path: VILLAGE_PATH, after: expect.objectContaining({ summaryChars: 20 }) },
    ]);
    expect(JSON.stringify(audit[0].after)).not.toContain('李四');
  });

  it('refuses bad input with BAD_USER_INPUT naming the rule, and writes nothing', async () => {
    const [complaints, audits] = [await count('complaint'), await count('audit_log')];
    const cases: [Record<string, unknown>, string][] = [
      [{ summary: '   ' }, 'COMPLAINT.SUMMARY'],
      [{ summary: '拉'.repeat(2001) }, 'COMPLAINT.SUMMARY'],
      [{ regionCode: '5101070010' }, 'COMPLAINT.REGION_CODE'],
      [{ orgUnitId: 'not-a-uuid' }, 'COMPLAINT.ORG_UNIT_ID'],
    ];
    for (const [change, rule] of cases) {
      const res = await gql(RECEIVE, { input: { ...complaint, ...change } }, ['DISCIPLINE']);
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.rule).toBe(rule);
      expect(res.errors![0]!.message).not.toContain('拉拉');
    }
    expect([await count('complaint'), await count('audit_log')]).toEqual([complaints, audits]);
  });

  it("refuses units outside the caller's scope and roles that may not receive, writing nothing", async () => {
    const before = await count('complaint');
    const elsewhere = await gql(RECEIVE, { input: { ...complaint, regionCode: '510104001001' } }, ['DISCIPLINE']); // 锦江区
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);
    expect(elsewhere.errors![0]!.extensions!.rule).toBe('AUTH.REGION_SCOPE');
    const auditor = await gql(RECEIVE, { input: complaint }, ['AUDITOR']);
    expect(errorCodes(auditor)).toEqual(['FORBIDDEN']);
    expect(auditor.errors![0]!.extensions!.rule).toBe('AUTH.ROLE');
    expect(await count('complaint')).toBe(before);
  });

  it('refuses a request without a token with HTTP 401 UNAUTHENTICATED', async () => {
    const res = await graphqlPost(url, { query: RECEIVE, variables: { input: complaint } });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('screening nominated candidates', () => {
  it('screens a candidate once for a nomination delivered twice, counting the open complaints about them', async () => {
    const candidateId = randomUUID();
    const event = nomination(randomUUID(), { candidateId, personId, orgUnitId });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    const later = nomination(randomUUID(), { candidateId: randomUUID(), personId: randomUUID(), orgUnitId });
    await bus.publish([later]);

    await waitFor(
      async () => (await dataSource.query(`SELECT 1 FROM candidate_screening WHERE candidate_id = $1`, [later.subject])).length === 1,
      {
        timeoutMs: 30_000,
        message: 'the later nomination handled',
      },
    );
    const screening = `SELECT person_id, region_path, open_cases_at_nomination FROM candidate_screening WHERE candidate_id = $1`;
    expect(await dataSource.query(screening, [candidateId])).toEqual([
      { person_id: personId, region_path: VILLAGE_PATH, open_cases_at_nomination: 1 },
    ]);
    expect(await dataSource.query(screening, [later.subject])).toEqual([expect.objectContaining({ open_cases_at_nomination: 0 })]);
    expect(await count('candidate_screening')).toBe(2);
  });
});

describe('reading complaints', () => {
  const BY_ID = `query($id: ID!) { complaint(id: $id) { id category status summary } }`;
  const ABOUT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { complaintsAbout { id category } } } }`;
  const OPEN_COUNT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { id openComplaintCount } } }`;

  it('serves a complaint to the discipline commission and refuses a township officer', async () => {
    const discipline = await gql<{ complaint: Partial<ComplaintView> | null }>(BY_ID, { id: complaintId }, ['DISCIPLINE']);
    expect(discipline.data).toEqual({ complaint: { id: complaintId, category: 'VOTE_BUYING', status: 'RECEIVED', summary: SUMMARY } });
    const town = await gql(BY_ID, { id: complaintId }, ['TOWN_OFFICER']);
    expect(errorCodes(town)).toEqual(['FORBIDDEN']);
  });

  it('shows the complaints about many people to DISCIPLINE in one statement', async () => {
    const reps = [personId, randomUUID(), randomUUID()].map((id) => ({ __typename: 'Person', id }));
    counter.reset();
    const res = await gql<{ _entities: { complaintsAbout: { id: string; category: string }[] }[] }>(ABOUT, { r: reps }, ['DISCIPLINE']);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { complaintsAbout: [{ id: complaintId, category: 'VOTE_BUYING' }] },
      { complaintsAbout: [] },
      { complaintsAbout: [] },
    ]);
    expect(counter.queries.filter((q) => /FROM complaint/.test(q))).toHaveLength(1);
  });

  it('refuses complaints about a person to everyone but DISCIPLINE', async () => {
    const res = await gql(ABOUT, { r: [{ __typename: 'Person', id: personId }] }, ['ORG_ADMIN']);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0]!.extensions!.rule).toBe('AUTH.ROLE');
  });

  it('counts open complaints of many units in one statement, for any role within scope', async () => {
    const other = randomUUID();
    const reps = [orgUnitId, other].map((id) => ({ __typename: 'OrgUnit', id }));
    counter.reset();
    const res = await gql<{ _entities: { id: string; openComplaintCount: number }[] }>(OPEN_COUNT, { r: reps }, ['TRAINER']);
    expect(res.data!._entities).toEqual([
      { id: orgUnitId, openComplaintCount: 1 },
      { id: other, openComplaintCount: 0 },
    ]);
    expect(counter.queries.filter((q) => /FROM complaint/.test(q))).toHaveLength(1);

    const elsewhere = await gql<{ _entities: unknown[] }>(OPEN_COUNT, { r: reps.slice(0, 1) }, ['TRAINER'], '510104000000'); // 锦江区
    expect(elsewhere.data!._entities).toEqual([{ id: orgUnitId, openComplaintCount: 0 }]);
  });
});

describe('personal data', () => {
  it('never wrote the summary to the log', () => {
    expect(logLines.some((line) => line.includes('complaint received'))).toBe(true);
    expect(logLines.filter((line) => line.includes('李四'))).toEqual([]);
  });
});
