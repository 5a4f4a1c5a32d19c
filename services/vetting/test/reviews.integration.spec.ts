import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { issueToken, regionPathFromCode, shanghaiDate, type QueryCounter, type Role } from '@huanjie/platform';
import { CandidateNominated, ComplaintSubstantiated, envelopeOf, topicOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import { graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { policyById } from '../src/domain/negative-lists.data';
import { addDays } from '../src/domain/review.rules';

// 成都市 武侯区 簇桥街道 (national policy: town first review, then the county's eight departments);
// 和林格尔县 for the report's seeded figures (its own 16-item policy).
const DISTRICT = '510107000000';
const TOWN = '510107018000';
const VILLAGE = '510107018003';
const VILLAGE_PATH = regionPathFromCode(VILLAGE);
const COUNTY_DEPARTMENTS = ['DISCIPLINE', 'ORGANISATION', 'POLITICAL_LEGAL', 'PUBLIC_SECURITY', 'PROCURATORATE', 'COURT', 'PETITIONS', 'CIVIL_AFFAIRS'];

let clock = new Date('2026-03-02T02:00:00Z'); // 10:00 in Shanghai
let sut: ServiceUnderTest;
let dataSource: DataSource;
let bus: EventBus;
let counter: QueryCounter;

interface Caller {
  roles: Role[];
  region: string;
  department?: string;
  user?: string;
}
const ADMIN: Caller = { roles: ['ORG_ADMIN'], region: '510100000000', user: 'org-admin' };
const TOWNSHIP: Caller = { roles: ['TOWN_OFFICER'], region: TOWN, user: 'town-officer' };
const reviewer = (department: string): Caller => ({ roles: ['REVIEWER'], region: DISTRICT, department, user: `reviewer-${department.toLowerCase()}` });

async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = ADMIN) {
  const token = await issueToken({ userId: who.user ?? who.roles[0]!, roles: who.roles, regionCode: who.region, department: who.department }, sut.auth);
  return graphqlPost<T>(sut.url, { query, variables, token });
}
async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = ADMIN): Promise<T> {
  const res = await gql<T>(query, variables, who);
  expect(res.errors).toBeUndefined();
  return res.data!;
}
const failure = (res: { errors?: { extensions?: { code?: string; rule?: string } }[] }) => `${res.errors?.[0]?.extensions?.code}:${res.errors?.[0]?.extensions?.rule}`;
/** Statements on this area's tables since the counter was reset (the outbox relay polls beside the request). */
const readsOfReviews = () => counter.queries.filter((q) => /\b(review|department_opinion|review_history)\b/.test(q));
const count = async (sql: string, params: unknown[] = []) => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
const outboxOf = (reviewId: string, name: string) =>
  dataSource.query(`SELECT payload FROM outbox WHERE subject = $1 AND type = $2 ORDER BY seq`, [reviewId, `huanjie.vetting.${name}`]) as Promise<{ payload: Record<string, unknown> }[]>;

interface Nominee {
  candidateId: string;
  personId: string;
  electionId: string;
  orgUnitId: string;
}
const nominee = (): Nominee => ({ candidateId: randomUUID(), personId: randomUUID(), electionId: randomUUID(), orgUnitId: randomUUID() });
const nomination = (n: Nominee, id = randomUUID()): EventEnvelope =>
  envelopeOf(CandidateNominated, {
    id,
    subject: n.candidateId,
    time: clock,
    data: { ...n, regionPath: VILLAGE_PATH, committeeKind: 'VILLAGERS', nominatedBy: 'HOUSEHOLDS' },
  });

/** Nominates through Kafka as elections would and waits for the review. */
async function nominate(n: Nominee = nominee()): Promise<Nominee & { reviewId: string }> {
  await bus.publish([nomination(n)]);
  await waitFor(async () => (await count(`review WHERE candidate_id = $1`, [n.candidateId])) === 1, { timeoutMs: 30_000, message: 'review opened' });
  const [{ id }] = await dataSource.query(`SELECT id FROM review WHERE candidate_id = $1`, [n.candidateId]);
  return { ...n, reviewId: id };
}

