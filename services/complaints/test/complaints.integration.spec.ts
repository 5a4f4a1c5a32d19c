import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createLogger, createPiiCipher, generatePiiKeys, issueToken, QueryCounter, type Role } from '@huanjie/platform';
import { CandidateNominated, envelopeOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

// 成都市 武侯区 簇桥街道: two communities; 锦江区 is elsewhere.
const DISTRICT = '510107000000';
const TOWN = '510107018000';
const VILLAGE = '510107018003';
const VILLAGE_PATH = '51.5101.510107.510107018.510107018003';
const OTHER_DISTRICT = '510104000000';

/** Name, contact and description that must never reach the log, an event, an audit row or a non-DISCIPLINE reader. */
const COMPLAINANT = { name: '赵秘密', contact: '13912345678' };
const SUMMARY = '村民反映候选人王五以每票200元拉票,地点在村委会后院';

// Every log line at every level is kept, to prove personal data never reaches the log.
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

// The service's clock: tests move it to cross deadlines.
let now = new Date('2026-03-02T02:00:00Z'); // 10:00 in Beijing
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);

let sut: ServiceUnderTest;
let dataSource: DataSource;
let bus: EventBus;
let counter: QueryCounter;

interface Caller {
  roles: Role[];
  region?: string;
  user?: string;
}
const DISCIPLINE: Caller = { roles: ['DISCIPLINE'], region: DISTRICT, user: 'jw-investigator' };
const ORG_ADMIN: Caller = { roles: ['ORG_ADMIN'], region: DISTRICT, user: 'zzb-admin' };
const TOWN_OFFICER: Caller = { roles: ['TOWN_OFFICER'], region: TOWN, user: 'town-clerk' };

async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = DISCIPLINE) {
  const region = who.region ?? '000000000000';
  const token = await issueToken({ userId: who.user ?? `${who.roles[0]}@${region}`, roles: who.roles, regionCode: region }, sut.auth);
  return graphqlPost<T>(sut.url, { query, variables, token });
}
async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = DISCIPLINE): Promise<T> {
  const res = await gql<T>(query, variables, who);
  expect(res.errors).toBeUndefined();
  return res.data!;
}
const ruleOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.rule;
const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
const writes = async () => [await count('complaint'), await count('complaint_history'), await count('audit_log'), await count('outbox')];

const FIELDS = `id status statusKind allowedEvents category severity channel summary electionPeriod anonymous receiptCode subjectPersonIds
  orgUnitId election { id } attachments { fileName sha256 }
  deadlines { policyId firstResponseDue respondedAt handleDue extensions overdue overdueDeadline overdueEver level escalations { deadline fromLevel toLevel } }
  assignment { orgUnitId investigator } resolution { text decidedBy closedAt findingAt findingBy }
  history { actor event fromStatus toStatus reason }`;
