import { randomBytes } from 'node:crypto';
import { generatePiiKeys, issueToken, nationalIdCheckChar, type Role } from '@huanjie/platform';
import { graphqlPost, testKafkaBrokers, uniqueTopicPrefix, waitFor, type GraphQLResponse } from '@huanjie/testkit';
import { startStack, type RunningStack } from '@huanjie/launcher';

// 换届, end to end: one village (农科村, 郫都区友爱镇) from the opening of its transition to the
// onboarding of its new villagers' committee, and then 三个一律 — a substantiated vote-buying
// complaint against the elected director voids the result and ends his seat.
//
// The whole graph runs as `npm start` runs it — five subgraphs and the gateway in this process —
// on the test run's PostgreSQL server and its real Kafka broker, every service on ONE topic
// prefix: events travel from outbox to relay to Kafka to inbox by themselves. Every step is a
// GraphQL operation a front-end team would send through the gateway (the voter roll goes as
// `npm run import:voters` sends it: the documented bulk route); every wait polls the graph.

const auth = { secret: 'e2e-huanjie-village-secret-0123456789abcdef' };
const WAIT_MS = 30_000;

const PROVINCE = '510000000000';
const CITY = '510100000000';
const DISTRICT = '510117000000';
const TOWN = '510117105000';
const VILLAGE = '510117105201';

let stack: RunningStack;

// ---------------------------------------------------------------------------------------------
// The actors, each with the token a real front-end would hold.

interface Actor {
  user: string;
  roles: Role[];
  region: string;
  department?: string;
}
const ORG_ADMIN: Actor = { user: 'zzb-sichuan', roles: ['ORG_ADMIN'], region: PROVINCE }; // 省委组织部
const TOWN_OFFICER: Actor = { user: 'youai-town', roles: ['TOWN_OFFICER'], region: TOWN }; // 友爱镇
const CIVIL_AFFAIRS: Actor = { user: 'pidu-minzheng', roles: ['CIVIL_AFFAIRS'], region: DISTRICT }; // 区民政局
const DISCIPLINE: Actor = { user: 'pidu-jiwei', roles: ['DISCIPLINE'], region: DISTRICT }; // 区纪委监委
const TRAINER: Actor = { user: 'pidu-dangxiao', roles: ['TRAINER'], region: DISTRICT }; // 区委党校
const CLERK_A: Actor = { user: 'clerk-zhang', roles: ['TOWN_OFFICER'], region: TOWN }; // 计票员甲
const CLERK_B: Actor = { user: 'clerk-li', roles: ['TOWN_OFFICER'], region: TOWN }; // 计票员乙
/** 联审: the department's reviewer at the review's level (the township's officer speaks for TOWNSHIP). */
const reviewerFor = (department: string, level: string): Actor =>
  department === 'TOWNSHIP'
    ? TOWN_OFFICER
    : {
        user: `reviewer-${department.toLowerCase()}`,
        roles: ['REVIEWER'],
        region: level === 'CITY_RE_REVIEW' ? CITY : DISTRICT,
        department,
      };

const tokenOf = (who: Actor) =>
  issueToken({ userId: who.user, roles: who.roles, regionCode: who.region, department: who.department }, auth);