/** The candidate's 换届纪律承诺书, as the safeguards area records it (a candidate without one is not cleared). */
async function signPledge(n: Nominee) {
  await dataSource.query(
    `INSERT INTO pledge (id, person_id, kind, org_unit_id, region_path, election_id, signed_on, recorded_by, recorded_at)
     VALUES ($1, $2, 'CANDIDATE', $3, $4, $5, $6, 'test', $7)`,
    [randomUUID(), n.personId, n.orgUnitId, VILLAGE_PATH, n.electionId, shanghaiDate(clock), clock],
  );
}

const REVIEW_FIELDS = `id status level levels round openedBy negativeListCodes policy { id }
  requiredDepartments { department level answered deadline overdue opinion { id } }
  opinions { id department decision itemCodes note current level round }
  conclusion { outcome itemCodes complaintIds overruleReason concludedBy opinions { id department } items { code effect } }
  history { kind level round actor }`;
interface ReviewView {
  id: string;
  status: string;
  level: string;
  levels: string[];
  round: number;
  openedBy: string;
  negativeListCodes: string[];
  policy: { id: string };
  requiredDepartments: { department: string; level: string; answered: boolean; deadline: string; overdue: boolean; opinion: { id: string } | null }[];
  opinions: { id: string; department: string; decision: string; itemCodes: string[]; note: string | null; current: boolean; level: string; round: number }[];
  conclusion: {
    outcome: string;
    itemCodes: string[];
    complaintIds: string[];
    overruleReason: string | null;
    concludedBy: string;
    opinions: { id: string; department: string }[];
    items: { code: string; effect: string }[];
  } | null;
  history: { kind: string; level: string | null; round: number; actor: string }[];
}
const GET = `query($id: ID!) { review(id: $id) { ${REVIEW_FIELDS} } }`;
const OPINION = `mutation($input: RecordOpinionInput!) { recordOpinion(input: $input) { id department decision itemCodes current supersededBy } }`;
const ADVANCE = `mutation($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { id level } }`;
const CONCLUDE = `mutation($input: ConcludeReviewInput!) { concludeReview(input: $input) { ${REVIEW_FIELDS} } }`;

const review = async (id: string, who: Caller = ADMIN) => (await ok<{ review: ReviewView }>(GET, { id }, who)).review;
const opine = (reviewId: string, who: Caller, decision = 'CLEAR', itemCodes: string[] = [], note = '') =>
  ok<{ recordOpinion: { id: string; department: string; current: boolean } }>(OPINION, { input: { reviewId, decision, itemCodes, note } }, who).then((d) => d.recordOpinion);

/** The town's first review done and the review moved to the county. */
async function throughTown(reviewId: string) {
  await opine(reviewId, TOWNSHIP);
  await ok(ADVANCE, { id: reviewId });
}

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'vetting-reviews', migrations, create: (deps) => createServer({ ...deps, now: () => clock }), partitions: 1 });
  ({ dataSource, bus, counter } = sut);
  await bus.ensureTopics([topicOf(CandidateNominated), topicOf(ComplaintSubstantiated)]);
});

afterAll(async () => {
  await sut?.stop();
});