const RECEIVE = `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { complaint(id: $id) { ${FIELDS} } }`;
const step = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { ${FIELDS} } }`;
const ACCEPT = step('acceptComplaint', 'ComplaintStepInput');
const REJECT = step('rejectComplaint', 'ComplaintReasonInput');
const ASSIGN = step('assignComplaint', 'AssignComplaintInput');
const START = step('startInvestigation', 'ComplaintStepInput');
const SUBSTANTIATE = step('substantiateComplaint', 'SubstantiateComplaintInput');
const UNSUBSTANTIATE = step('unsubstantiateComplaint', 'ComplaintReasonInput');
const CLOSE = step('closeComplaint', 'CloseComplaintInput');
const MERGE = step('mergeComplaint', 'MergeComplaintInput');
const EXTEND = step('extendComplaintDeadline', 'ExtendDeadlineInput');
const ESCALATE = `mutation { runComplaintEscalation { escalated escalations { complaintId deadline fromLevel toLevel } } }`;
const STATUS = `query($code: String!) { complaintStatus(receiptCode: $code) { status statusKind receivedAt firstResponseDue respondedAt handleDue findingAt closedAt } }`;

interface ComplaintView {
  id: string;
  status: string;
  statusKind: string;
  allowedEvents: string[];
  receiptCode: string | null;
  deadlines: { firstResponseDue: string; respondedAt: string | null; handleDue: string | null; extensions: number; overdue: boolean; overdueDeadline: string | null; overdueEver: boolean; level: string; escalations: { deadline: string; fromLevel: string; toLevel: string }[] };
  assignment: { orgUnitId: string; investigator: string } | null;
  resolution: { text: string | null; decidedBy: string | null; closedAt: string | null; findingAt: string | null; findingBy: string | null } | null;
  history: { actor: string; event: string; fromStatus: string | null; toStatus: string; reason: string | null }[];
  [k: string]: unknown;
}

const villageId = randomUUID();
const townUnitId = randomUUID();
const electionId = randomUUID();
const [wang, li] = [randomUUID(), randomUUID()];
const input = (change: Record<string, unknown> = {}) => ({
  channel: 'HOTLINE',
  category: 'VOTE_BUYING',
  summary: SUMMARY,
  orgUnitId: villageId,
  regionCode: VILLAGE,
  ...change,
});
const receive = async (change: Record<string, unknown> = {}, who: Caller = TOWN_OFFICER) => (await ok<{ receiveComplaint: ComplaintView }>(RECEIVE, { input: input(change) }, who)).receiveComplaint;
const run = async (mutation: string, stepInput: Record<string, unknown>, who: Caller = DISCIPLINE) => Object.values(await ok<Record<string, ComplaintView>>(mutation, { input: stepInput }, who))[0]!;

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'complaints',
    migrations,
    logger,
    partitions: 1,
    create: (deps) => createServer({ ...deps, now: () => now, pii: createPiiCipher(generatePiiKeys()), escalationIntervalMs: 0, receiptLookups: { maxFailures: 3, windowMs: 60_000 } }),
  });
  ({ dataSource, bus, counter } = sut);
});

afterAll(async () => {
  await sut?.stop();
});

let main: ComplaintView;

describe('intake from every channel', () => {
  it('registers an identified complaint with subjects, an election and attachments; the receipt code is shown once', async () => {
    const sha256 = 'ab'.repeat(32);
    main = await receive({
      channel: 'SUPERVISION_GROUP',
      subjectPersonIds: [wang],
      electionId,
      attachments: [{ fileName: '转账截图.jpg', mediaType: 'image/jpeg', sizeBytes: 20480, sha256 }],
      complainant: COMPLAINANT,
    });
    expect(main).toMatchObject({
      status: 'RECEIVED',
      statusKind: 'OPEN',
      category: 'VOTE_BUYING',
      severity: 'HIGH',
      channel: 'SUPERVISION_GROUP',
      electionPeriod: true,
      anonymous: false,
      subjectPersonIds: [wang],
      election: { id: electionId },
      attachments: [{ fileName: '转账截图.jpg', sha256 }],
      history: [{ actor: 'town-clerk', event: 'RECEIVE', fromStatus: null, toStatus: 'RECEIVED', reason: null }],
    });
    // 日结日清不过夜: an election-period case is answered within 24 hours.
    expect(main.deadlines).toMatchObject({ firstResponseDue: hours(24).toISOString(), level: 'TOWN', overdue: false, handleDue: null });
    expect(main.receiptCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    const again = await ok<{ complaint: ComplaintView }>(GET, { id: main.id });
    expect(again.complaint.receiptCode).toBeNull();
    // At rest: the complainant encrypted, the receipt code only as a hash.
    const [row] = await dataSource.query(`SELECT complainant_enc, receipt_hash FROM complaint WHERE id = $1`, [main.id]);
    expect(row.complainant_enc).toMatch(/^v2:k1:/);
    expect(JSON.stringify(row)).not.toContain(COMPLAINANT.name);
    expect(JSON.stringify(row)).not.toContain(main.receiptCode!.replace(/-/g, ''));
  });

  it('takes every channel, anonymous by default, outside the election period on the ordinary 15-day first response', async () => {
    for (const channel of ['HOTLINE', 'EMAIL', 'LETTER', 'VISIT', 'ONLINE', 'REFERRAL_12345']) {
      const c = await receive({ channel, category: 'FINANCES', subjectPersonIds: [li] }, ORG_ADMIN);
      expect(c).toMatchObject({ channel, anonymous: true, electionPeriod: false, severity: 'MEDIUM' });
      expect(c.deadlines.firstResponseDue).toBe('2026-03-17T15:59:59.999Z'); // 17 March, end of the day in Beijing
    }
  });

  it('refuses bad input, other regions and other roles, writing nothing', async () => {
    const before = await writes();
    const cases: [Record<string, unknown>, Caller, string, string][] = [
      [{ summary: '  ' }, DISCIPLINE, 'BAD_USER_INPUT', 'COMPLAINT.SUMMARY'],
      [{ subjectPersonIds: ['x'] }, DISCIPLINE, 'BAD_USER_INPUT', 'COMPLAINT.SUBJECT_PERSON_ID'],
      [{ attachments: [{ fileName: 'a.jpg', mediaType: 'image/jpeg', sizeBytes: 1, sha256: 'nothex' }] }, DISCIPLINE, 'BAD_USER_INPUT', 'COMPLAINT.ATTACHMENT_HASH'],
      [{ complainant: { name: ' ' } }, DISCIPLINE, 'BAD_USER_INPUT', 'COMPLAINT.COMPLAINANT_NAME'],
      [{ regionCode: '510104001001' }, DISCIPLINE, 'FORBIDDEN', 'AUTH.REGION_SCOPE'],
      [{}, { roles: ['AUDITOR'], region: DISTRICT }, 'FORBIDDEN', 'AUTH.ROLE'],
    ];
    for (const [change, who, code, rule] of cases) {
      const res = await gql(RECEIVE, { input: input(change) }, who);
      expect([errorCodes(res), ruleOf(res)]).toEqual([[code], rule]);
    }
    expect(await writes()).toEqual(before);
    const unauthenticated = await graphqlPost(sut.url, { query: RECEIVE, variables: { input: input() } });
    expect(unauthenticated.status).toBe(401);
  });
});

describe('who sees the complainant', () => {
  const WHO = `query($id: ID!) { complaint(id: $id) { id anonymous complainant { name contact } } }`;

  it('shows the complainant to DISCIPLINE and refuses it to an ORG_ADMIN of the same region', async () => {
    expect((await ok<{ complaint: unknown }>(WHO, { id: main.id }, DISCIPLINE)).complaint).toEqual({ id: main.id, anonymous: false, complainant: COMPLAINANT });
    const admin = await gql<{ complaint: { id: string; complainant: unknown } | null }>(WHO, { id: main.id }, ORG_ADMIN);
    expect([errorCodes(admin), ruleOf(admin)]).toEqual([['FORBIDDEN'], 'AUTH.ROLE']);
    expect(admin.data?.complaint).toEqual({ id: main.id, anonymous: false, complainant: null });
    expect(JSON.stringify(admin)).not.toContain(COMPLAINANT.name);
  });
});

describe('status by receipt code', () => {
  it('tells state and dates only, to any signed-in caller wherever its scope', async () => {
    const res = await ok<{ complaintStatus: Record<string, unknown> }>(STATUS, { code: main.receiptCode!.toLowerCase() }, { roles: ['AUDITOR'], region: OTHER_DISTRICT, user: 'portal' });
    expect(res.complaintStatus).toEqual({
      status: 'RECEIVED',
      statusKind: 'OPEN',
      receivedAt: now.toISOString(),
      firstResponseDue: hours(24).toISOString(),
      respondedAt: null,
      handleDue: null,
      findingAt: null,
      closedAt: null,
    });
  });

  it('answers null to an unknown code, and refuses a caller after repeated failures (brute force)', async () => {
    const guesser: Caller = { roles: ['AUDITOR'], region: OTHER_DISTRICT, user: 'guesser' };
    for (const code of ['AAAA-AAAA-AAAA-AAAA-AAAA', 'too-short', 'BBBB-BBBB-BBBB-BBBB-BBBB']) {
      expect((await ok<{ complaintStatus: unknown }>(STATUS, { code }, guesser)).complaintStatus).toBeNull();
    }
    const refused = await gql(STATUS, { code: main.receiptCode }, guesser);
    expect([errorCodes(refused), ruleOf(refused)]).toEqual([['FORBIDDEN'], 'COMPLAINT.RECEIPT_ATTEMPTS']);
    // Another caller is not affected.
    expect((await ok<{ complaintStatus: { status: string } }>(STATUS, { code: main.receiptCode }, { roles: ['TRAINER'], user: 'portal-2' })).complaintStatus.status).toBe('RECEIVED');
  });
});

describe('the workflow', () => {
  it('accepts, assigns, investigates, substantiates and closes, recording who and why; publishes ComplaintSubstantiated and ComplaintClosed without the complainant', async () => {
    now = hours(2);
    const accepted = await run(ACCEPT, { complaintId: main.id, note: '线索具体' }, ORG_ADMIN);
    expect(accepted).toMatchObject({ status: 'ACCEPTED', deadlines: { respondedAt: now.toISOString(), overdue: false } });
    expect(accepted.deadlines.handleDue).toBe('2026-05-01T15:59:59.999Z'); // accepted 2 March (Beijing) + 60 days
    const assigned = await run(ASSIGN, { complaintId: main.id, orgUnitId: townUnitId, investigator: 'jw-investigator' }, ORG_ADMIN);
    expect(assigned).toMatchObject({ status: 'ASSIGNED', assignment: { orgUnitId: townUnitId, investigator: 'jw-investigator' } });
    expect((await run(START, { complaintId: main.id })).status).toBe('INVESTIGATING');
    const reassigned = await run(ASSIGN, { complaintId: main.id, orgUnitId: townUnitId, investigator: 'jw-senior', note: '加强力量' }, ORG_ADMIN);
    expect(reassigned).toMatchObject({ status: 'INVESTIGATING', assignment: { investigator: 'jw-senior' } });
    now = hours(20);
    const found = await run(SUBSTANTIATE, { complaintId: main.id, reason: '经查,王五以每票200元拉票属实' });
    expect(found).toMatchObject({ status: 'SUBSTANTIATED', statusKind: 'FINDING', allowedEvents: ['CLOSE'], resolution: { findingAt: now.toISOString(), findingBy: 'jw-investigator', closedAt: null } });
    const closed = await run(CLOSE, { complaintId: main.id, resolution: '取消当选资格,移送纪委处理' }, ORG_ADMIN);
    expect(closed).toMatchObject({ status: 'CLOSED', statusKind: 'CLOSED', allowedEvents: [], resolution: { text: '取消当选资格,移送纪委处理', decidedBy: 'zzb-admin', closedAt: now.toISOString() } });
    expect(closed.history.map((h) => [h.actor, h.event, h.fromStatus, h.toStatus, h.reason])).toEqual([
      ['town-clerk', 'RECEIVE', null, 'RECEIVED', null],
      ['zzb-admin', 'ACCEPT', 'RECEIVED', 'ACCEPTED', '线索具体'],
      ['zzb-admin', 'ASSIGN', 'ACCEPTED', 'ASSIGNED', null],
      ['jw-investigator', 'START_INVESTIGATION', 'ASSIGNED', 'INVESTIGATING', null],
      ['zzb-admin', 'ASSIGN', 'INVESTIGATING', 'INVESTIGATING', '加强力量'],
      ['jw-investigator', 'SUBSTANTIATE', 'INVESTIGATING', 'SUBSTANTIATED', '经查,王五以每票200元拉票属实'],
      ['zzb-admin', 'CLOSE', 'SUBSTANTIATED', 'CLOSED', '取消当选资格,移送纪委处理'],
    ]);
    const events = await dataSource.query(`SELECT type, payload FROM outbox WHERE subject = $1 ORDER BY seq`, [main.id]);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['huanjie.complaints.ComplaintReceived', 'huanjie.complaints.ComplaintSubstantiated', 'huanjie.complaints.ComplaintClosed']);
    expect(events[1].payload).toEqual({
      complaintId: main.id,
      orgUnitId: villageId,
      regionPath: VILLAGE_PATH,
      category: 'VOTE_BUYING',
      electionId,
      subjectPersonIds: [wang],
      substantiatedAt: found.resolution!.findingAt,
      severity: 'HIGH',
    });
    expect(events[2].payload).toMatchObject({ outcome: 'SUBSTANTIATED', overdue: false, mergedIntoComplaintId: null });
    expect(await count(`audit_log WHERE entity_id = $1`, [main.id])).toBe(7);
  });

  it('rejects with a reason, and finds unsubstantiated', async () => {
    const a = await receive({ subjectPersonIds: [li], category: 'CONDUCT' });
    const rejected = await run(REJECT, { complaintId: a.id, reason: '不属于换届纪律受理范围,已告知转交信访部门' }, ORG_ADMIN);
    expect(rejected).toMatchObject({ status: 'REJECTED', statusKind: 'CLOSED', resolution: { text: '不属于换届纪律受理范围,已告知转交信访部门', decidedBy: 'zzb-admin' } });
    const [closed] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = $1 AND type = 'huanjie.complaints.ComplaintClosed'`, [a.id]);
    expect(closed.payload).toMatchObject({ outcome: 'REJECTED', category: 'CONDUCT' });

    const b = await receive({ category: 'PROCEDURE' });
    await run(ACCEPT, { complaintId: b.id }, ORG_ADMIN);
    await run(ASSIGN, { complaintId: b.id, orgUnitId: townUnitId, investigator: 'jw-investigator' }, ORG_ADMIN);
    await run(START, { complaintId: b.id });
    const notTrue = await run(UNSUBSTANTIATE, { complaintId: b.id, reason: '经核查,推选程序符合规定' });
    expect(notTrue).toMatchObject({ status: 'UNSUBSTANTIATED', statusKind: 'FINDING' });
    expect((await run(CLOSE, { complaintId: b.id, resolution: '已向反映人反馈' })).status).toBe('CLOSED');
    expect(await count(`outbox WHERE subject = $1 AND type = 'huanjie.complaints.ComplaintSubstantiated'`, [b.id])).toBe(0);
  });

  it('refuses illegal transitions with CONFLICT naming the allowed events, wrong roles, missing reasons and other regions — changing nothing', async () => {
    const c = await receive({ category: 'ELIGIBILITY' });
    const before = await writes();
    const cases: [string, Record<string, unknown>, Caller, string, string][] = [
      [CLOSE, { complaintId: c.id, resolution: '办结' }, DISCIPLINE, 'CONFLICT', 'COMPLAINT.ILLEGAL_TRANSITION'],
      [START, { complaintId: c.id }, DISCIPLINE, 'CONFLICT', 'COMPLAINT.ILLEGAL_TRANSITION'],
      [SUBSTANTIATE, { complaintId: c.id, reason: '属实' }, DISCIPLINE, 'CONFLICT', 'COMPLAINT.ILLEGAL_TRANSITION'],
      [ASSIGN, { complaintId: c.id, orgUnitId: townUnitId, investigator: 'x' }, DISCIPLINE, 'CONFLICT', 'COMPLAINT.ILLEGAL_TRANSITION'],
      [REJECT, { complaintId: c.id, reason: ' ' }, DISCIPLINE, 'BAD_USER_INPUT', 'COMPLAINT.REASON_REQUIRED'],
      [ACCEPT, { complaintId: c.id }, TOWN_OFFICER, 'FORBIDDEN', 'AUTH.ROLE'],
      [ACCEPT, { complaintId: c.id }, { roles: ['DISCIPLINE'], region: OTHER_DISTRICT }, 'NOT_FOUND', 'COMPLAINT.NOT_FOUND'],
      [ACCEPT, { complaintId: randomUUID() }, DISCIPLINE, 'NOT_FOUND', 'COMPLAINT.NOT_FOUND'],
      [EXTEND, { complaintId: c.id, days: 10, reason: '案情复杂' }, DISCIPLINE, 'CONFLICT', 'COMPLAINT.NOT_EXTENDABLE'],
    ];
    for (const [mutation, stepInput, who, code, rule] of cases) {
      const res = await gql(mutation, { input: stepInput }, who);
      expect([errorCodes(res), ruleOf(res)]).toEqual([[code], rule]);
    }
    const illegal = await gql(CLOSE, { input: { complaintId: c.id, resolution: '办结' } });
    expect(illegal.errors![0]!.extensions).toMatchObject({ details: { status: 'RECEIVED', event: 'CLOSE', allowedEvents: ['ACCEPT', 'REJECT', 'MERGE'] } });
    expect(illegal.errors![0]!.message).toContain('allowed: ACCEPT, REJECT, MERGE');

    await run(ACCEPT, { complaintId: c.id }, ORG_ADMIN);
    await run(ASSIGN, { complaintId: c.id, orgUnitId: townUnitId, investigator: 'jw-investigator' }, ORG_ADMIN);
    await run(START, { complaintId: c.id });
    const afterSteps = await writes();
    const byAdmin = await gql(SUBSTANTIATE, { input: { complaintId: c.id, reason: '属实' } }, ORG_ADMIN);
    expect([errorCodes(byAdmin), ruleOf(byAdmin)]).toEqual([['FORBIDDEN'], 'AUTH.ROLE']);
    const stranger = await gql(SUBSTANTIATE, { input: { complaintId: c.id, reason: '属实', subjectPersonIds: [randomUUID()] } });
    expect(ruleOf(stranger)).toBe('COMPLAINT.FOUND_NOT_SUBJECT');
    expect(await writes()).toEqual(afterSteps);
    expect(afterSteps[1]).toBe(before[1]! + 3);
  });
});

