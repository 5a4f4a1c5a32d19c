import { createLogger, createPiiCipher, generatePiiKeys, issueToken, nationalIdCheckChar, type AuthOptions, type Role } from '@huanjie/platform';
import { CandidateNominated, ComplaintSubstantiated, envelopeOf, ReviewConcluded, topicOf } from '@huanjie/events';
import { graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { composeSupergraph, createGateway } from '@huanjie/gateway';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer as createElections, migrations as electionsMigrations } from '@huanjie/elections';
import { createServer, migrations } from '../src';

// One request through the gateway: a candidate (elections) with its 联审 and every department's
// opinion and the person's pledges (vetting), and the person's name (personnel). The nomination
// travels from elections' outbox to vetting as the relay would carry it (each service under test
// has its own topic prefix, so the test hands the event over).
const NOW = new Date('2026-03-02T02:00:00Z');
const auth: AuthOptions = { secret: 'vetting-review-gateway-test-secret-0123456789' };
const VILLAGE = '510107018003';
const COUNTY_DEPARTMENTS = ['DISCIPLINE', 'ORGANISATION', 'POLITICAL_LEGAL', 'PUBLIC_SECURITY', 'PROCURATORATE', 'COURT', 'PETITIONS', 'CIVIL_AFFAIRS'];

let personnel: ServiceUnderTest;
let elections: ServiceUnderTest;
let vetting: ServiceUnderTest;
let gateway: Awaited<ReturnType<typeof createGateway>>;
let gatewayUrl: string;
let stopGateway: () => Promise<void>;