describe('opening reviews', () => {
  it('opens one review for a nomination delivered twice, and again under a new event id, with ReviewOpened once', async () => {
    const n = nominee();
    const event = nomination(n);
    await bus.publish([event]);
    await bus.publish([event]);
    await bus.publish([nomination(n)]); // elections re-publishing the same nomination
    const later = nominee();
    await bus.publish([nomination(later)]); // behind the duplicates on the one partition
    await waitFor(async () => (await count(`review WHERE candidate_id = $1`, [later.candidateId])) === 1, { timeoutMs: 30_000, message: 'later nomination handled' });

    const rows = await dataSource.query(`SELECT id, status, level, policy_id, round, opened_by FROM review WHERE candidate_id = $1`, [n.candidateId]);
    expect(rows).toEqual([{ id: expect.any(String), status: 'OPEN', level: 'TOWN_FIRST_REVIEW', policy_id: '000000000000@2020', round: 1, opened_by: 'NOMINATION' }]);
    const opened = await outboxOf(rows[0].id, 'ReviewOpened');
    expect(opened.map((e) => e.payload)).toEqual([
      {
        reviewId: rows[0].id,
        candidateId: n.candidateId,
        electionId: n.electionId,
        personId: n.personId,
        orgUnitId: n.orgUnitId,
        regionPath: VILLAGE_PATH,
        level: 'TOWN_FIRST_REVIEW',
        policyId: '000000000000@2020',
        openedBy: 'NOMINATION',
      },
    ]);
    expect(await count(`audit_log WHERE entity_id = $1 AND action = 'openReview'`, [rows[0].id])).toBe(1);
  });

  it('opens a review by hand once (ORG_ADMIN), within scope', async () => {
    const n = nominee();
    const OPEN = `mutation($input: OpenReviewInput!) { openReview(input: $input) { id status level openedBy policy { id } } }`;
    const input = { ...n, orgUnitCode: '150123101001' }; // 和林格尔县: its own policy
    expect(failure(await gql(OPEN, { input }))).toBe('FORBIDDEN:AUTH.REGION_SCOPE');
    const res = await ok<{ openReview: { id: string; openedBy: string; policy: { id: string } } }>(OPEN, { input }, { roles: ['ORG_ADMIN'], region: '150123000000' });
    expect(res.openReview).toMatchObject({ openedBy: 'HAND', policy: { id: '150123000000@2020' } });
    expect(failure(await gql(OPEN, { input }, { roles: ['ORG_ADMIN'], region: '150123000000' }))).toBe('CONFLICT:REVIEW.ALREADY_OPEN');
    expect(failure(await gql(OPEN, { input }, reviewer('COURT')))).toBe('FORBIDDEN:AUTH.ROLE');
    expect(await outboxOf(res.openReview.id, 'ReviewOpened')).toHaveLength(1);
  });
});

