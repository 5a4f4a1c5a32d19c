import { join } from 'node:path';
import type { z } from 'zod';
import { createLogger, createPiiCipher, generatePiiKeys, issueToken, nationalIdCheckChar, type AuthOptions, type Role } from '@huanjie/platform';
import { envelopeOf, PositionAssigned, TermStarted, topicOf, type EventDefinition } from '@huanjie/events';
import { graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { composeSupergraph, createGateway } from '@huanjie/gateway';
import { createServer as createPersonnel, migrations as personnelMigrations } from '@huanjie/personnel';
import { createServer, migrations } from '../src';

// One request through the gateway: a new committee (personnel) with its members' names and seats
// (personnel), each member's onboarding status (training) and the committee's 十个一 checklist
// (training). The term is started in personnel through the graph; its events travel from
// personnel's outbox to training as the relay would carry them (each service under test has its
// own topic prefix, so the test hands them over) — twice, as at-least-once delivery may.
const NOW = new Date('2026-03-10T02:00:00Z');
const auth: AuthOptions = { secret: 'training-onboarding-gateway-test-secret-0123456789' };
const VILLAGE = '510107018003';

let personnel: ServiceUnderTest;
let training: ServiceUnderTest;
let gatewayUrl: string;
let gateway: Awaited<ReturnType<typeof createGateway>>;
let stopGateway: () => Promise<void>;

async function viaGateway<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, roles: Role[] = ['ORG_ADMIN'], region = '000000000000') {
  const token = await issueToken({ userId: `${roles[0]}@${region}`, roles, regionCode: region }, auth);
  const res = await graphqlPost<T>(gatewayUrl, { query, variables, token });
  expect(res.errors).toBeUndefined();
  return res.data!;
}

