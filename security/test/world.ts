import { join } from 'node:path';
import { createLogger, createPiiCipher, generatePiiKeys, issueToken, nationalIdCheckChar, type AuthOptions, type Role } from '@huanjie/platform';
import { graphqlPost, startServiceUnderTest, type ServiceUnderTest } from '@huanjie/testkit';
import { composeSupergraph, createGateway } from '@huanjie/gateway';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer as createElections, migrations as electionsMigrations } from '@huanjie/elections';
import { createServer as createVetting, migrations as vettingMigrations } from '@huanjie/vetting';
import { createServer as createComplaints, migrations as complaintsMigrations } from '@huanjie/complaints';
import { createServer as createTraining, migrations as trainingMigrations } from '@huanjie/training';

// The whole federated graph for the hostile-input corpus: five subgraphs on their own databases
// of the run's PostgreSQL, one gateway over them with the supergraph composed from the SDL files.

export const NOW = new Date('2026-03-02T02:00:00Z');
export const auth: AuthOptions = { secret: 'security-bad-input-corpus-secret-0123456789' };
export const NATIONWIDE = '000000000000';
export const DISTRICT = '510107000000';
export const TOWN = '510107018000';
export const VILLAGE = '510107018003';
export const OTHER_REGION = '440300000000';

export type ServiceName = 'personnel' | 'elections' | 'vetting' | 'complaints' | 'training';

export interface Graph {
  services: Record<ServiceName, ServiceUnderTest>;
  url: string;
  stop(): Promise<void>;
}

