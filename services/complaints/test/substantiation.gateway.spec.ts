import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createLogger, createPiiCipher, generatePiiKeys, issueToken, nationalIdCheckChar, type AuthOptions, type Role } from '@huanjie/platform';
import { ComplaintSubstantiated, ElectionResultCertified, ElectionVoided, envelopeOf, ReviewConcluded, topicOf, type EventDefinition } from '@huanjie/events';
import { graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { composeSupergraph, createGateway } from '@huanjie/gateway';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer as createElections, migrations as electionsMigrations } from '@huanjie/elections';
import { createServer, migrations } from '../src';

// 三个一律 end to end: a vote-buying complaint against an elected director, substantiated in
// complaints, voids his election in elections and ends his seat in personnel; and one request
// through the gateway lists the district's overdue cases with the person's name (personnel) and
// the election (elections). Each service under test has its own topic prefix, so the test hands
// each event over as the relay would carry it: read the outbox row, publish it on the next bus.
const auth: AuthOptions = { secret: 'complaints-substantiation-gateway-secret-0123456789' };
const ELECTION_NOW = new Date('2026-03-28T10:00:00Z');
let complaintsNow = new Date('2026-04-10T02:00:00Z');
const DISTRICT = '510107000000';
const VILLAGE = '510107018003';
const VILLAGE_PATH = '51.5101.510107.510107018.510107018003';

let personnel: ServiceUnderTest;
let elections: ServiceUnderTest;
let complaints: ServiceUnderTest;
let gatewayUrl: string;
let stopGateway: () => Promise<void>;
let gateway: Awaited<ReturnType<typeof createGateway>>;

interface Caller {
  roles: Role[];
  region?: string;
  user?: string;
}
const ADMIN: Caller = { roles: ['ORG_ADMIN'] };
const DISCIPLINE: Caller = { roles: ['DISCIPLINE'], region: DISTRICT, user: 'jw-1' };