describe('duplicates and merging', () => {
  it('suggests cases of the same category about the same person within 30 days, and merges keeping both histories', async () => {
    const zhang = randomUUID();
    const first = await receive({ category: 'CLAN_INTERFERENCE', subjectPersonIds: [zhang] });
    const second = await receive({ category: 'CLAN_INTERFERENCE', subjectPersonIds: [zhang, li], channel: 'LETTER' });
    await receive({ category: 'CLAN_INTERFERENCE', subjectPersonIds: [randomUUID()] }); // another person: not a duplicate
    await receive({ category: 'VOTE_BUYING', subjectPersonIds: [zhang] }); // another category: not a duplicate
    const DUPS = `query($id: ID!) { complaint(id: $id) { possibleDuplicates { id } } }`;
    expect((await ok<{ complaint: { possibleDuplicates: { id: string }[] } }>(DUPS, { id: second.id })).complaint.possibleDuplicates).toEqual([{ id: first.id }]);

    await run(ACCEPT, { complaintId: first.id }, ORG_ADMIN);
    const merged = await run(MERGE, { complaintId: second.id, intoComplaintId: first.id, reason: '同一事项重复举报' }, ORG_ADMIN);
    expect(merged).toMatchObject({ status: 'MERGED', statusKind: 'CLOSED' });
    const VIEW = `query($id: ID!) { complaint(id: $id) { status subjectPersonIds mergedInto { id } mergedCases { id history { event } } history { event reason } possibleDuplicates { id } } }`;
    const survivor = (await ok<{ complaint: Record<string, unknown> }>(VIEW, { id: first.id })).complaint;
    expect(survivor).toEqual({
      status: 'ACCEPTED',
      subjectPersonIds: [zhang, li],
      mergedInto: null,
      mergedCases: [{ id: second.id, history: [{ event: 'RECEIVE' }, { event: 'MERGE' }] }],
      history: [
        { event: 'RECEIVE', reason: null },
        { event: 'ACCEPT', reason: null },
        { event: 'MERGE_IN', reason: null },
      ],
      possibleDuplicates: [], // the merged case is no longer suggested
    });
    expect((await ok<{ complaint: Record<string, unknown> }>(VIEW, { id: second.id })).complaint).toMatchObject({ status: 'MERGED', mergedInto: { id: first.id } });
    const [closed] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = $1 AND type = 'huanjie.complaints.ComplaintClosed'`, [second.id]);
    expect(closed.payload).toMatchObject({ outcome: 'MERGED', mergedIntoComplaintId: first.id });

    const third = await receive({ category: 'CLAN_INTERFERENCE', subjectPersonIds: [zhang] });
    const intoClosed = await gql(MERGE, { input: { complaintId: third.id, intoComplaintId: second.id, reason: '重复' } }, ORG_ADMIN);
    expect([errorCodes(intoClosed), ruleOf(intoClosed)]).toEqual([['CONFLICT'], 'COMPLAINT.MERGE_TARGET_CLOSED']);
    const self = await gql(MERGE, { input: { complaintId: third.id, intoComplaintId: third.id, reason: '重复' } }, ORG_ADMIN);
    expect(ruleOf(self)).toBe('COMPLAINT.MERGE_SELF');
  });
});

describe('deadlines and escalation (injected clock)', () => {
  const OVERDUE = `query($region: String!, $investigator: String) { overdueComplaints(regionCode: $region, investigator: $investigator, first: 100) {
    edges { node { id deadlines { overdueDeadline level } } } pageInfo { hasNextPage } } }`;
  const overdueIds = async (region = DISTRICT, investigator: string | null = null) =>
    (await ok<{ overdueComplaints: { edges: { node: { id: string; deadlines: { overdueDeadline: string; level: string } } }[] } }>(OVERDUE, { region, investigator })).overdueComplaints.edges.map((e) => e.node);

  it('lists a case missing its 24-hour first response, escalates it once to the district, and once more to the city when handling runs late', async () => {
    const t0 = now;
    const c = await receive({ category: 'CRIMINAL_INTERFERENCE', electionPeriod: true, subjectPersonIds: [randomUUID()] });
    now = new Date(t0.getTime() + 24 * 3_600_000);
    expect((await overdueIds()).map((n) => n.id)).not.toContain(c.id); // due, not yet past
    now = new Date(t0.getTime() + 25 * 3_600_000);
    expect(await overdueIds()).toContainEqual({ id: c.id, deadlines: { overdueDeadline: 'FIRST_RESPONSE', level: 'TOWN' } });
    const elsewhere = await gql(OVERDUE, { region: OTHER_DISTRICT, investigator: null }); // outside the caller's scope
    expect([errorCodes(elsewhere), ruleOf(elsewhere)]).toEqual([['FORBIDDEN'], 'AUTH.REGION_SCOPE']);

    const first = (await ok<{ runComplaintEscalation: { escalations: { complaintId: string }[] } }>(ESCALATE, {})).runComplaintEscalation;
    expect(first.escalations).toContainEqual({ complaintId: c.id, deadline: 'FIRST_RESPONSE', fromLevel: 'TOWN', toLevel: 'DISTRICT' });
    const again = (await ok<{ runComplaintEscalation: { escalated: number } }>(ESCALATE, {})).runComplaintEscalation;
    expect(again.escalated).toBe(0); // idempotent
    expect(await count(`complaint_escalation WHERE complaint_id = $1`, [c.id])).toBe(1);

    // A late first response is still taken; the handling deadline runs from it.
    const accepted = await run(ACCEPT, { complaintId: c.id }, ORG_ADMIN);
    expect(accepted.deadlines).toMatchObject({ overdue: false, overdueEver: true, level: 'DISTRICT', escalations: [{ deadline: 'FIRST_RESPONSE', fromLevel: 'TOWN', toLevel: 'DISTRICT' }] });
    await run(ASSIGN, { complaintId: c.id, orgUnitId: townUnitId, investigator: 'jw-slow' }, ORG_ADMIN);
    now = new Date(new Date(accepted.deadlines.handleDue!).getTime() + 1000);
    expect(await overdueIds(DISTRICT, 'jw-slow')).toEqual([{ id: c.id, deadlines: { overdueDeadline: 'HANDLING', level: 'DISTRICT' } }]);
    const COUNTS = `query($region: String!) { overdueComplaintCounts(regionCode: $region) { investigator level count } }`;
    expect((await ok<{ overdueComplaintCounts: unknown[] }>(COUNTS, { region: TOWN })).overdueComplaintCounts).toContainEqual({ investigator: 'jw-slow', level: 'DISTRICT', count: 1 });
    await ok(ESCALATE, {});
    await ok(ESCALATE, {});
    const escalated = (await ok<{ complaint: ComplaintView }>(GET, { id: c.id })).complaint;
    expect(escalated.deadlines).toMatchObject({ level: 'CITY', overdueDeadline: 'HANDLING' });
    expect(escalated.deadlines.escalations.map((e) => [e.deadline, e.fromLevel, e.toLevel])).toEqual([
      ['FIRST_RESPONSE', 'TOWN', 'DISTRICT'],
      ['HANDLING', 'DISTRICT', 'CITY'],
    ]);
    expect(escalated.history.filter((h) => h.event === 'ESCALATE')).toHaveLength(2);
    expect(await count(`audit_log WHERE entity_id = $1 AND action = 'escalateComplaint'`, [c.id])).toBe(2);

    // Extended once by 30 days: no longer overdue; a second extension is refused.
    const extended = await run(EXTEND, { complaintId: c.id, days: 30, reason: '涉黑线索需公安协查' }, ORG_ADMIN);
    expect(extended.deadlines).toMatchObject({ extensions: 1, overdue: false, overdueEver: true });
    expect(new Date(extended.deadlines.handleDue!).getTime() - new Date(accepted.deadlines.handleDue!).getTime()).toBe(30 * 86_400_000);
    const twice = await gql(EXTEND, { input: { complaintId: c.id, days: 5, reason: '再次延期' } }, ORG_ADMIN);
    expect([errorCodes(twice), ruleOf(twice)]).toEqual([['CONFLICT'], 'COMPLAINT.EXTENSION_USED']);
    const tooLong = await gql(EXTEND, { input: { complaintId: main.id, days: 31, reason: '案情复杂' } }, ORG_ADMIN);
    expect(ruleOf(tooLong)).toBe('COMPLAINT.NOT_EXTENDABLE'); // main is closed

    const escalationByAdmin = await gql(ESCALATE, {}, ORG_ADMIN);
    expect(errorCodes(escalationByAdmin)).toEqual(['FORBIDDEN']);
  });

  it('reads a page of overdue cases with their histories, escalations, duplicates and merged cases in a bounded number of statements', async () => {
    const query = `query($region: String!) { overdueComplaints(regionCode: $region, first: 100) { edges { node {
      ${FIELDS} complainant { name } possibleDuplicates { id } mergedCases { id } mergedInto { id } } } } }`;
    counter.reset();
    const res = await ok<{ overdueComplaints: { edges: unknown[] } }>(query, { region: DISTRICT });
    expect(res.overdueComplaints.edges.length).toBeGreaterThanOrEqual(8);
    const own = counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q));
    expect(own.length).toBeLessThanOrEqual(6); // page, history, escalations, duplicates, merged cases, merged-into
  });
});

describe('reading by person, election and unit', () => {
  const ABOUT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { complaintsAbout { id } } } }`;
  const OF_ELECTION = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Election { complaints { id category } } } }`;
  const OPEN_COUNT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { id openComplaintCount } } }`;

  it('shows the complaints about many people to DISCIPLINE only, in one statement', async () => {
    counter.reset();
    const res = await ok<{ _entities: { complaintsAbout: { id: string }[] }[] }>(ABOUT, { r: [wang, randomUUID()].map((id) => ({ __typename: 'Person', id })) });
    expect(res._entities[0]!.complaintsAbout.map((c) => c.id)).toContain(main.id);
    expect(res._entities[1]).toEqual({ complaintsAbout: [] });
    expect(counter.queries.filter((q) => /FROM complaint/.test(q))).toHaveLength(1);
    expect(errorCodes(await gql(ABOUT, { r: [{ __typename: 'Person', id: wang }] }, ORG_ADMIN))).toEqual(['FORBIDDEN']);
  });

  it('lists an election’s complaints and counts open cases per unit for any role within scope', async () => {
    const e = await ok<{ _entities: { complaints: { id: string }[] }[] }>(OF_ELECTION, { r: [{ __typename: 'Election', id: electionId }] }, ORG_ADMIN);
    expect(e._entities[0]!.complaints.map((c) => c.id)).toEqual([main.id]);
    counter.reset();
    const other = randomUUID();
    const res = await ok<{ _entities: { id: string; openComplaintCount: number }[] }>(OPEN_COUNT, { r: [villageId, other].map((id) => ({ __typename: 'OrgUnit', id })) }, { roles: ['TRAINER'], region: DISTRICT });
    expect(res._entities[0]!.openComplaintCount).toBeGreaterThan(5);
    expect(res._entities[1]).toEqual({ id: other, openComplaintCount: 0 });
    expect(counter.queries.filter((q) => /FROM complaint/.test(q))).toHaveLength(1);
    const elsewhere = await ok<{ _entities: unknown[] }>(OPEN_COUNT, { r: [{ __typename: 'OrgUnit', id: villageId }] }, { roles: ['TRAINER'], region: OTHER_DISTRICT });
    expect(elsewhere._entities).toEqual([{ id: villageId, openComplaintCount: 0 }]);
  });
});