export async function startGraph(prefix: string): Promise<Graph> {
  const now = () => NOW;
  // One set of PII keys: elections' voter roll blind-indexes ID numbers with personnel's key.
  const pii = createPiiCipher(generatePiiKeys());
  const personnel = await startServiceUnderTest({
    name: `${prefix}_personnel`,
    migrations: personnelMigrations,
    create: (deps) => createPersonnel({ ...deps, auth, pii, clock: now }),
    partitions: 1,
  });
  const elections = await startServiceUnderTest({ name: `${prefix}_elections`, migrations: electionsMigrations, create: (deps) => createElections({ ...deps, auth, now, pii }), partitions: 1 });
  const vetting = await startServiceUnderTest({ name: `${prefix}_vetting`, migrations: vettingMigrations, create: (deps) => createVetting({ ...deps, auth, now }), partitions: 1 });
  const complaints = await startServiceUnderTest({
    name: `${prefix}_complaints`,
    migrations: complaintsMigrations,
    create: (deps) => createComplaints({ ...deps, auth, now, pii: createPiiCipher(generatePiiKeys()), escalationIntervalMs: 0 }),
    partitions: 1,
  });
  const training = await startServiceUnderTest({ name: `${prefix}_training`, migrations: trainingMigrations, create: (deps) => createTraining({ ...deps, auth, now }), partitions: 1 });
  const gateway = await createGateway({
    logger: createLogger({ name: 'gateway-security-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    supergraphSdl: composeSupergraph(join(__dirname, '..', '..')),
    subgraphUrls: { personnel: personnel.url, elections: elections.url, vetting: vetting.url, complaints: complaints.url, training: training.url },
  });
  const running = await gateway.listen(0, '127.0.0.1');
  return {
    services: { personnel, elections, vetting, complaints, training },
    url: running.url,
    async stop() {
      await running.close();
      await gateway.stop();
      for (const s of [training, complaints, vetting, elections, personnel]) await s.stop();
    },
  };
}

export interface Caller {
  roles: Role[];
  region?: string;
  user?: string;
  department?: string;
}
export const ADMIN: Caller = { roles: ['ORG_ADMIN'] };
export const DISCIPLINE: Caller = { roles: ['DISCIPLINE'], region: DISTRICT, user: 'jw-1' };
export const TRAINER: Caller = { roles: ['TRAINER'], region: DISTRICT, user: 'px-1' };

export const tokenFor = (who: Caller, options: AuthOptions = auth, expiresIn?: string) =>
  issueToken({ userId: who.user ?? `${who.roles[0]}@${who.region ?? NATIONWIDE}`, roles: who.roles, regionCode: who.region ?? NATIONWIDE, department: who.department, expiresIn }, options);

/** A request that must succeed (seeding): throws with the errors otherwise. */
export async function ok<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, who: Caller = ADMIN): Promise<T> {
  const res = await graphqlPost<T>(url, { query, variables, token: await tokenFor(who) });
  if (res.errors?.length) throw new Error(`seeding failed: ${query.slice(0, 80)}: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

export const idNumber = (first17: string) => `${first17}${nationalIdCheckChar(first17)}`;

export interface World {
  units: Record<string, string>;
  villageId: string;
  people: string[];
  idNumbers: string[];
  cycleId: string;
  /** NOMINATING, with candidates[0] nominated. */
  electionId: string;
  candidates: string[];
  /** PLANNED: the target of the concurrent OPEN_NOMINATIONS. */
  raceElectionId: string;
  reviewId: string;
  /** RECEIVED. */
  complaintId: string;
  /** RECEIVED: the target of the concurrent acceptComplaint. */
  raceComplaintId: string;
  courseId: string;
  sessionId: string;
  complaintInput: Record<string, unknown>;
  orgUnitInput: Record<string, unknown>;
  personInput: Record<string, unknown>;
  electionInput: Record<string, unknown>;
  nominationInput: Record<string, unknown>;
  reviewInput: Record<string, unknown>;
}

/** A small valid world, built through the graph as clients build it. */
export async function seedWorld(url: string): Promise<World> {
  const units: Record<string, string> = {};
  const orgUnits = [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
    { code: '510100000000', name: '成都市', kind: 'CITY' },
    { code: DISTRICT, name: '武侯区', kind: 'DISTRICT' },
    { code: TOWN, name: '簇桥街道', kind: 'SUBDISTRICT' },
    { code: VILLAGE, name: '七里社区', kind: 'VILLAGE' },
    { code: '510107018004', name: '八里村', kind: 'VILLAGE' },
  ];
  for (const input of orgUnits) {
    const d = await ok<{ createOrgUnit: { id: string } }>(url, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input });
    units[input.code] = d.createOrgUnit.id;
  }
  const villageId = units[VILLAGE]!;
  const people: string[] = [];
  const idNumbers: string[] = [];
  let personInput: Record<string, unknown> = {};
  for (const [i, name] of ['王五', '陈六', '刘芳', '张七'].entries()) {
    const idn = idNumber(`5101071980061500${i}`);
    personInput = { orgUnitId: villageId, name, idNumber: idn, ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' };
    const d = await ok<{ registerPerson: { id: string } }>(url, `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, { input: personInput });
    people.push(d.registerPerson.id);
    idNumbers.push(idn);
  }
  const { createElectionCycle } = await ok<{ createElectionCycle: { id: string } }>(url, `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`, {
    input: { name: '2026年武侯区村(社区)两委换届', regionCode: DISTRICT, termYears: 5, startsOn: '2026-01-01', endsOn: '2026-06-30' },
  });
  const cycleId = createElectionCycle.id;
  const electionInput = { cycleId, orgUnitId: villageId, orgUnitCode: VILLAGE, committeeKind: 'VILLAGERS', seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 2 }], electionDay: '2026-05-28', method: 'VOTERS_ASSEMBLY' };
  const CREATE_ELECTION = `mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`;
  const electionId = (await ok<{ createElection: { id: string } }>(url, CREATE_ELECTION, { input: electionInput })).createElection.id;
  const raceElectionId = (
    await ok<{ createElection: { id: string } }>(url, CREATE_ELECTION, { input: { ...electionInput, orgUnitId: units['510107018004'], orgUnitCode: '510107018004' } })
  ).createElection.id;
  await ok(url, `mutation($id: ID!) { advanceElection(input: { electionId: $id, event: OPEN_NOMINATIONS }) { id } }`, { id: electionId });
  const nominationInput = { electionId, personId: people[0], role: 'DIRECTOR', gender: 'MALE', nominatedBy: 'HOUSEHOLDS', recommendations: 40 };
  const candidates: string[] = [];
  for (const [i, input] of [nominationInput, { ...nominationInput, personId: people[1], role: 'MEMBER' }].entries()) {
    const d = await ok<{ nominateCandidate: { id: string } }>(url, `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`, { input });
    candidates[i] = d.nominateCandidate.id;
  }
  const reviewInput = { candidateId: candidates[0], electionId, personId: people[0], orgUnitId: villageId, orgUnitCode: VILLAGE, role: 'DIRECTOR' };
  const { openReview } = await ok<{ openReview: { id: string } }>(url, `mutation($input: OpenReviewInput!) { openReview(input: $input) { id status } }`, { input: reviewInput });
  const complaintInput = { channel: 'HOTLINE', category: 'PROCEDURE', summary: '选民登记不规范', orgUnitId: villageId, regionCode: VILLAGE, electionId, subjectPersonIds: [people[0]] };
  const RECEIVE = `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id } }`;
  const complaintId = (await ok<{ receiveComplaint: { id: string } }>(url, RECEIVE, { input: complaintInput }, DISCIPLINE)).receiveComplaint.id;
  const raceComplaintId = (await ok<{ receiveComplaint: { id: string } }>(url, RECEIVE, { input: { ...complaintInput, summary: '另一件' } }, DISCIPLINE)).receiveComplaint.id;
  const { createCourse } = await ok<{ createCourse: { id: string } }>(url, `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`, {
    input: { name: '换届工作人员培训', type: 'ELECTION_WORKER', audiences: ['ELECTION_WORKERS'], required: false, regionCode: DISTRICT, hours: 4 },
  }, TRAINER);
  const { scheduleSession } = await ok<{ scheduleSession: { id: string } }>(url, `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { id } }`, {
    input: { courseId: createCourse.id, startsOn: '2026-03-20', endsOn: '2026-03-20', place: '街道党群服务中心', online: false, mode: 'ROLL', capacity: 30, trainer: '张老师', regionCode: DISTRICT },
  }, TRAINER);
  return {
    units,
    villageId,
    people,
    idNumbers,
    cycleId,
    electionId,
    candidates,
    raceElectionId,
    reviewId: openReview.id,
    complaintId,
    raceComplaintId,
    courseId: createCourse.id,
    sessionId: scheduleSession.id,
    complaintInput,
    orgUnitInput: orgUnits[4]!,
    personInput: { ...personInput, idNumber: idNumbers[3] },
    electionInput,
    nominationInput,
    reviewInput,
  };
}

/**
 * Every table of a service's database: row count and an md5 of its rows in a stable order (the
 * row's text form). Nothing is excluded: a refused request must change nothing, audit_log and
 * outbox included.
 */
export async function snapshot(service: ServiceUnderTest): Promise<Record<string, string>> {
  const tables: { schema: string; name: string }[] = await service.dataSource.query(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const { schema, name } of tables) {
    const q = `"${schema.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}"`;
    const [row] = await service.dataSource.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM ${q} t`);
    out[`${schema}.${name}`] = `${row.n}:${row.h}`;
  }
  return out;
}
