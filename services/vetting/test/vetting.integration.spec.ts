import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { issueToken, QueryCounter } from '@huanjie/platform';
import { CandidateNominated, envelopeOf, type EventBus, type EventEnvelope } from '@huanjie/events';
import { errorCodes, graphqlPost, startServiceUnderTest, type ServiceUnderTest, waitFor } from '@huanjie/testkit';
import { createServer, migrations } from '../src';

const WUHOU_VILLAGE = '51.5101.510107.510107001.510107001002';

/** A CandidateNominated envelope as recordEvent in elections would build it. */
function nomination(eventId: string, data: { candidateId: string; personId: string }): EventEnvelope {
  return envelopeOf(CandidateNominated, {
    id: eventId,
    subject: data.candidateId,
    data: {
      ...data,
      electionId: randomUUID(),
      orgUnitId: randomUUID(),
      regionPath: WUHOU_VILLAGE,
      committeeKind: 'VILLAGERS',
      nominatedBy: 'HOUSEHOLDS',
    },
  });
}

interface ReviewView {
  id: string;
  candidateId: string;
  status: string;
  openedAt: string;
  concludedAt: string | null;
  negativeListCodes: string[];
}

let dataSource: DataSource;
let bus: EventBus;
let sut: ServiceUnderTest;
let url: string;
let counter: QueryCounter;

/** A 联审 member department's reviewer, scoped to a region. */
const gql = async <T>(query: string, variables: Record<string, unknown>, regionCode = '510107000000') =>
  graphqlPost<T>(url, {
    query,
    variables,
    token: await issueToken({ userId: 'reviewer', roles: ['REVIEWER'], regionCode, department: 'PUBLIC_SECURITY' }, sut.auth),
  });

const REVIEWS_OF = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id reviews { status candidateId } } } }`;
type ReviewsOf = { _entities: { id?: string; reviews: { status: string; candidateId: string }[] }[] };

const personId = randomUUID();
const candidateId = randomUUID();
const otherPersonId = randomUUID();

beforeAll(async () => {
  sut = await startServiceUnderTest({ name: 'vetting', migrations, create: (deps) => createServer(deps), partitions: 1 });
  ({ dataSource, bus, url, counter } = sut);
});

afterAll(async () => {
  await sut?.stop();
});

describe('opening reviews from nominations', () => {
  it('opens exactly one review for a nomination delivered twice with the same event id', async () => {
    const event = nomination(randomUUID(), { candidateId, personId });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    await bus.publish([event]);
    // A second person's nomination behind the duplicate on the same partition.
    await bus.publish([nomination(randomUUID(), { candidateId: randomUUID(), personId: otherPersonId })]);

    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM review WHERE person_id = $1`, [otherPersonId])).length === 1, {
      timeoutMs: 30_000,
      message: 'the later nomination handled',
    });
    const rows = await dataSource.query(`SELECT status, person_id, region_path, concluded_at FROM review WHERE candidate_id = $1`, [
      candidateId,
    ]);
    expect(rows).toEqual([{ status: 'OPEN', person_id: personId, region_path: WUHOU_VILLAGE, concluded_at: null }]);
    const inbox = await dataSource.query(`SELECT 1 FROM inbox WHERE consumer = 'vetting.open-review' AND event_id = $1`, [event.id]);
    expect(inbox).toHaveLength(1);
  });
});

describe('reading reviews', () => {
  it('serves a review by id', async () => {
    const [{ id }] = await dataSource.query(`SELECT id FROM review WHERE candidate_id = $1`, [candidateId]);
    const res = await gql<{ review: ReviewView | null }>(
      `query($id: ID!) { review(id: $id) { id candidateId status openedAt concludedAt negativeListCodes } }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.review).toMatchObject({ id, candidateId, status: 'OPEN', concludedAt: null, negativeListCodes: [] });
    expect(new Date(res.data!.review!.openedAt).toISOString()).toBe(res.data!.review!.openedAt);
  });

  it('resolves the reviews of many people under Person in one statement', async () => {
    const reps = [personId, otherPersonId, randomUUID()].map((id) => ({ __typename: 'Person', id }));
    counter.reset();
    const res = await gql<ReviewsOf>(REVIEWS_OF, { r: reps });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: personId, reviews: [{ status: 'OPEN', candidateId }] },
      { id: otherPersonId, reviews: [{ status: 'OPEN', candidateId: expect.any(String) }] },
      { id: reps[2]!.id, reviews: [] },
    ]);
    expect(counter.queries.filter((q) => /FROM review/.test(q))).toHaveLength(1);
  });

  it("hides reviews outside the caller's region scope", async () => {
    const res = await gql<ReviewsOf>(REVIEWS_OF, { r: [{ __typename: 'Person', id: personId }] }, '510104000000'); // 锦江区
    expect(res.data!._entities).toEqual([{ id: personId, reviews: [] }]);
  });

  it('answers null, not an internal error, for an id that is not a uuid', async () => {
    const res = await gql<{ review: ReviewView | null }>(`{ review(id: "not-a-uuid") { id } }`, {});
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ review: null });
  });

  it('refuses a request without a token with HTTP 401 UNAUTHENTICATED', async () => {
    const res = await graphqlPost(url, { query: `{ review(id: "${randomUUID()}") { id } }` });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});