describe('the departments and the levels', () => {
  let cleared: Nominee & { reviewId: string };

  it('takes the town first review, then the county departments, each its own opinion only', async () => {
    cleared = await nominate();
    const id = cleared.reviewId;
    // Before the town has answered, the county's departments are not asked, and the review does not move.
    expect(failure(await gql(OPINION, { input: { reviewId: id, decision: 'CLEAR' } }, reviewer('COURT')))).toBe('CONFLICT:REVIEW.DEPARTMENT_NOT_AT_LEVEL');
    expect(failure(await gql(ADVANCE, { id }))).toBe('CONFLICT:REVIEW.OPINIONS_MISSING');
    await throughTown(id);
    expect((await review(id)).level).toBe('COUNTY_JOINT_REVIEW');

    // A reviewer of another department, and the organisation department's admin, may not speak for 纪委监委.
    const forOther = await gql(OPINION, { input: { reviewId: id, department: 'DISCIPLINE', decision: 'CLEAR' } }, reviewer('PUBLIC_SECURITY'));
    expect(failure(forOther)).toBe('FORBIDDEN:REVIEW.OWN_DEPARTMENT_ONLY');
    expect(forOther.errors![0]!.message).toMatch(/^REVIEW\.OWN_DEPARTMENT_ONLY/);
    expect(failure(await gql(OPINION, { input: { reviewId: id, department: 'DISCIPLINE', decision: 'CLEAR' } }, ADMIN))).toBe('FORBIDDEN:REVIEW.OWN_DEPARTMENT_ONLY');
    expect(failure(await gql(OPINION, { input: { reviewId: id, decision: 'BAR', itemCodes: ['SBX-99'], note: 'x' } }, reviewer('COURT')))).toBe(
      'BAD_USER_INPUT:REVIEW.UNKNOWN_ITEM',
    );
    expect(failure(await gql(OPINION, { input: { reviewId: id, decision: 'BAR', note: '前科' } }, reviewer('COURT')))).toBe('BAD_USER_INPUT:REVIEW.BAR_NEEDS_ITEM');
    // A reviewer outside the review's region sees nothing to act on.
    expect(failure(await gql(OPINION, { input: { reviewId: id, decision: 'CLEAR' } }, { ...reviewer('COURT'), region: '510104000000' }))).toBe('NOT_FOUND:REVIEW.NOT_FOUND');
    expect(await count(`department_opinion WHERE review_id = $1 AND level = 'COUNTY_JOINT_REVIEW'`, [id])).toBe(0);
  });

  it('keeps one current opinion per department and level, with the superseded one on record', async () => {
    const id = cleared.reviewId;
    const first = await opine(id, reviewer('PETITIONS'), 'CONCERN', ['SBX-06'], '2024年有越级上访记录');
    const second = await opine(id, reviewer('PETITIONS'), 'CLEAR', [], '上访事项已依法终结');
    const all = await ok<{ review: { opinions: { id: string; current: boolean; supersededBy: string | null }[] } }>(
      `query($id: ID!) { review(id: $id) { opinions(includeSuperseded: true) { id current supersededBy } } }`,
      { id },
    );
    expect(all.review.opinions.filter((o) => o.id === first.id || o.id === second.id)).toEqual([
      { id: first.id, current: false, supersededBy: second.id },
      { id: second.id, current: true, supersededBy: null },
    ]);
    const current = (await review(id)).opinions.filter((o) => o.department === 'PETITIONS');
    expect(current).toEqual([expect.objectContaining({ id: second.id, decision: 'CLEAR', current: true, level: 'COUNTY_JOINT_REVIEW', round: 1 })]);
  });

  it('shows which departments have answered and which are overdue', async () => {
    const id = cleared.reviewId;
    for (const d of COUNTY_DEPARTMENTS.filter((d) => !['PETITIONS', 'COURT', 'CIVIL_AFFAIRS'].includes(d))) await opine(id, reviewer(d));
    const entered = shanghaiDate(clock);
    const before = await review(id);
    expect(before.requiredDepartments.map((r) => [r.department, r.answered, r.overdue])).toEqual(
      COUNTY_DEPARTMENTS.map((d) => [d, !['COURT', 'CIVIL_AFFAIRS'].includes(d), false]),
    );
    expect(before.requiredDepartments[0]!.deadline).toBe(addDays(entered, 10));

    // Conclusion before every department has answered is refused.
    expect(failure(await gql(CONCLUDE, { input: { reviewId: id, outcome: 'CLEARED' } }))).toBe('CONFLICT:REVIEW.OPINIONS_MISSING');

    clock = new Date(clock.getTime() + 11 * 86_400_000); // the day after the deadline
    const after = await review(id);
    expect(after.requiredDepartments.filter((r) => r.overdue).map((r) => r.department)).toEqual(['COURT', 'CIVIL_AFFAIRS']);
    const AWAITING = `query($d: Department!) { reviews(filter: { awaitingDepartment: $d, overdueOnly: true }) { nodes { id } } }`;
    const awaiting = await ok<{ reviews: { nodes: { id: string }[] } }>(AWAITING, { d: 'COURT' }, reviewer('COURT'));
    expect(awaiting.reviews.nodes.map((r) => r.id)).toContain(id);
    const none = await ok<{ reviews: { nodes: { id: string }[] } }>(AWAITING, { d: 'PETITIONS' }, reviewer('PETITIONS'));
    expect(none.reviews.nodes.map((r) => r.id)).not.toContain(id);
  });

  it('refuses to clear while a safeguard blocks it, then clears and publishes ReviewConcluded', async () => {
    const id = cleared.reviewId;
    await opine(id, reviewer('COURT'));
    await opine(id, reviewer('CIVIL_AFFAIRS'));
    const blocked = await gql(CONCLUDE, { input: { reviewId: id, outcome: 'CLEARED' } });
    expect(failure(blocked)).toBe('CONFLICT:REVIEW.CLEARING_BLOCKED');
    expect(blocked.errors![0]!.message).toContain('PLEDGE.MISSING');
    expect(await outboxOf(id, 'ReviewConcluded')).toHaveLength(0);

    await signPledge(cleared);
    const done = (await ok<{ concludeReview: ReviewView }>(CONCLUDE, { input: { reviewId: id, outcome: 'CLEARED' } })).concludeReview;
    expect(done).toMatchObject({ status: 'CLEARED', negativeListCodes: [], requiredDepartments: [], conclusion: { outcome: 'CLEARED', itemCodes: [], concludedBy: 'org-admin' } });
    expect(done.history.map((h) => h.kind)).toEqual(['OPENED', 'OPINION', 'ADVANCED', ...Array(9).fill('OPINION'), 'CONCLUDED']);
    expect((await outboxOf(id, 'ReviewConcluded')).map((e) => e.payload)).toEqual([
      { reviewId: id, candidateId: cleared.candidateId, personId: cleared.personId, regionPath: VILLAGE_PATH, outcome: 'CLEARED', negativeListCodes: [] },
    ]);
    expect(failure(await gql(OPINION, { input: { reviewId: id, decision: 'CLEAR' } }, reviewer('COURT')))).toBe('CONFLICT:REVIEW.CONCLUDED');
    // Every mutation audited: open, 10 opinions, advance, conclusion.
    expect(await count(`audit_log WHERE entity_id = $1`, [id])).toBe(13);
  });

  it('disqualifies only citing an item and the opinion that found it', async () => {
    const n = await nominate();
    const bar = await opine(n.reviewId, TOWNSHIP, 'BAR', ['SBX-02'], '经公安机关核查有故意伤害罪前科');
    expect(failure(await gql(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'DISQUALIFIED' } }))).toBe('BAD_USER_INPUT:REVIEW.CITATION_REQUIRED');
    expect(failure(await gql(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'] } }))).toBe(
      'BAD_USER_INPUT:REVIEW.CITATION_REQUIRED',
    );
    expect(failure(await gql(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'DISQUALIFIED', itemCodes: ['SBX-05'], opinionIds: [bar.id] } }))).toBe(
      'BAD_USER_INPUT:REVIEW.CITATION_UNSUPPORTED',
    );
    expect(failure(await gql(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'CLEARED' } }))).toBe('CONFLICT:REVIEW.LEVELS_REMAINING');
    expect(failure(await gql(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinionIds: [bar.id] } }, reviewer('COURT')))).toBe(
      'FORBIDDEN:AUTH.ROLE',
    );
    const done = (await ok<{ concludeReview: ReviewView }>(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinionIds: [bar.id] } }))
      .concludeReview;
    expect(done).toMatchObject({
      status: 'DISQUALIFIED',
      level: 'TOWN_FIRST_REVIEW',
      negativeListCodes: ['SBX-02'],
      conclusion: { outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinions: [{ id: bar.id, department: 'TOWNSHIP' }], items: [{ code: 'SBX-02', effect: 'BARS' }] },
    });
    expect((await outboxOf(n.reviewId, 'ReviewConcluded')).map((e) => e.payload)).toEqual([
      { reviewId: n.reviewId, candidateId: n.candidateId, personId: n.personId, regionPath: VILLAGE_PATH, outcome: 'DISQUALIFIED', negativeListCodes: ['SBX-02'] },
    ]);
    // What a department found is for the reviewers, not for a trainer who can read the review.
    const trainer = await review(n.reviewId, { roles: ['TRAINER'], region: DISTRICT });
    expect(trainer.opinions[0]!.note).toBeNull();
    expect((await review(n.reviewId)).opinions[0]!.note).toBe('经公安机关核查有故意伤害罪前科');
  });

  it('never clears over a BAR on an item that bars outright', async () => {
    const n = await nominate();
    await signPledge(n);
    await throughTown(n.reviewId);
    for (const d of COUNTY_DEPARTMENTS.filter((d) => d !== 'DISCIPLINE')) await opine(n.reviewId, reviewer(d));
    await opine(n.reviewId, reviewer('DISCIPLINE'), 'BAR', ['SBX-03'], '正在接受纪律审查');
    const res = await gql(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'CLEARED', overruleReason: '经研判不影响参选资格的情形' } });
    expect(failure(res)).toBe('CONFLICT:REVIEW.BARRED');
    expect((await review(n.reviewId)).status).toBe('OPEN');
  });
});