describe('screening nominated candidates', () => {
  /** A CandidateNominated envelope as recordEvent in elections would build it. */
  const nomination = (data: { candidateId: string; personId: string }): EventEnvelope =>
    envelopeOf(CandidateNominated, {
      subject: data.candidateId,
      data: { ...data, orgUnitId: villageId, electionId, regionPath: VILLAGE_PATH, committeeKind: 'VILLAGERS', nominatedBy: 'VILLAGERS' },
    });

  it('screens a candidate once for a nomination delivered twice, counting the open complaints about them', async () => {
    const event = nomination({ candidateId: randomUUID(), personId: li });
    const later = nomination({ candidateId: randomUUID(), personId: randomUUID() });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    await bus.publish([later]);
    await waitFor(async () => (await count(`candidate_screening WHERE candidate_id = $1`, [later.subject])) === 1, { timeoutMs: 30_000, message: 'the later nomination handled' });
    const open = await count(`complaint WHERE subject_person_ids @> ARRAY[$1::uuid] AND status IN ('RECEIVED', 'ACCEPTED', 'ASSIGNED', 'INVESTIGATING', 'SUBSTANTIATED')`, [li]);
    expect(open).toBeGreaterThan(0);
    expect(await dataSource.query(`SELECT open_cases_at_nomination FROM candidate_screening WHERE candidate_id = $1`, [event.subject])).toEqual([{ open_cases_at_nomination: open }]);
    expect(await count('candidate_screening')).toBe(2);
  });
});