beforeAll(async () => {
  personnel = await startServiceUnderTest({
    name: 'onboarding_gw_personnel',
    migrations: personnelMigrations,
    create: (deps) => createPersonnel({ ...deps, auth, pii: createPiiCipher(generatePiiKeys()), clock: () => NOW }),
  });
  training = await startServiceUnderTest({ name: 'onboarding_gw_training', migrations, partitions: 1, create: (deps) => createServer({ ...deps, auth, now: () => NOW }) });
  gateway = await createGateway({
    logger: createLogger({ name: 'gateway-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    auth,
    supergraphSdl: composeSupergraph(join(__dirname, '..', '..', '..')),
    subgraphUrls: { personnel: personnel.url, training: training.url },
  });
  const running = await gateway.listen(0, '127.0.0.1');
  gatewayUrl = running.url;
  stopGateway = running.close;
}, 120_000);

afterAll(async () => {
  await stopGateway?.();
  await gateway?.stop();
  await training?.stop();
  await personnel?.stop();
});

it('answers a new committee with its members, their onboarding status and the 十个一 checklist in one request', async () => {
  const units: Record<string, string> = {};
  for (const input of [
    { code: '510000000000', name: '四川省', kind: 'PROVINCE' },
    { code: '510100000000', name: '成都市', kind: 'CITY' },
    { code: '510107000000', name: '武侯区', kind: 'DISTRICT' },
    { code: '510107018000', name: '簇桥街道', kind: 'SUBDISTRICT' },
    { code: VILLAGE, name: '七里社区', kind: 'COMMUNITY' },
  ]) {
    units[input.code] = (await viaGateway<{ createOrgUnit: { id: string } }>(`mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, { input })).createOrgUnit.id;
  }
  const names = ['王秀英', '刘建华', '陈志强'];
  const people: string[] = [];
  for (const [i, name] of names.entries()) {
    const first17 = `510107198${i}0615${String(21 + i * 2).padStart(3, '0')}`;
    const d = await viaGateway<{ registerPerson: { id: string } }>(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: { orgUnitId: units[VILLAGE], name, idNumber: `${first17}${nationalIdCheckChar(first17)}`, ethnicity: '汉族', education: 'BACHELOR', politicalStatus: 'PARTY_MEMBER', partyJoinedOn: '2010-07-01' },
    });
    people.push(d.registerPerson.id);
  }

  // Training: the district's onboarding course, through the same graph.
  await viaGateway(
    `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`,
    { input: { name: '2026年武侯区社区“两委”成员初任培训班', type: 'ONBOARDING', audiences: ['MEMBERS', 'SECRETARIES'], required: true, regionCode: '510107000000', hours: 16 } },
    ['TRAINER'],
    '510107000000',
  );

  // Personnel: the new Party committee's term.
  const { startTerm } = await viaGateway<{ startTerm: { id: string; committee: { id: string } } }>(
    `mutation($input: StartTermInput!) { startTerm(input: $input) { id committee { id } } }`,
    {
      input: {
        orgUnitId: units[VILLAGE],
        committeeKind: 'PARTY',
        partyOrgForm: 'BRANCH',
        startsOn: '2026-01-15',
        positions: [
          { personId: people[0], role: 'SECRETARY' },
          { personId: people[1], role: 'DEPUTY_SECRETARY' },
          { personId: people[2], role: 'PARTY_MEMBER_SEAT' },
        ],
      },
    },
  );
  const committeeId = startTerm.committee.id;

  // personnel's outbox → training's topic, in the order written, twice.
  const rows: { id: string; type: string; subject: string; payload: Record<string, unknown>; occurred_at: Date }[] = await personnel.dataSource.query(
    `SELECT id, type, subject, payload, occurred_at FROM outbox WHERE subject = $1 ORDER BY seq`,
    [committeeId],
  );
  expect(rows.map((r) => r.type)).toEqual(['huanjie.personnel.TermStarted', 'huanjie.personnel.PositionAssigned', 'huanjie.personnel.PositionAssigned', 'huanjie.personnel.PositionAssigned']);
  const definitionOf = (type: string) => (type.endsWith('TermStarted') ? TermStarted : PositionAssigned) as EventDefinition;
  const envelopes = rows.map((r) => envelopeOf(definitionOf(r.type), { id: r.id, subject: r.subject, data: r.payload, time: new Date(r.occurred_at) }));
  await training.bus.ensureTopics([topicOf(TermStarted)]);
  for (let round = 0; round < 2; round++) for (const e of envelopes) await training.bus.publish([e]);
  await waitFor(async () => (await training.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [envelopes.at(-1)!.id])).length === 1, {
    timeoutMs: 30_000,
    message: 'training handled the term',
  });
  // A later marker on the same partition proves the second round was delivered (and skipped).
  const marker = envelopeOf(TermStarted, { subject: committeeId, data: { ...(rows[0]!.payload as z.input<typeof TermStarted.schema>), termId: '00000000-0000-4000-8000-000000000001', startsOn: '2021-01-15', endsOn: '2026-01-14' } });
  await training.bus.publish([marker]);
  await waitFor(async () => (await training.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [marker.id])).length === 1, { timeoutMs: 30_000, message: 'marker handled' });
  expect(await training.dataSource.query(`SELECT count(*)::int AS n FROM enrolment`)).toEqual([{ n: 3 }]);
  expect(await training.dataSource.query(`SELECT count(*)::int AS n FROM onboarding_checklist WHERE term_id = $1`, [startTerm.id])).toEqual([{ n: 1 }]);

  const { committee } = await viaGateway<{ committee: Record<string, unknown> }>(
    `query($id: ID!) { committee(id: $id) {
        kind
        orgUnit { name }
        currentTerm { startsOn positions { role person { name onboarding { status enrolment { course { name type } } } } } }
        onboardingChecklist { termStartsOn tasksDone completedOn tasks { task done } }
      } }`,
    { id: committeeId },
    ['TOWN_OFFICER'],
    '510107018000',
  );
  const onboarding = { status: 'AWAITING_SESSION', enrolment: { course: { name: '2026年武侯区社区“两委”成员初任培训班', type: 'ONBOARDING' } } };
  expect(committee).toEqual({
    kind: 'PARTY',
    orgUnit: { name: '七里社区' },
    currentTerm: {
      startsOn: '2026-01-15',
      positions: [
        { role: 'SECRETARY', person: { name: '王秀英', onboarding } },
        { role: 'DEPUTY_SECRETARY', person: { name: '刘建华', onboarding } },
        { role: 'PARTY_MEMBER_SEAT', person: { name: '陈志强', onboarding } },
      ],
    },
    // The latest term's checklist (the marker's older term does not displace it).
    onboardingChecklist: {
      termStartsOn: '2026-01-15',
      tasksDone: 0,
      completedOn: null,
      tasks: ['STUDY_SESSION', 'HANDOVER', 'VISIT_RESIDENTS', 'RESIDENTS_DIARY', 'ROLE_MODEL', 'PUBLIC_PLEDGE', 'COMMITTEE_TALK', 'PRACTICAL_PROJECT', 'RULES', 'RESULTS_REVIEW'].map((task) => ({ task, done: false })),
    },
  });
}, 120_000);