/** ComplaintSubstantiated through Kafka, twice, as complaints would publish it. */
async function substantiate(data: { category: string; electionId: string | null; orgUnitId: string; subjectPersonIds: string[] }) {
  const complaintId = randomUUID();
  const event = envelopeOf(ComplaintSubstantiated, {
    subject: complaintId,
    data: { complaintId, regionPath: VILLAGE_PATH, substantiatedAt: clock.toISOString(), ...data } as never,
  });
  await bus.publish([event]);
  await bus.publish([event]);
  await waitFor(async () => (await count(`inbox WHERE consumer = 'vetting.reopen-on-finding' AND event_id = $1`, [event.id])) === 1, {
    timeoutMs: 30_000,
    message: 'finding handled',
  });
  return complaintId;
}

/** A review taken through both levels and cleared. */
async function clearedReview() {
  const n = await nominate();
  await signPledge(n);
  await throughTown(n.reviewId);
  for (const d of COUNTY_DEPARTMENTS) await opine(n.reviewId, reviewer(d));
  await ok(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'CLEARED' } });
  return n;
}

describe('substantiated complaints', () => {
  it('disqualifies a cleared candidate found buying votes, citing SBX-05 and the complaint', async () => {
    const n = await clearedReview();
    const bystander = await clearedReview();
    const complaintId = await substantiate({ category: 'VOTE_BUYING', electionId: n.electionId, orgUnitId: n.orgUnitId, subjectPersonIds: [n.personId] });
    const after = await review(n.reviewId);
    expect(after).toMatchObject({
      status: 'DISQUALIFIED',
      negativeListCodes: ['SBX-05'],
      conclusion: { outcome: 'DISQUALIFIED', itemCodes: ['SBX-05'], complaintIds: [complaintId], opinions: [], concludedBy: 'system:ComplaintSubstantiated' },
    });
    expect((await outboxOf(n.reviewId, 'ReviewConcluded')).map((e) => e.payload)).toEqual([
      expect.objectContaining({ outcome: 'CLEARED' }),
      { reviewId: n.reviewId, candidateId: n.candidateId, personId: n.personId, regionPath: VILLAGE_PATH, outcome: 'DISQUALIFIED', negativeListCodes: ['SBX-05'] },
    ]);
    expect((await review(bystander.reviewId)).status).toBe('CLEARED');
  });

  it('reopens a cleared review on another ground, at the county level in a new round', async () => {
    const n = await clearedReview();
    const complaintId = await substantiate({ category: 'ELIGIBILITY', electionId: null, orgUnitId: n.orgUnitId, subjectPersonIds: [n.personId] });
    const after = await review(n.reviewId);
    expect(after).toMatchObject({ status: 'REOPENED', level: 'COUNTY_JOINT_REVIEW', round: 2, conclusion: null, negativeListCodes: [], opinions: [] });
    expect(after.requiredDepartments.every((r) => !r.answered)).toBe(true);
    expect(after.history.at(-1)).toMatchObject({ kind: 'REOPENED', level: 'COUNTY_JOINT_REVIEW', round: 2, actor: 'system:ComplaintSubstantiated' });
    expect((await outboxOf(n.reviewId, 'ReviewReopened')).map((e) => e.payload)).toEqual([
      {
        reviewId: n.reviewId,
        candidateId: n.candidateId,
        personId: n.personId,
        regionPath: VILLAGE_PATH,
        level: 'COUNTY_JOINT_REVIEW',
        round: 2,
        previousOutcome: 'CLEARED',
        reason: 'COMPLAINT_SUBSTANTIATED',
        complaintId,
      },
    ]);
    // The departments answer again; the review concludes again.
    for (const d of COUNTY_DEPARTMENTS) await opine(n.reviewId, reviewer(d));
    await ok(CONCLUDE, { input: { reviewId: n.reviewId, outcome: 'CLEARED' } });
    expect((await outboxOf(n.reviewId, 'ReviewConcluded')).map((e) => e.payload.outcome)).toEqual(['CLEARED', 'CLEARED']);
  });
});