describe('the risk register (一村一策)', () => {
  const RECORD = `mutation($input: RecordRiskItemInput!) { recordRiskItem(input: $input) { id level status reviewOverdue owner { id } } }`;
  const UPDATE = `mutation($input: UpdateRiskItemInput!) { updateRiskItem(input: $input) { id level status } }`;
  const LEVELS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { id riskLevel riskItems { title level } } } }`;
  const OVERVIEW = `query($region: String!) { riskOverview(regionCode: $region) { nodes { orgUnitId highestLevel openItems highItems reviewsOverdue } hasNextPage } }`;
  const units = [randomUUID(), randomUUID(), randomUUID()];
  const owner = randomUUID();
  const item = (unit: string, level: string, title: string, change: Record<string, unknown> = {}) => ({
    input: { orgUnitId: unit, regionCode: VILLAGE, type: 'PETITIONS', level, title, ownerPersonId: owner, mitigationPlan: '一对一包联谈话,化解矛盾', reviewOn: '2026-06-01', ...change },
  });

  it('keeps items per unit; the unit’s risk level is its highest open one, for many units in one statement; a region view ranks units', async () => {
    await ok(RECORD, item(units[0]!, 'LOW', '村务公开不及时'), TOWN_OFFICER);
    const high = (await ok<{ recordRiskItem: { id: string; status: string; owner: { id: string } } }>(RECORD, item(units[0]!, 'HIGH', '长期上访户对候选人有异议'), TOWN_OFFICER)).recordRiskItem;
    expect(high).toMatchObject({ status: 'OPEN', owner: { id: owner } });
    await ok(RECORD, item(units[1]!, 'MEDIUM', '宗族势力可能干扰选举', { type: 'CLAN_INFLUENCE' }), ORG_ADMIN);
    const bad = await gql(RECORD, item(units[2]!, 'HIGH', '过期复核', { reviewOn: '2026-01-01' }), ORG_ADMIN);
    expect(ruleOf(bad)).toBe('RISK.REVIEW_ON');

    counter.reset();
    const levels = await ok<{ _entities: { id: string; riskLevel: string | null; riskItems: { title: string; level: string }[] }[] }>(LEVELS, { r: units.map((id) => ({ __typename: 'OrgUnit', id })) }, ORG_ADMIN);
    expect(levels._entities.map((u) => [u.riskLevel, u.riskItems.map((i) => i.level)])).toEqual([
      ['HIGH', ['HIGH', 'LOW']],
      ['MEDIUM', ['MEDIUM']],
      [null, []],
    ]);
    expect(counter.queries.filter((q) => /FROM risk_item/.test(q))).toHaveLength(2);

    const overview = (await ok<{ riskOverview: { nodes: { orgUnitId: string; highestLevel: string }[] } }>(OVERVIEW, { region: TOWN }, ORG_ADMIN)).riskOverview;
    expect(overview.nodes.map((n) => [n.orgUnitId, n.highestLevel])).toEqual([
      [units[0], 'HIGH'],
      [units[1], 'MEDIUM'],
    ]);

    await ok(UPDATE, { input: { riskItemId: high.id, status: 'RESOLVED' } }, TOWN_OFFICER);
    const after = await ok<{ _entities: { riskLevel: string | null }[] }>(LEVELS, { r: [{ __typename: 'OrgUnit', id: units[0] }] }, ORG_ADMIN);
    expect(after._entities[0]!.riskLevel).toBe('LOW');
    const elsewhere = await ok<{ _entities: { riskLevel: string | null }[] }>(`query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { riskLevel } } }`, { r: [{ __typename: 'OrgUnit', id: units[1] }] }, { roles: ['ORG_ADMIN'], region: OTHER_DISTRICT });
    expect(elsewhere._entities[0]!.riskLevel).toBeNull();
    expect(errorCodes(await gql(LEVELS, { r: [{ __typename: 'OrgUnit', id: units[0] }] }, { roles: ['TRAINER'], region: DISTRICT }))).toEqual(['FORBIDDEN']);
  });
});

describe('residents’ requests (我为群众办实事)', () => {
  it('counts where requests were resolved: the share resolved in the village', async () => {
    const RAISE = `mutation($input: RaiseResidentRequestInput!) { raiseResidentRequest(input: $input) { id } }`;
    const RESOLVE = `mutation($input: ResolveResidentRequestInput!) { resolveResidentRequest(input: $input) { resolvedLevel resolvedOn } }`;
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await ok<{ raiseResidentRequest: { id: string } }>(RAISE, { input: { orgUnitId: villageId, regionCode: VILLAGE, category: 'LIVELIHOOD', summary: `路灯损坏 ${i}`, raisedOn: '2026-03-01' } }, TOWN_OFFICER);
      ids.push(r.raiseResidentRequest.id);
    }
    for (const [i, id] of ids.slice(0, 10).entries()) {
      await ok(RESOLVE, { input: { requestId: id, level: i === 0 ? 'TOWN' : 'VILLAGE', resolvedOn: '2026-03-02' } }, TOWN_OFFICER);
    }
    const twice = await gql(RESOLVE, { input: { requestId: ids[1], level: 'VILLAGE' } }, TOWN_OFFICER);
    expect([errorCodes(twice), ruleOf(twice)]).toEqual([['CONFLICT'], 'REQUEST.ALREADY_RESOLVED']);
    const SUMMARY_Q = `query($region: String!) { residentRequestSummary(regionCode: $region) { total resolved open resolvedInVillage resolvedInTown resolvedInDistrict villageShare } }`;
    expect((await ok<{ residentRequestSummary: unknown }>(SUMMARY_Q, { region: DISTRICT }, ORG_ADMIN)).residentRequestSummary).toEqual({
      total: 11,
      resolved: 10,
      open: 1,
      resolvedInVillage: 9,
      resolvedInTown: 1,
      resolvedInDistrict: 0,
      villageShare: 0.9,
    });
    expect((await ok<{ residentRequestSummary: { total: number } }>(SUMMARY_Q, { region: OTHER_DISTRICT }, { roles: ['ORG_ADMIN'], region: OTHER_DISTRICT })).residentRequestSummary.total).toBe(0);
  });
});

describe('personal data', () => {
  const secrets = [COMPLAINANT.name, COMPLAINANT.contact, '王五', '村委会后院'];

  it('never wrote the complainant or the description to the log, an event or an audit row', async () => {
    expect(logLines.some((line) => line.includes('complaint received'))).toBe(true);
    expect(logLines.some((line) => line.includes('complaint transition'))).toBe(true);
    for (const secret of secrets) expect(logLines.filter((line) => line.includes(secret))).toEqual([]);
    expect(logLines.filter((line) => line.includes(main.receiptCode!))).toEqual([]);
    const outbox = JSON.stringify(await dataSource.query(`SELECT payload FROM outbox`));
    const audit = JSON.stringify(await dataSource.query(`SELECT before, after FROM audit_log`));
    for (const secret of secrets) {
      expect(outbox).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
    expect(outbox).not.toMatch(/complainant|anonymous/i);
  });
});