async function viaGateway<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: { roles: Role[]; region?: string; department?: string } = { roles: ['ORG_ADMIN'] }) {
  const token = await issueToken({ userId: `${who.roles[0]}-${who.department ?? 'x'}`, roles: who.roles, regionCode: who.region ?? '000000000000', department: who.department }, auth);
  const res = await graphqlPost<T>(gatewayUrl, { query, variables, token });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

beforeAll(async () => {
  personnel = await startServiceUnderTest({
    name: 'review_gw_personnel',
    migrations: personnelMigrations,
    create: (deps) => createPersonnel({ ...deps, auth, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  elections = await startServiceUnderTest({ name: 'review_gw_elections', migrations: electionsMigrations, create: (deps) => createElections({ ...deps, auth, now: () => NOW }) });
  vetting = await startServiceUnderTest({ name: 'review_gw_vetting', migrations, create: (deps) => createServer({ ...deps, auth, now: () => NOW }), partitions: 1 });
  gateway = await createGateway({
    logger: createLogger({ name: 'gateway-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    // Composed from the SDL files as they are now (the committed supergraph's staleness has its own test).
    supergraphSdl: composeSupergraph(join(__dirname, '..', '..', '..')),
    subgraphUrls: { personnel: personnel.url, elections: elections.url, vetting: vetting.url },
  });
  const running = await gateway.listen(0, '127.0.0.1');
  gatewayUrl = running.url;
  stopGateway = running.close;
}, 120_000);

afterAll(async () => {
  await stopGateway?.();
  await gateway?.stop();
  await vetting?.stop();
  await elections?.stop();
  await personnel?.stop();
});

it('answers a candidate with its review, every opinion, the pledges and the name in one request; a vote-buying finding later makes the candidate ineligible in elections', async () => {
  // Personnel: the unit chain down to the village, and the person.
  const units: Record<string, string> = {};
  for (const input of [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
    { code: '510100000000', name: '成都市', kind: 'CITY' },
    { code: '510107000000', name: '武侯区', kind: 'DISTRICT' },
    { code: '510107018000', name: '簇桥街道', kind: 'SUBDISTRICT' },
    { code: VILLAGE, name: '七里社区', kind: 'COMMUNITY' },
  ]) {
    const d = await viaGateway<{ createOrgUnit: { id: string } }>(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input });
    units[input.code] = d.createOrgUnit.id;
  }
  const first17 = '51010719800615001';
  const { registerPerson } = await viaGateway<{ registerPerson: { id: string } }>(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
    input: { orgUnitId: units[VILLAGE], name: '李建国', idNumber: `${first17}${nationalIdCheckChar(first17)}`, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2008-07-01' },
  });
  const personId = registerPerson.id;

  // Elections: a residents' committee election taking nominations, and the nomination.
  const { createElectionCycle } = await viaGateway<{ createElectionCycle: { id: string } }>(
    `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`,
    { input: { name: '2026年武侯区社区两委换届', regionCode: '510107000000', termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' } },
  );
  const { createElection } = await viaGateway<{ createElection: { id: string } }>(`mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`, {
    input: {
      cycleId: createElectionCycle.id,
      orgUnitId: units[VILLAGE],
      orgUnitCode: VILLAGE,
      committeeKind: 'RESIDENTS',
      seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'DEPUTY_DIRECTOR', count: 1 }, { role: 'MEMBER', count: 3 }],
      electionDay: '2026-03-28',
      method: 'VOTERS_ASSEMBLY',
    },
  });
  await viaGateway(`mutation($id: ID!) { advanceElection(input: { electionId: $id, event: OPEN_NOMINATIONS }) { id } }`, { id: createElection.id });
  const { nominateCandidate } = await viaGateway<{ nominateCandidate: { id: string } }>(`mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`, {
    input: { electionId: createElection.id, personId, role: 'DIRECTOR', gender: 'MALE', nominatedBy: 'HOUSEHOLDS', recommendations: 40 },
  });
  const candidateId = nominateCandidate.id;

  // The nomination, from elections' outbox to vetting's consumer.
  const [event] = await elections.dataSource.query(`SELECT id, subject, payload, occurred_at FROM outbox WHERE type = 'huanjie.elections.CandidateNominated' AND subject = $1`, [candidateId]);
  await vetting.bus.ensureTopics([topicOf(CandidateNominated)]);
  await vetting.bus.publish([envelopeOf(CandidateNominated, { id: event.id, subject: event.subject, data: event.payload, time: new Date(event.occurred_at) })]);
  await waitFor(async () => (await vetting.dataSource.query(`SELECT 1 FROM review WHERE candidate_id = $1`, [candidateId])).length === 1, { timeoutMs: 30_000, message: 'review opened' });

  // Vetting: the pledge, and every department's opinion, level by level.
  await viaGateway(`mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id } }`, {
    input: { personId, kind: 'CANDIDATE', orgUnitId: units[VILLAGE], orgUnitCode: VILLAGE, electionId: createElection.id, signedOn: '2026-03-01' },
  });
  const { candidate: before } = await viaGateway<{ candidate: { review: { id: string } } }>(`query($id: ID!) { candidate(id: $id) { review { id } } }`, { id: candidateId });
  const reviewId = before.review.id;
  const OPINION = `mutation($input: RecordOpinionInput!) { recordOpinion(input: $input) { id } }`;
  await viaGateway(OPINION, { input: { reviewId, decision: 'CLEAR' } }, { roles: ['TOWN_OFFICER'], region: '510107018000' });
  await viaGateway(`mutation($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { level } }`, { id: reviewId });
  for (const department of COUNTY_DEPARTMENTS) {
    const input = department === 'PETITIONS' ? { reviewId, decision: 'CONCERN', itemCodes: ['SBX-06'], note: '曾多次越级上访,已依法终结' } : { reviewId, decision: 'CLEAR' };
    await viaGateway(OPINION, { input }, { roles: ['REVIEWER'], region: '510107000000', department });
  }

  const { candidate } = await viaGateway<{ candidate: Record<string, unknown> }>(
    `query($id: ID!) { candidate(id: $id) {
        id role
        person { id name pledges { kind electionId } }
        review { status level opinions { department decision itemCodes } requiredDepartments { department answered } }
      } }`,
    { id: candidateId },
  );
  expect(candidate).toEqual({
    id: candidateId,
    role: 'DIRECTOR',
    person: { id: personId, name: '李建国', pledges: [{ kind: 'CANDIDATE', electionId: createElection.id }] },
    review: {
      status: 'OPEN',
      level: 'COUNTY_JOINT_REVIEW',
      opinions: [
        { department: 'TOWNSHIP', decision: 'CLEAR', itemCodes: [] },
        ...COUNTY_DEPARTMENTS.map((department) =>
          department === 'PETITIONS' ? { department, decision: 'CONCERN', itemCodes: ['SBX-06'] } : { department, decision: 'CLEAR', itemCodes: [] },
        ),
      ],
      requiredDepartments: COUNTY_DEPARTMENTS.map((department) => ({ department, answered: true })),
    },
  });

  // The organisation department clears the candidate; elections learns it as vetting's relay would
  // carry it. Enough nominations for a contested vote, then the review stage: the candidate is
  // eligible at once (the decision came first).
  await viaGateway(`mutation($input: ConcludeReviewInput!) { concludeReview(input: $input) { status } }`, { input: { reviewId, outcome: 'CLEARED' } });
  const handOver = async (conclusionCount: number) => {
    const rows = await vetting.dataSource.query(`SELECT id, subject, payload, occurred_at FROM outbox WHERE type = 'huanjie.vetting.ReviewConcluded' ORDER BY seq`);
    expect(rows).toHaveLength(conclusionCount);
    const last = rows.at(-1);
    await elections.bus.ensureTopics([topicOf(ReviewConcluded)]);
    await elections.bus.publish([envelopeOf(ReviewConcluded, { id: last.id, subject: last.subject, data: last.payload, time: new Date(last.occurred_at) })]);
    return last.payload as { outcome: string; negativeListCodes: string[] };
  };
  expect(await handOver(1)).toMatchObject({ outcome: 'CLEARED' });
  await waitFor(async () => (await elections.dataSource.query(`SELECT 1 FROM candidate_eligibility WHERE candidate_id = $1`, [candidateId])).length === 1, { timeoutMs: 30_000, message: 'clearance reached elections' });
  for (const role of ['DIRECTOR', 'DEPUTY_DIRECTOR', 'DEPUTY_DIRECTOR', 'MEMBER', 'MEMBER', 'MEMBER', 'MEMBER']) {
    await viaGateway(`mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`, {
      input: { electionId: createElection.id, personId: randomUUID(), role, gender: 'FEMALE', nominatedBy: 'HOUSEHOLDS', recommendations: 30 },
    });
  }
  await viaGateway(`mutation($id: ID!) { advanceElection(input: { electionId: $id, event: START_VETTING }) { id } }`, { id: createElection.id });
  const status = async () => (await viaGateway<{ candidate: { status: string; negativeListCodes: string[] } }>(`query($id: ID!) { candidate(id: $id) { status negativeListCodes } }`, { id: candidateId })).candidate;
  expect(await status()).toEqual({ status: 'ELIGIBLE', negativeListCodes: [] });

  // 三个一律: vote-buying found true against him. Vetting disqualifies citing the complaint, and
  // elections sees the candidate become ineligible.
  await vetting.bus.ensureTopics([topicOf(ComplaintSubstantiated)]);
  await vetting.bus.publish([
    envelopeOf(ComplaintSubstantiated, {
      subject: randomUUID(),
      data: { complaintId: randomUUID(), orgUnitId: units[VILLAGE]!, regionPath: '51.5101.510107.510107018.510107018003', category: 'VOTE_BUYING', electionId: createElection.id, subjectPersonIds: [personId], substantiatedAt: NOW.toISOString() },
    }),
  ]);
  await waitFor(async () => (await vetting.dataSource.query(`SELECT 1 FROM review WHERE id = $1 AND status = 'DISQUALIFIED'`, [reviewId])).length === 1, { timeoutMs: 30_000, message: 'review disqualified' });
  expect(await handOver(2)).toMatchObject({ outcome: 'DISQUALIFIED', negativeListCodes: ['SBX-05'] });
  await waitFor(async () => (await status()).status === 'INELIGIBLE', { timeoutMs: 30_000, message: 'elections sees the candidate ineligible' });
  expect(await status()).toEqual({ status: 'INELIGIBLE', negativeListCodes: ['SBX-05'] });
}, 120_000);