describe('reading many reviews', () => {
  it('resolves candidates, reviews, opinions and history in a bounded number of statements', async () => {
    const n = await Promise.all([nominate(), nominate(), nominate()]);
    for (const x of n) await opine(x.reviewId, TOWNSHIP, 'CONCERN', ['SBX-07'], '长期外出务工');
    const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Candidate { id review { id status requiredDepartments { department answered }
      opinions(includeSuperseded: true) { department decision items { code } review { id } } history { kind } conclusion { outcome } } } } }`;
    const ask = async (reps: Nominee[]) => {
      counter.reset();
      const res = await ok<{ _entities: { id: string; review: { opinions: unknown[] } | null }[] }>(QUERY, { r: reps.map((x) => ({ __typename: 'Candidate', id: x.candidateId })) });
      return { res, statements: readsOfReviews().length };
    };
    const one = await ask([n[0]!]);
    const three = await ask([...n, nominee()]);
    expect(three.res._entities.map((e) => e.review?.opinions.length ?? null)).toEqual([1, 1, 1, null]);
    expect(three.statements).toBe(one.statements);
    expect(three.statements).toBeLessThanOrEqual(3); // reviews by candidate, opinions, history

    const LIST = `{ reviews(first: 100) { nodes { id requiredDepartments { department } opinions { department } history { kind } } } }`;
    counter.reset();
    const list = await ok<{ reviews: { nodes: unknown[] } }>(LIST, {});
    expect(list.reviews.nodes.length).toBeGreaterThan(5);
    expect(readsOfReviews().length).toBeLessThanOrEqual(3);
  });
});

describe('the report', () => {
  it('gives the figures an independent count of the seeded reviews gives', async () => {
    // 和林格尔县 at the scale of its 2021 figures: 917 reviews across a town's villages, every state.
    const policy = policyById('150123000000@2020');
    const today = shanghaiDate(clock);
    const villages = ['150123102001', '150123102002', '150123102003'].map(regionPathFromCode); // one town: the review opened by hand is in another
    let seed = 20210116;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const items = policy.items.map((i) => i.code);
    type Seeded = { id: string; status: string; level: string; enteredAt: Date; codes: string[]; opinions: { id: string; department: string; decision: string; current: boolean; codes: string[] }[]; cited: string[] };
    const reviews: Seeded[] = [];
    for (let i = 0; i < 917; i++) {
      const status = ['OPEN', 'OPEN', 'REOPENED', 'CLEARED', 'CLEARED', 'CLEARED', 'DISQUALIFIED'][rand(7)]!;
      const level = status === 'OPEN' && rand(3) === 0 ? 'TOWN_FIRST_REVIEW' : 'COUNTY_JOINT_REVIEW';
      const enteredAt = new Date(clock.getTime() - rand(20) * 86_400_000 - rand(86_400) * 1000);
      const departments = policy.levels.find((l) => l.level === level)!.departments;
      const opinions: Seeded['opinions'] = [];
      for (const department of departments) {
        if (status !== 'CLEARED' && status !== 'DISQUALIFIED' && rand(3) === 0) continue; // not answered yet
        if (rand(5) === 0) opinions.push({ id: randomUUID(), department, decision: 'CONCERN', current: false, codes: [items[rand(items.length)]!] }); // superseded
        const decision = status === 'DISQUALIFIED' && opinions.every((o) => !o.current) ? 'BAR' : ['CLEAR', 'CLEAR', 'CONCERN'][rand(3)]!;
        opinions.push({ id: randomUUID(), department, decision, current: true, codes: decision === 'CLEAR' ? [] : [items[rand(items.length)]!] });
      }
      const bar = opinions.find((o) => o.current && o.decision === 'BAR');
      reviews.push({ id: randomUUID(), status, level, enteredAt, codes: bar ? bar.codes : [], opinions, cited: bar ? [bar.id] : [] });
    }
    await dataSource.query(
      `INSERT INTO review (id, candidate_id, election_id, person_id, org_unit_id, region_path, status, opened_at, concluded_at, negative_list_codes,
                           policy_id, level, level_entered_at, round, opened_by, conclusion)
       SELECT (r->>'id')::uuid, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), r->>'path', r->>'status',
              (r->>'enteredAt')::timestamptz, CASE WHEN r->>'status' IN ('CLEARED', 'DISQUALIFIED') THEN (r->>'enteredAt')::timestamptz END,
              ARRAY(SELECT jsonb_array_elements_text(r->'codes')), '150123000000@2020', r->>'level', (r->>'enteredAt')::timestamptz,
              CASE WHEN r->>'status' = 'REOPENED' THEN 2 ELSE 1 END, 'NOMINATION',
              CASE WHEN r->>'status' = 'DISQUALIFIED' THEN jsonb_build_object('outcome', 'DISQUALIFIED', 'itemCodes', r->'codes', 'opinionIds', r->'cited') END
         FROM jsonb_array_elements($1::jsonb) r`,
      [JSON.stringify(reviews.map((r, i) => ({ ...r, path: villages[i % 3], enteredAt: r.enteredAt.toISOString() })))],
    );
    const opinionRows = reviews.flatMap((r) => {
      const byDept = new Map<string, string>();
      for (const o of r.opinions) if (o.current) byDept.set(o.department, o.id);
      return r.opinions.map((o) => ({
        id: o.id,
        review_id: r.id,
        round: r.status === 'REOPENED' ? 2 : 1,
        level: r.level,
        department: o.department,
        decision: o.decision,
        codes: o.codes,
        superseded_by: o.current ? null : byDept.get(o.department) ?? null,
      }));
    });
    await dataSource.query(
      `INSERT INTO department_opinion (id, review_id, round, level, department, decision, item_codes, note, recorded_by, recorded_at, superseded_by, region_path)
       SELECT (o->>'id')::uuid, (o->>'review_id')::uuid, (o->>'round')::int, o->>'level', o->>'department', o->>'decision',
              ARRAY(SELECT jsonb_array_elements_text(o->'codes')), '', 'seed', now(), (o->>'superseded_by')::uuid, '15.1501.150123.150123102'
         FROM jsonb_array_elements($1::jsonb) o`,
      [JSON.stringify(opinionRows)],
    );
    const current = (r: Seeded) => r.opinions.filter((o) => o.current);

    const expected = {
      reviewed: 917,
      open: reviews.filter((r) => r.status === 'OPEN' || r.status === 'REOPENED').length,
      reopened: reviews.filter((r) => r.status === 'REOPENED').length,
      cleared: reviews.filter((r) => r.status === 'CLEARED').length,
      disqualified: reviews.filter((r) => r.status === 'DISQUALIFIED').length,
    };
    const byItem = new Map<string, number>();
    for (const r of reviews.filter((r) => r.status === 'DISQUALIFIED')) for (const c of r.codes) byItem.set(c, (byItem.get(c) ?? 0) + 1);
    const departments = new Map<string, { opinions: number; clear: number; concern: number; bar: number; disqualificationsCited: number; pending: number; overdue: number }>();
    const dep = (d: string) => departments.get(d) ?? (departments.set(d, { opinions: 0, clear: 0, concern: 0, bar: 0, disqualificationsCited: 0, pending: 0, overdue: 0 }), departments.get(d)!);
    for (const r of reviews) {
      for (const o of current(r)) {
        const f = dep(o.department);
        f.opinions++;
        if (o.decision === 'CLEAR') f.clear++;
        if (o.decision === 'CONCERN') f.concern++;
        if (o.decision === 'BAR') f.bar++;
        if (r.cited.includes(o.id)) f.disqualificationsCited++;
      }
      if (r.status === 'OPEN' || r.status === 'REOPENED') {
        const level = policy.levels.find((l) => l.level === r.level)!;
        const deadline = addDays(shanghaiDate(r.enteredAt), level.deadlineDays);
        for (const d of level.departments) {
          if (current(r).some((o) => o.department === d)) continue;
          dep(d).pending++;
          if (today > deadline) dep(d).overdue++;
        }
      }
    }

    const REPORT = `query($input: VettingReportInput!) { vettingReport(input: $input) { regionCode today reviewed open reopened cleared disqualified
      disqualifiedByItem { code text count } departments { department opinions clear concern bar disqualificationsCited pending overdue } } }`;
    const who: Caller = { roles: ['AUDITOR'], region: '150100000000' };
    counter.reset();
    const res = (await ok<{ vettingReport: Record<string, unknown> & { disqualifiedByItem: { code: string; text: string; count: number }[]; departments: { department: string }[] } }>(
      REPORT,
      { input: { regionCode: '150123102000' } },
      who,
    )).vettingReport;
    expect(readsOfReviews()).toHaveLength(2);
    expect(res).toMatchObject({ regionCode: '150123102000', today, ...expected });
    expect(Object.fromEntries(res.disqualifiedByItem.map((i) => [i.code, i.count]))).toEqual(Object.fromEntries(byItem));
    expect(res.disqualifiedByItem.every((i) => i.text.length > 0)).toBe(true);
    expect(Object.fromEntries(res.departments.map(({ department, ...f }) => [department, f]))).toEqual(Object.fromEntries(departments));

    // A period before any of them opened: nothing.
    const empty = (await ok<{ vettingReport: { reviewed: number; departments: unknown[] } }>(REPORT, { input: { regionCode: '150123102000', openedTo: '2026-01-31' } }, who)).vettingReport;
    expect(empty).toMatchObject({ reviewed: 0, departments: [] });
    // Outside the caller's scope: refused.
    expect(failure(await gql(REPORT, { input: { regionCode: '510107000000' } }, who))).toBe('FORBIDDEN:AUTH.REGION_SCOPE');
  });
});