async function viaGateway<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = ADMIN): Promise<T> {
  const region = who.region ?? '000000000000';
  const token = await issueToken({ userId: who.user ?? `${who.roles[0]}@${region}`, roles: who.roles, regionCode: region }, auth);
  const res = await graphqlPost<T>(gatewayUrl, { query, variables, token });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

/** Hands the outbox rows of one event type (for one subject) from a service to another's bus. */
async function handOver(from: ServiceUnderTest, to: ServiceUnderTest, definition: EventDefinition, subject: string) {
  const rows = await from.dataSource.query(`SELECT id, subject, payload, occurred_at FROM outbox WHERE type = $1 AND subject = $2 ORDER BY seq`, [
    `huanjie.${definition.service}.${definition.name}`,
    subject,
  ]);
  expect(rows.length).toBeGreaterThan(0);
  await to.bus.ensureTopics([topicOf(definition)]);
  await to.bus.publish(rows.map((r: { id: string; subject: string; payload: never; occurred_at: Date }) => envelopeOf(definition, { id: r.id, subject: r.subject, data: r.payload, time: new Date(r.occurred_at) })));
  return rows.map((r: { payload: Record<string, unknown> }) => r.payload);
}

beforeAll(async () => {
  personnel = await startServiceUnderTest({
    name: 'complaints_gw_personnel',
    migrations: personnelMigrations,
    create: (deps) => createPersonnel({ ...deps, auth, pii: createPiiCipher(generatePiiKeys()) }),
    partitions: 1,
  });
  elections = await startServiceUnderTest({ name: 'complaints_gw_elections', migrations: electionsMigrations, create: (deps) => createElections({ ...deps, auth, now: () => ELECTION_NOW }), partitions: 1 });
  complaints = await startServiceUnderTest({
    name: 'complaints_gw_complaints',
    migrations,
    create: (deps) => createServer({ ...deps, auth, now: () => complaintsNow, pii: createPiiCipher(generatePiiKeys()), escalationIntervalMs: 0 }),
    partitions: 1,
  });
  gateway = await createGateway({
    logger: createLogger({ name: 'gateway-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    supergraphSdl: composeSupergraph(join(__dirname, '..', '..', '..')),
    subgraphUrls: { personnel: personnel.url, elections: elections.url, complaints: complaints.url },
  });
  const running = await gateway.listen(0, '127.0.0.1');
  gatewayUrl = running.url;
  stopGateway = running.close;
}, 120_000);

afterAll(async () => {
  await stopGateway?.();
  await gateway?.stop();
  await complaints?.stop();
  await elections?.stop();
  await personnel?.stop();
});

it('a substantiated vote-buying case against an elected director voids his election and ends his seat; the overdue cases come with names and elections in one request', async () => {
  // Personnel: the unit chain and five people.
  const units: Record<string, string> = {};
  for (const input of [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
    { code: '510100000000', name: '成都市', kind: 'CITY' },
    { code: DISTRICT, name: '武侯区', kind: 'DISTRICT' },
    { code: '510107018000', name: '簇桥街道', kind: 'SUBDISTRICT' },
    { code: VILLAGE, name: '七里社区', kind: 'VILLAGE' },
  ]) {
    const d = await viaGateway<{ createOrgUnit: { id: string } }>(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input });
    units[input.code] = d.createOrgUnit.id;
  }
  const villageId = units[VILLAGE]!;
  const names = ['王五', '陈六', '刘芳', '张七', '周八'];
  const people: string[] = [];
  for (const [i, name] of names.entries()) {
    const first17 = `5101071980061500${i}`;
    const d = await viaGateway<{ registerPerson: { id: string } }>(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: { orgUnitId: villageId, name, idNumber: `${first17}${nationalIdCheckChar(first17)}`, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
    });
    people.push(d.registerPerson.id);
  }
  const buyer = people[0]!;

  // Elections: a villagers' election through nominations, vetting, the roll, the count and certification.
  const { createElectionCycle } = await viaGateway<{ createElectionCycle: { id: string } }>(`mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`, {
    input: { name: '2026年武侯区村(社区)两委换届', regionCode: DISTRICT, termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' },
  });
  const { createElection } = await viaGateway<{ createElection: { id: string } }>(`mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`, {
    input: { cycleId: createElectionCycle.id, orgUnitId: villageId, orgUnitCode: VILLAGE, committeeKind: 'VILLAGERS', seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 2 }], electionDay: '2026-03-28', method: 'VOTERS_ASSEMBLY' },
  });
  const electionId = createElection.id;
  const advance = (event: string) => viaGateway(`mutation($id: ID!, $event: ProceduralEvent!) { advanceElection(input: { electionId: $id, event: $event }) { id } }`, { id: electionId, event });
  await advance('OPEN_NOMINATIONS');
  const seats: [string, 'MALE' | 'FEMALE'][] = [['DIRECTOR', 'MALE'], ['DIRECTOR', 'MALE'], ['MEMBER', 'FEMALE'], ['MEMBER', 'MALE'], ['MEMBER', 'MALE']];
  const candidates: string[] = [];
  for (const [i, [role, gender]] of seats.entries()) {
    const d = await viaGateway<{ nominateCandidate: { id: string } }>(`mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`, {
      input: { electionId, personId: people[i], role, gender, nominatedBy: 'HOUSEHOLDS', recommendations: 40 },
    });
    candidates.push(d.nominateCandidate.id);
  }
  await advance('START_VETTING');
  await elections.bus.ensureTopics([topicOf(ReviewConcluded)]);
  await elections.bus.publish(
    candidates.map((candidateId, i) =>
      envelopeOf(ReviewConcluded, { subject: candidateId, data: { reviewId: randomUUID(), candidateId, personId: people[i]!, regionPath: VILLAGE_PATH, outcome: 'CLEARED', negativeListCodes: [] } }),
    ),
  );
  await waitFor(async () => (await elections.dataSource.query(`SELECT 1 FROM candidate_eligibility WHERE candidate_id = ANY($1::uuid[])`, [candidates])).length === 5, {
    timeoutMs: 30_000,
    message: 'clearances reached elections',
  });
  await advance('OPEN_VOTER_REGISTRATION');
  await elections.dataSource.query(
    `INSERT INTO voter (election_id, cycle_id, region_path, name, id_blind_index, id_number_masked, household, basis, birth_date, registered_by)
     SELECT e.id, e.cycle_id, e.region_path, '选民' || g, md5(e.id::text || g) || md5(g::text), '5101**********' || lpad(g::text, 4, '0'), 'H' || (g / 3), 'HUKOU', DATE '1970-01-01', 'test'
       FROM election e, generate_series(1, 100) g WHERE e.id = $1`,
    [electionId],
  );
  await elections.dataSource.query(`UPDATE election SET voter_list_published_on = '2026-03-01' WHERE id = $1`, [electionId]);
  await advance('SCHEDULE');
  await advance('OPEN_POLLS');
  const sheet = {
    electionId,
    boxCode: 'A',
    ballotsIssued: 90,
    ballotsReturned: 90,
    ballotsInvalid: 0,
    votes: [[0, 70], [2, 80], [3, 60], [4, 10]].map(([i, votes]) => ({ candidateId: candidates[i!], votes })),
  };
  for (const user of ['clerk-a', 'clerk-b']) {
    await viaGateway(`mutation($input: EnterTallySheetInput!) { enterTallySheet(input: $input) { id } }`, { input: sheet }, { roles: ['TOWN_OFFICER'], region: DISTRICT, user });
  }
  await viaGateway(`mutation($id: ID!) { closeCount(input: { electionId: $id }) { id } }`, { id: electionId });
  await viaGateway(`mutation($id: ID!) { certifyElection(input: { electionId: $id }) { id } }`, { id: electionId });

  // The certified result forms the term in personnel: the buyer is director.
  await handOver(elections, personnel, ElectionResultCertified, electionId);
  const SEATS = `query($id: ID!) { person(id: $id) { name positions { role active endReason electionId } } }`;
  await waitFor(async () => (await viaGateway<{ person: { positions: unknown[] } }>(SEATS, { id: buyer })).person.positions.length === 1, { timeoutMs: 30_000, message: 'the term formed in personnel' });
  expect((await viaGateway<{ person: unknown }>(SEATS, { id: buyer })).person).toEqual({ name: '王五', positions: [{ role: 'DIRECTOR', active: true, endReason: null, electionId }] });

  // Complaints: a supervision group's report, substantiated by the discipline commission.
  const RECEIVE = `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }`;
  const report = { channel: 'SUPERVISION_GROUP', category: 'VOTE_BUYING', summary: '选举前一晚逐户发放红包拉票', orgUnitId: villageId, regionCode: VILLAGE, electionId, subjectPersonIds: [buyer], complainant: { name: '知情群众甲', contact: '13700000000' } };
  const { receiveComplaint } = await viaGateway<{ receiveComplaint: { id: string } }>(RECEIVE, { input: report }, DISCIPLINE);
  const complaintId = receiveComplaint.id;
  const step = (mutation: string, input: string, value: Record<string, unknown>) => viaGateway(`mutation($input: ${input}!) { ${mutation}(input: $input) { status } }`, { input: { complaintId, ...value } }, DISCIPLINE);
  await step('acceptComplaint', 'ComplaintStepInput', {});
  await step('assignComplaint', 'AssignComplaintInput', { orgUnitId: units['510107018000'], investigator: 'jw-1' });
  await step('startInvestigation', 'ComplaintStepInput', {});
  await step('substantiateComplaint', 'SubstantiateComplaintInput', { reason: '经调查,王五以每户200元红包拉票属实' });
  const [finding] = await handOver(complaints, elections, ComplaintSubstantiated, complaintId);
  expect(finding).toEqual(expect.objectContaining({ category: 'VOTE_BUYING', electionId, subjectPersonIds: [buyer] }));
  expect(JSON.stringify(finding)).not.toContain('知情群众甲');

  // 三个一律: elections voids the result; personnel ends the seat.
  const ELECTION = `query($id: ID!) { election(id: $id) { status candidates { person { id } status statusReason } } }`;
  await waitFor(async () => (await viaGateway<{ election: { status: string } }>(ELECTION, { id: electionId })).election.status === 'VOIDED', { timeoutMs: 30_000, message: 'the election voided' });
  const voided = (await viaGateway<{ election: { candidates: { person: { id: string }; status: string; statusReason: string | null }[] } }>(ELECTION, { id: electionId })).election;
  expect(voided.candidates.find((c) => c.person.id === buyer)).toMatchObject({ status: 'VOIDED', statusReason: 'VOTE_BUYING' });
  await handOver(elections, personnel, ElectionVoided, electionId);
  await waitFor(async () => (await viaGateway<{ person: { positions: { active: boolean }[] } }>(SEATS, { id: buyer })).person.positions.every((p) => !p.active), {
    timeoutMs: 30_000,
    message: 'the seat ended in personnel',
  });
  expect((await viaGateway<{ person: { positions: unknown[] } }>(SEATS, { id: buyer })).person.positions).toEqual([{ role: 'DIRECTOR', active: false, endReason: 'RESULT_VOIDED', electionId }]);

  // Two more reports about the same election are left unanswered past the 24-hour first response.
  for (const subject of [people[1]!, people[3]!]) {
    await viaGateway(RECEIVE, { input: { ...report, channel: 'HOTLINE', category: 'PROCEDURE', subjectPersonIds: [subject], complainant: null } }, DISCIPLINE);
  }
  complaintsNow = new Date(complaintsNow.getTime() + 25 * 3_600_000);
  const overdue = await viaGateway<{ overdueComplaints: { edges: { node: Record<string, unknown> }[] } }>(
    `query($region: String!) { overdueComplaints(regionCode: $region) { edges { node {
        category status deadlines { overdueDeadline level }
        subjects { name }
        election { id status committeeKind electionDay }
        orgUnit { name }
    } } } }`,
    { region: DISTRICT },
    DISCIPLINE,
  );
  // Both fell due at the same instant (one injected clock): the list orders them by deadline, then
  // by id, so their order here is the ids' — compare them by subject instead.
  const byName = (n: Record<string, unknown>) => (n.subjects as { name: string }[])[0]!.name;
  const nodes = overdue.overdueComplaints.edges.map((e) => e.node).sort((a, b) => byName(a).localeCompare(byName(b), 'zh'));
  expect(nodes).toEqual(
    ['陈六', '张七'].sort((a, b) => a.localeCompare(b, 'zh')).map((name) => ({
      category: 'PROCEDURE',
      status: 'RECEIVED',
      deadlines: { overdueDeadline: 'FIRST_RESPONSE', level: 'TOWN' },
      subjects: [{ name }],
      election: { id: electionId, status: 'VOIDED', committeeKind: 'VILLAGERS', electionDay: '2026-03-28' },
      orgUnit: { name: '七里社区' },
    })),
  );
}, 180_000);