/** A response's data, read as a front-end reads JSON; the assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Sends one operation through the gateway; a GraphQL error fails the step, naming it. */
async function send<T = Json>(who: Actor, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res: GraphQLResponse<T> = await graphqlPost<T>(stack.gatewayUrl, { query, variables, token: await tokenOf(who) });
  if (res.errors?.length || !res.data) {
    const op = /(query|mutation)[^{]*\{\s*(\w+)/.exec(query)?.[2] ?? query.slice(0, 60);
    throw new Error(`${op} as ${who.user}: ${JSON.stringify(res.errors ?? res.status)}`);
  }
  return res.data;
}

/**
 * Polls `probe` (a read through the gateway) until `pick` returns something truthy; on timeout the
 * error names what was awaited and shows what the graph answered last.
 */
async function poll<T>(
  probe: () => Promise<Json>,
  pick: (data: Json) => T | null | undefined | false,
  message: string,
): Promise<NonNullable<T>> {
  let last: Json;
  try {
    return (await waitFor(
      async () => {
        last = await probe();
        return pick(last);
      },
      { timeoutMs: WAIT_MS, intervalMs: 200, message },
    )) as NonNullable<T>;
  } catch (error) {
    throw new Error(`${(error as Error).message}; the graph answered last: ${JSON.stringify(last)?.slice(0, 2000)}`, { cause: error });
  }
}

/** Polls one query through the gateway until `pick` holds. */
const until = <T>(
  who: Actor,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: Json) => T | null | undefined | false,
  message: string,
) => poll(() => send(who, query, variables), pick, message);

// ---------------------------------------------------------------------------------------------
// Dates: the certification starts the new term today (Asia/Shanghai), so the story is dated from
// today — election day a month ahead, the cycle around it.

const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const TODAY = shanghaiToday();
const ELECTION_DAY = addDays(TODAY, 30);

/** A valid GB 11643 number for someone born on `birth` (yyyy-mm-dd) in 郫都区, with a sequence code. */
const idNumber = (birth: string, seq: number) => {
  const first17 = `510117${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return `${first17}${nationalIdCheckChar(first17)}`;
};

beforeAll(async () => {
  stack = await startStack({
    postgresUrl: process.env.HUANJIE_TEST_DATABASE_URL!,
    databasePrefix: `e2e_${randomBytes(4).toString('hex')}_`,
    kafkaBrokers: testKafkaBrokers().split(','),
    topicPrefix: uniqueTopicPrefix(), // one prefix for every service: they talk to each other
    auth,
    pii: generatePiiKeys(),
    gatewayPort: 0,
    subgraphPorts: { personnel: 0, vetting: 0, elections: 0, complaints: 0, training: 0 },
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

it('takes one village from the opening of its 换届 to the onboarding of its new committee, and voids the result when vote-buying is found', async () => {
  // ===== 1. 组织部: the org tree down to the village, and the villagers standing for election. =====
  const units: Record<string, string> = {};
  for (const input of [
    { code: PROVINCE, name: '四川省', kind: 'PROVINCE' },
    { code: CITY, name: '成都市', kind: 'CITY' },
    { code: DISTRICT, name: '郫都区', kind: 'DISTRICT' },
    { code: TOWN, name: '友爱镇', kind: 'TOWN' },
    { code: VILLAGE, name: '农科村', kind: 'VILLAGE' },
  ]) {
    const { createOrgUnit } = await send(ORG_ADMIN, `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { id } }`, {
      input,
    });
    units[input.code] = createOrgUnit.id;
  }
  const villageId = units[VILLAGE]!;

  const villagers = [
    { name: '罗德明', gender: 'MALE', birth: '1975-04-12', role: 'DIRECTOR' }, // will win, then be found buying votes
    { name: '彭志远', gender: 'MALE', birth: '1980-09-03', role: 'DIRECTOR' },
    { name: '钟淑芬', gender: 'FEMALE', birth: '1983-01-27', role: 'MEMBER' },
    { name: '曾国强', gender: 'MALE', birth: '1978-06-30', role: 'MEMBER' },
    { name: '廖小燕', gender: 'FEMALE', birth: '1990-11-15', role: 'MEMBER' },
  ];
  const people: string[] = [];
  for (const [i, v] of villagers.entries()) {
    const { registerPerson } = await send(ORG_ADMIN, `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`, {
      input: {
        orgUnitId: villageId,
        name: v.name,
        idNumber: idNumber(v.birth, 11 + i * 2 + (v.gender === 'FEMALE' ? 1 : 0)),
        ethnicity: '汉族',
        education: 'SENIOR_SECONDARY',
        politicalStatus: 'MASSES',
      },
    });
    people.push(registerPerson.id);
  }

  // ===== 2. 部署换届: the district's onboarding course, the cycle, the village's transition opened, its first steps completed. =====
  // 区委党校 sets up the 初任培训 for the committees the 换届 will elect (training enrols each new member in it).
  await send(TRAINER, `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }`, {
    input: {
      name: '郫都区村(社区)“两委”成员初任培训班',
      type: 'ONBOARDING',
      audiences: ['MEMBERS', 'SECRETARIES'],
      required: true,
      regionCode: DISTRICT,
      hours: 16,
    },
  });
  const { createElectionCycle: cycle } = await send(
    ORG_ADMIN,
    `mutation($input: CreateElectionCycleInput!) { createElectionCycle(input: $input) { id } }`,
    {
      input: {
        name: '郫都区村(社区)两委换届',
        regionCode: DISTRICT,
        termYears: 5,
        startsOn: addDays(TODAY, -60),
        endsOn: addDays(TODAY, 120),
      },
    },
  );
  const { openTransitions } = await send(
    ORG_ADMIN,
    `mutation($input: OpenTransitionsInput!) { openTransitions(input: $input) { opened alreadyOpen } }`,
    {
      input: { cycleId: cycle.id, units: [{ orgUnitId: villageId, orgUnitCode: VILLAGE, committeeKind: 'VILLAGERS' }] },
    },
  );
  expect(openTransitions).toEqual({ opened: 1, alreadyOpen: 0 });
  const TRANSITIONS = `query($id: ID!, $cycleId: ID) { orgUnit(id: $id) { transitions(cycleId: $cycleId) { id committeeKind stages { code steps { code done available } } } } }`;
  const transitionOf = async () => (await send(TOWN_OFFICER, TRANSITIONS, { id: villageId, cycleId: cycle.id })).orgUnit.transitions[0];
  const transitionId: string = (await transitionOf()).id;
  // 推选村民选举委员会, then the election plan (制定选举工作方案) and the election announcement (发布选举公告).
  for (const stepCode of ['R1.01', 'R1.02', 'R2.01']) {
    await send(TOWN_OFFICER, `mutation($input: CompleteTransitionStepInput!) { completeTransitionStep(input: $input) { id } }`, {
      input: { transitionId, stepCode, completedBy: '友爱镇换届工作指导组', completedAt: new Date(Date.now() - 60_000).toISOString() },
    });
  }
  const steps = (await transitionOf()).stages.flatMap((s: { steps: { code: string; done: boolean }[] }) => s.steps);
  expect(steps.filter((s: { done: boolean }) => s.done).map((s: { code: string }) => s.code)).toEqual(['R1.01', 'R1.02', 'R2.01']);

  // ===== 3. 部署选举: the villagers' committee — a director and two members, at a voters' assembly. =====
  const { createElection: election } = await send(
    TOWN_OFFICER,
    `mutation($input: CreateElectionInput!) { createElection(input: $input) { id status } }`,
    {
      input: {
        cycleId: cycle.id,
        orgUnitId: villageId,
        orgUnitCode: VILLAGE,
        committeeKind: 'VILLAGERS',
        seats: [
          { role: 'DIRECTOR', count: 1 },
          { role: 'MEMBER', count: 2 },
        ],
        electionDay: ELECTION_DAY,
        method: 'VOTERS_ASSEMBLY',
      },
    },
  );
  const electionId: string = election.id;
  expect(election.status).toBe('PLANNED');
  const advance = async (event: string) =>
    (
      await send(
        TOWN_OFFICER,
        `mutation($id: ID!, $event: ProceduralEvent!) { advanceElection(input: { electionId: $id, event: $event }) { status } }`,
        { id: electionId, event },
      )
    ).advanceElection.status;

  // ===== 4. 推荐提名: more candidates than seats (差额): two for director, three for two members. =====
  expect(await advance('OPEN_NOMINATIONS')).toBe('NOMINATING');
  const candidateOf: Record<string, string> = {}; // person id → candidate id
  for (const [i, v] of villagers.entries()) {
    const { nominateCandidate } = await send(
      TOWN_OFFICER,
      `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`,
      {
        input: { electionId, personId: people[i], role: v.role, gender: v.gender, nominatedBy: 'HOUSEHOLDS', recommendations: 40 + i },
      },
    );
    candidateOf[people[i]!] = nominateCandidate.id;
  }
  expect(await advance('START_VETTING')).toBe('VETTING');

  // ===== 5. 联审: vetting opened a review for every nomination (CandidateNominated over Kafka). =====
  const CANDIDATES = `query($id: ID!) { election(id: $id) { status candidates { id status person { id name } review { id status } } } }`;
  type Listed = { id: string; status: string; person: { id: string; name: string }; review: { id: string; status: string } | null };
  const reviewed: Listed[] = await until(
    ORG_ADMIN,
    CANDIDATES,
    { id: electionId },
    (d) => (d.election.candidates.length === 5 && d.election.candidates.every((c: Listed) => c.review) ? d.election.candidates : null),
    'vetting to open a 联审 review for each of the five candidates',
  );

  const REVIEW = `query($id: ID!) { review(id: $id) { status level levels requiredDepartments { department level answered } clearingBlocks { rule message } } }`;
  for (const candidate of reviewed) {
    const reviewId = candidate.review!.id;
    // 换届纪律承诺书: every candidate signs the discipline pledge for this election.
    await send(TOWN_OFFICER, `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id } }`, {
      input: { personId: candidate.person.id, kind: 'CANDIDATE', orgUnitId: villageId, orgUnitCode: VILLAGE, electionId, signedOn: TODAY },
    });
    // Level by level (镇初审 → 县级联审 …): every department the policy requires answers, then the review moves up.
    for (;;) {
      const { review } = await send(ORG_ADMIN, REVIEW, { id: reviewId });
      for (const required of review.requiredDepartments.filter(
        (r: { level: string; answered: boolean }) => r.level === review.level && !r.answered,
      )) {
        await send(
          reviewerFor(required.department, review.level),
          `mutation($input: RecordOpinionInput!) { recordOpinion(input: $input) { id } }`,
          {
            input: { reviewId, decision: 'CLEAR' },
          },
        );
      }
      if (review.level === review.levels.at(-1)) break;
      await send(ORG_ADMIN, `mutation($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { level } }`, { id: reviewId });
    }
    const { review } = await send(ORG_ADMIN, REVIEW, { id: reviewId });
    expect({
      name: candidate.person.name,
      blocks: review.clearingBlocks,
      unanswered: review.requiredDepartments.filter((r: { answered: boolean }) => !r.answered),
    }).toEqual({
      name: candidate.person.name,
      blocks: [],
      unanswered: [],
    });
    // 组织部 concludes: CLEARED (publishes ReviewConcluded).
    const { concludeReview } = await send(
      ORG_ADMIN,
      `mutation($input: ConcludeReviewInput!) { concludeReview(input: $input) { status } }`,
      { input: { reviewId, outcome: 'CLEARED' } },
    );
    expect(concludeReview.status).toBe('CLEARED');
  }
  // Elections hears every conclusion and makes the candidates eligible.
  await until(
    ORG_ADMIN,
    CANDIDATES,
    { id: electionId },
    (d) => d.election.candidates.every((c: Listed) => c.status === 'ELIGIBLE'),
    'elections to show all five candidates ELIGIBLE',
  );

  // ===== 6. 选民登记: the roll of 120 voters as one CSV, then 公布选民名单 at least 20 days ahead. =====
  expect(await advance('OPEN_VOTER_REGISTRATION')).toBe('VOTER_REGISTRATION');
  const lines = ['序号,姓名,身份证号,户号,登记依据'];
  for (let i = 0; i < 120; i++) {
    const birth = addDays('1950-01-01', i * 97); // born 1950–1981
    lines.push(
      `${i + 1},选民${String(i + 1).padStart(3, '0')},${idNumber(birth, 301 + i)},${1 + Math.floor(i / 30)}组${String(1 + (Math.floor(i / 3) % 10)).padStart(2, '0')}号,户籍在本村且居住`,
    );
  }
  const importUrl = new URL(stack.subgraphUrls.elections.replace(/\/graphql$/, '/voters/import'));
  importUrl.searchParams.set('election', electionId);
  const body = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  const response = await fetch(importUrl, {
    method: 'POST',
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(body.length),
      authorization: `Bearer ${await tokenOf(TOWN_OFFICER)}`,
    },
    body,
  });
  const report = (await response.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(response.status).toBe(200);
  expect(report.at(-1)).toMatchObject({ type: 'summary', lines: 120, registered: 120, skipped: 0, rejected: 0, complete: true });

  const { publishVoterList } = await send(
    TOWN_OFFICER,
    `mutation($input: PublishVoterListInput!) { publishVoterList(input: $input) { registeredCount publishedOn } }`,
    {
      input: { electionId, publishedOn: TODAY },
    },
  );
  expect(publishVoterList).toEqual({ registeredCount: 120, publishedOn: TODAY });

  // ===== 7. 选举日: the ballot, the polls, one box counted twice by two clerks (双人录入), the result. =====
  expect(await advance('SCHEDULE')).toBe('SCHEDULED');
  expect(await advance('OPEN_POLLS')).toBe('POLLING');
  const [director, directorRival, memberWoman, member, memberRunnerUp] = people as [string, string, string, string, string];
  const votes: [string, number][] = [
    [director, 70],
    [directorRival, 25],
    [memberWoman, 80],
    [member, 60],
    [memberRunnerUp, 30],
  ];
  const sheet = {
    electionId,
    boxCode: '01',
    ballotsIssued: 100,
    ballotsReturned: 100,
    ballotsInvalid: 0,
    votes: votes.map(([personId, n]) => ({ candidateId: candidateOf[personId], votes: n })),
  };
  const TALLY = `mutation($input: EnterTallySheetInput!) { enterTallySheet(input: $input) { status } }`;
  expect((await send(CLERK_A, TALLY, { input: sheet })).enterTallySheet.status).not.toBe('ACCEPTED');
  expect((await send(CLERK_B, TALLY, { input: sheet })).enterTallySheet.status).toBe('ACCEPTED');
  const { closeCount } = await send(
    TOWN_OFFICER,
    `mutation($id: ID!) { closeCount(input: { electionId: $id }) { status result { validity elected { role votes candidate { person { id } } } } } }`,
    { id: electionId },
  );
  expect(closeCount.status).toBe('TALLIED');
  expect(closeCount.result.validity).toBe('VALID');
  expect(
    closeCount.result.elected
      .map((l: { role: string; votes: number; candidate: { person: { id: string } } }) => [l.candidate.person.id, l.role, l.votes])
      .sort(),
  ).toEqual(
    [
      [director, 'DIRECTOR', 70],
      [memberWoman, 'MEMBER', 80],
      [member, 'MEMBER', 60],
    ].sort(),
  );
  // 民政 certifies the result (publishes ElectionResultCertified).
  const { certifyElection } = await send(CIVIL_AFFAIRS, `mutation($id: ID!) { certifyElection(input: { electionId: $id }) { status } }`, {
    id: electionId,
  });
  expect(certifyElection.status).toBe('CERTIFIED');
  const winners = [director, memberWoman, member];

  // ===== 8. 新一届班子: personnel forms the new term from the certified result. =====
  const COMMITTEES = `query($id: ID!) { orgUnit(id: $id) { committees {
      id kind
      currentTerm { id startsOn electionId positions { id role active endReason person { id name } } onboardings { person { id } status } }
      onboardingChecklist { id tasksDone completedOn tasks { task done } }
  } } }`;
  type Seat = { id: string; role: string; active: boolean; endReason: string | null; person: { id: string; name: string } };
  const villagersCommittee = async () =>
    (await send(ORG_ADMIN, COMMITTEES, { id: villageId })).orgUnit.committees.find((c: { kind: string }) => c.kind === 'VILLAGERS');
  const seated = await poll(
    villagersCommittee,
    (c) => (c?.currentTerm?.positions.length === 3 ? c : null),
    'personnel to form the new villagers’ committee term with three seats',
  );
  // The new term begins on the day of certification (Asia/Shanghai); the checklist's tasks are dated from it.
  const termStartsOn: string = seated.currentTerm.startsOn;
  expect([TODAY, shanghaiToday()]).toContain(termStartsOn);
  expect(seated.currentTerm.electionId).toBe(electionId);
  expect(seated.currentTerm.positions.map((p: Seat) => [p.person.id, p.role, p.active]).sort()).toEqual(
    [
      [director, 'DIRECTOR', true],
      [memberWoman, 'MEMBER', true],
      [member, 'MEMBER', true],
    ].sort(),
  );

  // ===== 9. 初任培训 and 十个一: training onboards every new member and opens the checklist. =====
  // (The district's onboarding course was set up before the 换届 began, in step 2.)
  const onboarded = await poll(
    villagersCommittee,
    (c) => {
      const onboardings: { person: { id: string }; status: string }[] = c?.currentTerm?.onboardings ?? [];
      const enrolled = winners.every((id) => onboardings.some((o) => o.person.id === id && o.status === 'AWAITING_SESSION'));
      return enrolled && c.onboardingChecklist ? c : null;
    },
    'training to enrol each new member in the onboarding course (AWAITING_SESSION) and open the committee’s 十个一 checklist',
  );
  expect(onboarded.onboardingChecklist).toMatchObject({ tasksDone: 0, completedOn: null });
  expect(onboarded.onboardingChecklist.tasks).toHaveLength(10);

  // The town records the ten tasks; the tenth completes the checklist.
  const evidence: Record<string, string> = {
    STUDY_SESSION: '新一届村委会集中学习村民委员会组织法',
    HANDOVER: '新老班子交接公章、账目和档案',
    VISIT_RESIDENTS: '走访全村各组农户',
    RESIDENTS_DIARY: '每名成员建立民情日记',
    ROLE_MODEL: '确定优秀村干部为学习榜样',
    PUBLIC_PLEDGE: '在村务公开栏公示履职承诺',
    COMMITTEE_TALK: '班子成员逐一谈心谈话',
    PRACTICAL_PROJECT: '修缮三组灌溉渠',
    RULES: '修订村务议事规则',
    RESULTS_REVIEW: '村民代表会议评议履新情况',
  };
  let checklist: { tasksDone: number; completedOn: string | null } = onboarded.onboardingChecklist;
  for (const { task } of onboarded.onboardingChecklist.tasks as { task: string }[]) {
    ({ completeChecklistTask: checklist } = await send(
      TOWN_OFFICER,
      `mutation($input: CompleteChecklistTaskInput!) { completeChecklistTask(input: $input) { tasksDone completedOn } }`,
      {
        input: { checklistId: onboarded.onboardingChecklist.id, task, evidenceNote: evidence[task], completedOn: termStartsOn },
      },
    ));
  }
  expect(checklist).toEqual({ tasksDone: 10, completedOn: termStartsOn });

  // ===== 10. 三个一律: a vote-buying report against the director, investigated and found true. =====
  const { receiveComplaint } = await send(
    DISCIPLINE,
    `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id status } }`,
    {
      input: {
        channel: 'HOTLINE',
        category: 'VOTE_BUYING',
        summary: '选举前夜罗德明逐户发放现金拉票',
        orgUnitId: villageId,
        regionCode: VILLAGE,
        electionId,
        subjectPersonIds: [director],
      },
    },
  );
  const complaintId: string = receiveComplaint.id;
  const step = async (mutation: string, inputType: string, extra: Record<string, unknown> = {}) =>
    (
      await send(DISCIPLINE, `mutation($input: ${inputType}!) { ${mutation}(input: $input) { status } }`, {
        input: { complaintId, ...extra },
      })
    )[mutation].status;
  expect(await step('acceptComplaint', 'ComplaintStepInput')).toBe('ACCEPTED'); // 受理
  expect(await step('assignComplaint', 'AssignComplaintInput', { orgUnitId: units[TOWN], investigator: 'pidu-jiwei-1' })).toBe('ASSIGNED'); // 交办
  expect(await step('startInvestigation', 'ComplaintStepInput')).toBe('INVESTIGATING'); // 调查核实
  expect(await step('substantiateComplaint', 'SubstantiateComplaintInput', { reason: '经调查,罗德明以每户200元现金拉票属实' })).toBe(
    'SUBSTANTIATED',
  ); // 查实

  // Elections voids the result (ComplaintSubstantiated over Kafka) …
  const ELECTION = `query($id: ID!) { election(id: $id) { status voidReason candidates { person { id } status } rounds { roundKind status seats { role count } } } }`;
  const voided = await until(
    ORG_ADMIN,
    ELECTION,
    { id: electionId },
    (d) => (d.election.status === 'VOIDED' ? d.election : null),
    'elections to void the election',
  );
  expect(voided.voidReason).toBe('VOTE_BUYING');
  expect(voided.candidates.find((c: { person: { id: string } }) => c.person.id === director).status).toBe('VOIDED');
  // A repeat election (补选) is planned for the seat he leaves.
  expect(voided.rounds.map((r: { roundKind: string; seats: unknown }) => ({ roundKind: r.roundKind, seats: r.seats }))).toEqual([
    { roundKind: 'REPEAT', seats: [{ role: 'DIRECTOR', count: 1 }] },
  ]);

  // … personnel ends the director's seat (ElectionVoided) …
  const directorSeat = await until(
    ORG_ADMIN,
    `query($id: ID!) { person(id: $id) { positions { role active endReason electionId } } }`,
    { id: director },
    (d) => d.person.positions.find((p: { active: boolean; endReason: string | null }) => !p.active && p.endReason),
    'personnel to end the voided director’s seat',
  );
  expect(directorSeat).toEqual({ role: 'DIRECTOR', active: false, endReason: 'RESULT_VOIDED', electionId });

  // … and vetting disqualifies his review.
  await until(
    ORG_ADMIN,
    `query($id: ID!) { candidate(id: $id) { review { status } } }`,
    { id: candidateOf[director] },
    (d) => d.candidate.review?.status === 'DISQUALIFIED',
    'vetting to disqualify the director’s review',
  );
  // The two members keep their seats.
  const after = await villagersCommittee();
  const stillSeated = (after.currentTerm?.positions ?? [])
    .filter((p: Seat) => p.active)
    .map((p: Seat) => p.person.id)
    .sort();
  expect(stillSeated).toEqual([memberWoman, member].sort());
}, 120_000);
