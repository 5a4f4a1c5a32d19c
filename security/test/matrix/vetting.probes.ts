import { randomUUID } from 'node:crypto';
import { idNumber, type Caller } from '../world';
import { auditLogProbe, OWN, OWN_VILLAGE, SIBLING, SIBLING_VILLAGE, type BaseWorld, type MatrixKit, type ServiceProbes } from './kit';

// 联审 and its safeguards. The reviews the queries read belong to candidates elections nominated
// (own district, and a decoy in the sibling district), so their `candidate` resolves through
// elections and personnel. The mutations that must succeed get reviews of their own, opened by hand
// (openReview) for a fresh candidacy id elections knows nothing of: those reviews' `candidate` is
// selected by id only.

export interface VettingFixtures {
  electionId: string;
  candidateId: string;
  /** The own candidate's review, at TOWN_FIRST_REVIEW with a CONCERN of the township. */
  reviewId: string;
  opinionId: string;
  pledgeId: string;
  /** OPEN departure audit of people[3] with one OPEN finding. */
  auditId: string;
  findingId: string;
  sibling: { electionId: string; candidateId: string; reviewId: string; opinionId: string; pledgeId: string; auditId: string; findingId: string };
}

const TOWN_SEED: Caller = { roles: ['TOWN_OFFICER'], region: OWN, user: 'town-seed' };
const SIBLING_TOWN_SEED: Caller = { roles: ['TOWN_OFFICER'], region: SIBLING, user: 'sibling-town-seed' };

const CREATE_ELECTION = `mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`;
const OPEN_NOMINATIONS = `mutation($id: ID!) { advanceElection(input: { electionId: $id, event: OPEN_NOMINATIONS }) { id } }`;
const NOMINATE = `mutation($input: NominateCandidateInput!) { nominateCandidate(input: $input) { id } }`;
const OPEN_REVIEW = `mutation($input: OpenReviewInput!) { openReview(input: $input) { id } }`;
const OPINION = `mutation($input: RecordOpinionInput!) { recordOpinion(input: $input) { id } }`;
const ADVANCE = `mutation($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { id } }`;
const CONCLUDE = `mutation($input: ConcludeReviewInput!) { concludeReview(input: $input) { id } }`;
const OPEN_AUDIT = `mutation($input: OpenDepartureAuditInput!) { openDepartureAudit(input: $input) { id } }`;
const ADD_FINDING = `mutation($input: AddAuditFindingInput!) { addAuditFinding(input: $input) { id } }`;
const PLEDGE = `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;

/** The nested paths every review probe walks: the person (personnel) and their vetting records, opinions and their review. */
const REVIEW_FIELDS = `id status level round person { id name reviews { id } pledges { id } departureAudits { id } }
  opinions { id department note review { id } } preChecks { check evidenceIds } clearingBlocks { rule } history { kind }`;

/** yyyy-mm-dd, `n` days after 2020-01-01 (a distinct past day per fresh record). */
const dayAfter2020 = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);

/** A person registered now in the own district's second village (for records unique per person). */
async function freshPerson(kit: MatrixKit, world: BaseWorld): Promise<string> {
  const n = kit.next();
  const d = await kit.seed<{ registerPerson: { id: string } }>(REGISTER, {
    input: { orgUnitId: world.village2, name: `新人${n}`, idNumber: idNumber(`51010719900101${String(n % 1000).padStart(3, '0')}`), ethnicity: '汉族', education: 'COLLEGE', politicalStatus: 'MASSES' },
  });
  kit.ledger.track('own', d.registerPerson.id);
  return d.registerPerson.id;
}

/** A review opened by hand in the own village, at TOWN_FIRST_REVIEW, for a candidacy that never reached vetting. */
async function freshReview(kit: MatrixKit, world: BaseWorld, fixtures: VettingFixtures): Promise<string> {
  const candidateId = randomUUID();
  const d = await kit.seed<{ openReview: { id: string } }>(OPEN_REVIEW, {
    input: { candidateId, electionId: fixtures.electionId, personId: world.people[2], orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, role: 'MEMBER' },
  });
  kit.ledger.track('own', d.openReview.id, candidateId);
  return d.openReview.id;
}

/** A fresh review the township has answered (CLEAR), advanced to COUNTY_JOINT_REVIEW where DISCIPLINE answers. */
async function countyReview(kit: MatrixKit, world: BaseWorld, fixtures: VettingFixtures): Promise<string> {
  const reviewId = await freshReview(kit, world, fixtures);
  const op = await kit.seed<{ recordOpinion: { id: string } }>(OPINION, { input: { reviewId, decision: 'CLEAR' } }, TOWN_SEED);
  kit.ledger.track('own', op.recordOpinion.id);
  await kit.seed(ADVANCE, { id: reviewId });
  return reviewId;
}

/** A fresh review the township barred (SBX-02): returns it and the BAR, ready to conclude DISQUALIFIED. */
async function barredReview(kit: MatrixKit, world: BaseWorld, fixtures: VettingFixtures): Promise<{ reviewId: string; opinionId: string }> {
  const reviewId = await freshReview(kit, world, fixtures);
  const op = await kit.seed<{ recordOpinion: { id: string } }>(OPINION, { input: { reviewId, decision: 'BAR', itemCodes: ['SBX-02'], note: '公安核查:受过刑事处罚' } }, TOWN_SEED);
  kit.ledger.track('own', op.recordOpinion.id);
  return { reviewId, opinionId: op.recordOpinion.id };
}

async function openAudit(kit: MatrixKit, personId: string, orgUnitId: string, orgUnitCode: string, where: 'own' | 'sibling'): Promise<string> {
  const d = await kit.seed<{ openDepartureAudit: { id: string } }>(OPEN_AUDIT, { input: { personId, orgUnitId, orgUnitCode, role: 'DIRECTOR', openedOn: '2026-02-01' } });
  kit.ledger.track(where, d.openDepartureAudit.id);
  return d.openDepartureAudit.id;
}

async function addFinding(kit: MatrixKit, auditId: string, where: 'own' | 'sibling'): Promise<string> {
  const d = await kit.seed<{ addAuditFinding: { id: string } }>(ADD_FINDING, { input: { auditId, description: `集体资金台账不全(${kit.next()})`, amount: 1200.5, deadline: '2026-06-30' } });
  kit.ledger.track(where, d.addAuditFinding.id);
  return d.addAuditFinding.id;
}

export const vettingProbes: ServiceProbes<VettingFixtures> = {
  async setup(kit, world) {
    const election = async (cycleId: string, orgUnitId: string, orgUnitCode: string, where: 'own' | 'sibling') => {
      const input = { cycleId, orgUnitId, orgUnitCode, committeeKind: 'VILLAGERS', seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 2 }], electionDay: '2026-05-28', method: 'VOTERS_ASSEMBLY' };
      const id = (await kit.seed<{ createElection: { id: string } }>(CREATE_ELECTION, { input })).createElection.id;
      kit.ledger.track(where, id);
      await kit.seed(OPEN_NOMINATIONS, { id });
      return id;
    };
    const nominate = async (electionId: string, personId: string, role: string, where: 'own' | 'sibling') => {
      const input = { electionId, personId, role, gender: 'MALE', nominatedBy: 'HOUSEHOLDS', recommendations: 40 };
      const id = (await kit.seed<{ nominateCandidate: { id: string } }>(NOMINATE, { input })).nominateCandidate.id;
      kit.ledger.track(where, id);
      return id;
    };

    // The own village's election with two candidates, the sibling village's with one (the decoy),
    // and their reviews. The graph of this test runs each subgraph on its own Kafka topics, so
    // CandidateNominated does not reach vetting here: the reviews are opened by hand, as seedWorld does.
    const electionId = await election(world.cycleId, world.village, OWN_VILLAGE, 'own');
    const candidateId = await nominate(electionId, world.people[0]!, 'DIRECTOR', 'own');
    const candidate2 = await nominate(electionId, world.people[1]!, 'MEMBER', 'own');
    const siblingElectionId = await election(world.siblingCycleId, world.siblingVillage, SIBLING_VILLAGE, 'sibling');
    const siblingCandidateId = await nominate(siblingElectionId, world.siblingPerson, 'DIRECTOR', 'sibling');
    const open = async (input: Record<string, unknown>, where: 'own' | 'sibling') => {
      const id = (await kit.seed<{ openReview: { id: string } }>(OPEN_REVIEW, { input })).openReview.id;
      kit.ledger.track(where, id);
      return id;
    };
    const ownUnit = { electionId, orgUnitId: world.village, orgUnitCode: OWN_VILLAGE };
    const reviewId = await open({ ...ownUnit, candidateId, personId: world.people[0], role: 'DIRECTOR' }, 'own');
    await open({ ...ownUnit, candidateId: candidate2, personId: world.people[1], role: 'MEMBER' }, 'own');
    const siblingReviewId = await open(
      { candidateId: siblingCandidateId, electionId: siblingElectionId, personId: world.siblingPerson, orgUnitId: world.siblingVillage, orgUnitCode: SIBLING_VILLAGE, role: 'DIRECTOR' },
      'sibling',
    );

    // The township's first opinions (a CONCERN with a note: the note is for some roles only).
    const concern = { decision: 'CONCERN', itemCodes: ['SBX-01'], note: '群众反映有待核实' };
    const opinionId = (await kit.seed<{ recordOpinion: { id: string } }>(OPINION, { input: { reviewId, ...concern } }, TOWN_SEED)).recordOpinion.id;
    const siblingOpinionId = (await kit.seed<{ recordOpinion: { id: string } }>(OPINION, { input: { reviewId: siblingReviewId, ...concern } }, SIBLING_TOWN_SEED)).recordOpinion.id;
    kit.ledger.track('own', opinionId);
    kit.ledger.track('sibling', siblingOpinionId);

    // The candidates' pledges.
    const pledge = async (personId: string, orgUnitId: string, orgUnitCode: string, election: string, where: 'own' | 'sibling') => {
      const d = await kit.seed<{ recordPledge: { id: string } }>(PLEDGE, { input: { personId, kind: 'CANDIDATE', orgUnitId, orgUnitCode, electionId: election, signedOn: '2026-02-20' } });
      kit.ledger.track(where, d.recordPledge.id);
      return d.recordPledge.id;
    };
    const pledgeId = await pledge(world.people[0]!, world.village, OWN_VILLAGE, electionId, 'own');
    const siblingPledgeId = await pledge(world.siblingPerson, world.siblingVillage, SIBLING_VILLAGE, siblingElectionId, 'sibling');

    // Departure audits with a finding each.
    const auditId = await openAudit(kit, world.people[3]!, world.village, OWN_VILLAGE, 'own');
    const findingId = await addFinding(kit, auditId, 'own');
    const siblingAuditId = await openAudit(kit, world.siblingPerson, world.siblingVillage, SIBLING_VILLAGE, 'sibling');
    const siblingFindingId = await addFinding(kit, siblingAuditId, 'sibling');

    return {
      electionId,
      candidateId,
      reviewId,
      opinionId,
      pledgeId,
      auditId,
      findingId,
      sibling: { electionId: siblingElectionId, candidateId: siblingCandidateId, reviewId: siblingReviewId, opinionId: siblingOpinionId, pledgeId: siblingPledgeId, auditId: siblingAuditId, findingId: siblingFindingId },
    };
  },

  probes: {
    // ---- queries ----
    async review({ world, fixtures }) {
      return {
        query: `query($id: ID!) { review(id: $id) { ${REVIEW_FIELDS} candidateId electionId candidate { id status person { id name } review { id } } } }`,
        variables: { id: fixtures.reviewId },
        expectIds: [fixtures.reviewId, fixtures.candidateId, world.people[0]!, fixtures.opinionId, fixtures.pledgeId],
      };
    },
    async negativeList() {
      return {
        query: `query($code: String!) { negativeList(regionCode: $code, onDate: "2026-03-01") { id regionCode items { code effect } levels { level departments deadlineDays } reopenAt } }`,
        variables: { code: OWN_VILLAGE },
        expectIds: ['000000000000@2020'],
      };
    },
    async reviews({ fixtures }) {
      return {
        // Reviews opened by hand for the mutations have no candidacy in elections: the list selects candidate by id.
        query: `query { reviews(first: 100) { nodes { id candidateId candidate { id } person { id name reviews { id } } opinions { id note review { id } } } pageInfo { hasNextPage } } }`,
        expectIds: [fixtures.reviewId, fixtures.opinionId],
      };
    },
    async vettingReport() {
      return {
        query: `query($input: VettingReportInput!) { vettingReport(input: $input) { regionCode reviewed open cleared disqualified disqualifiedByItem { code count } departments { department opinions pending } } }`,
        variables: { input: { regionCode: OWN } },
        outOfScope: 'refuse',
      };
    },
    async pledgeCoverage({ world }) {
      return {
        query: `query($code: String!, $cycleId: ID) { pledgeCoverage(regionCode: $code, cycleId: $cycleId) { regionCode required signed percent byKind { kind required signed } children { regionCode required signed } } }`,
        variables: { code: OWN, cycleId: world.cycleId },
        outOfScope: 'refuse',
      };
    },
    async departureAudit({ world, fixtures }) {
      return {
        query: `query($id: ID!) { departureAudit(id: $id) { id status orgUnitId person { id name departureAudits { id } reviews { id } } findings { id status } openFindings } }`,
        variables: { id: fixtures.auditId },
        expectIds: [fixtures.auditId, fixtures.findingId, world.people[3]!],
      };
    },
    async departureAudits({ fixtures }) {
      return {
        query: `query { departureAudits(first: 100) { nodes { id person { id name } findings { id } } pageInfo { hasNextPage } } }`,
        expectIds: [fixtures.auditId, fixtures.findingId],
      };
    },
    async vettingAuditLog({ fixtures }) {
      return auditLogProbe('vettingAuditLog', { entityType: 'Review', action: 'openReview' }, fixtures.reviewId);
    },

    // ---- 联审 mutations ----
    async openReview({ world, fixtures, cell }) {
      const candidateId = cell.allowed ? randomUUID() : fixtures.candidateId;
      return {
        query: `mutation($input: OpenReviewInput!) { openReview(input: $input) { id candidateId candidate { id } status level openedBy person { id name } preChecks { check } } }`,
        variables: { input: { candidateId, electionId: fixtures.electionId, personId: world.people[2], orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, role: 'MEMBER' } },
        expectIds: [candidateId, world.people[2]!],
      };
    },
    async recordOpinion({ kit, world, fixtures, cell }) {
      let reviewId = fixtures.reviewId;
      if (cell.allowed) reviewId = cell.role === 'REVIEWER' ? await countyReview(kit, world, fixtures) : await freshReview(kit, world, fixtures);
      return {
        query: `mutation($input: RecordOpinionInput!) { recordOpinion(input: $input) { id department decision level current review { id level person { id name } } } }`,
        variables: { input: { reviewId, decision: 'CLEAR' } },
        expectIds: [reviewId],
      };
    },
    async advanceReviewLevel({ kit, world, fixtures, cell }) {
      let reviewId = fixtures.reviewId;
      if (cell.allowed) {
        reviewId = await freshReview(kit, world, fixtures);
        kit.ledger.track('own', (await kit.seed<{ recordOpinion: { id: string } }>(OPINION, { input: { reviewId, decision: 'CLEAR' } }, TOWN_SEED)).recordOpinion.id);
      }
      return {
        query: `mutation($id: ID!) { advanceReviewLevel(input: { reviewId: $id }) { ${REVIEW_FIELDS} requiredDepartments { department answered } } }`,
        variables: { id: reviewId },
        expectIds: [reviewId],
      };
    },
    async concludeReview({ kit, world, fixtures, cell }) {
      let target = { reviewId: fixtures.reviewId, opinionId: fixtures.opinionId };
      if (cell.allowed) target = await barredReview(kit, world, fixtures);
      return {
        query: `mutation($input: ConcludeReviewInput!) { concludeReview(input: $input) { ${REVIEW_FIELDS} conclusion { outcome itemCodes opinions { id department } } } }`,
        variables: { input: { reviewId: target.reviewId, outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinionIds: [target.opinionId] } },
        expectIds: [target.reviewId, target.opinionId],
      };
    },
    async reopenReview({ kit, world, fixtures, cell }) {
      let reviewId = fixtures.reviewId;
      if (cell.allowed) {
        const barred = await barredReview(kit, world, fixtures);
        await kit.seed(CONCLUDE, { input: { reviewId: barred.reviewId, outcome: 'DISQUALIFIED', itemCodes: ['SBX-02'], opinionIds: [barred.opinionId] } });
        reviewId = barred.reviewId;
      }
      return {
        query: `mutation($id: ID!) { reopenReview(input: { reviewId: $id, reason: "当事人申诉,重新核查" }) { ${REVIEW_FIELDS} } }`,
        variables: { id: reviewId },
        expectIds: [reviewId],
      };
    },

    // ---- safeguards ----
    async recordDemocraticEvaluation({ kit, world }) {
      return {
        query: `mutation($input: RecordDemocraticEvaluationInput!) { recordDemocraticEvaluation(input: $input) { id orgUnitId regionPath dissatisfactionPercent } }`,
        variables: { input: { personId: world.people[3], orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, evaluatedOn: dayAfter2020(kit.next()), satisfied: 40, basicallySatisfied: 5, dissatisfied: 1 } },
        expectIds: [world.village],
      };
    },
    async recordAdmonitionTalk({ world }) {
      return {
        query: `mutation($input: RecordAdmonitionTalkInput!) { recordAdmonitionTalk(input: $input) { id heldOn heldBy regionPath } }`,
        variables: { input: { personId: world.people[3], orgUnitCode: OWN_VILLAGE, heldOn: '2026-02-01', heldBy: '街道党工委书记' } },
      };
    },
    async recordSanction({ world }) {
      return {
        query: `mutation($input: RecordSanctionInput!) { recordSanction(input: $input) { id kind inForce regionPath } }`,
        variables: { input: { personId: world.people[3], orgUnitCode: OWN_VILLAGE, kind: 'GOV_WARNING', effectiveFrom: '2020-01-01', effectiveUntil: '2021-01-01' } },
      };
    },
    async declareCloseRelative({ kit, world, cell }) {
      const relative = cell.allowed ? await freshPerson(kit, world) : world.people[2]!;
      return {
        query: `mutation($input: DeclareCloseRelativeInput!) { declareCloseRelative(input: $input) { id relation countsForAvoidance relative { id name } } }`,
        variables: { input: { personId: world.people[3], relativePersonId: relative, relation: 'SPOUSE', orgUnitCode: OWN_VILLAGE } },
        expectIds: [relative],
      };
    },
    async recordPledge({ kit, world, cell }) {
      const personId = cell.allowed ? await freshPerson(kit, world) : world.people[3]!;
      return {
        query: `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id kind cycleId person { id name pledges { id } } } }`,
        variables: { input: { personId, kind: 'UNIT_SECRETARY', orgUnitId: world.village2, orgUnitCode: '510107018004', cycleId: world.cycleId, signedOn: '2026-02-20' } },
        expectIds: [personId, world.cycleId],
      };
    },
    async registerElectionWorker({ kit, world, cell }) {
      const personId = cell.allowed ? await freshPerson(kit, world) : world.people[3]!;
      return {
        query: `mutation($input: RegisterElectionWorkerInput!) { registerElectionWorker(input: $input) { id cycleId person { id name } } }`,
        variables: { input: { personId, orgUnitId: world.village2, orgUnitCode: '510107018004', cycleId: world.cycleId } },
        expectIds: [personId, world.cycleId],
      };
    },
    async openDepartureAudit({ world }) {
      return {
        query: `mutation($input: OpenDepartureAuditInput!) { openDepartureAudit(input: $input) { id status origin person { id name departureAudits { id } } findings { id } } }`,
        variables: { input: { personId: world.people[3], orgUnitId: world.village, orgUnitCode: OWN_VILLAGE, role: 'MEMBER', openedOn: '2026-02-02' } },
        expectIds: [world.people[3]!],
      };
    },
    async addAuditFinding({ kit, fixtures }) {
      return {
        query: `mutation($input: AddAuditFindingInput!) { addAuditFinding(input: $input) { id seq status deadline } }`,
        variables: { input: { auditId: fixtures.auditId, description: `补偿款发放凭证缺失(${kit.next()})`, amount: 800, deadline: '2026-06-30' } },
      };
    },
    async resolveAuditFinding({ kit, fixtures, cell }) {
      const findingId = cell.allowed ? await addFinding(kit, fixtures.auditId, 'own') : fixtures.findingId;
      return {
        query: `mutation($input: ResolveAuditFindingInput!) { resolveAuditFinding(input: $input) { id status resolvedOn resolutionNote } }`,
        variables: { input: { findingId, status: 'RECTIFIED', note: '已补齐台账' } },
        expectIds: [findingId],
      };
    },
    async closeDepartureAudit({ kit, world, fixtures, cell }) {
      const auditId = cell.allowed ? await openAudit(kit, world.people[3]!, world.village, OWN_VILLAGE, 'own') : fixtures.auditId;
      return {
        query: `mutation($input: CloseDepartureAuditInput!) { closeDepartureAudit(input: $input) { id status conclusion person { id name } findings { id } } }`,
        variables: { input: { auditId, conclusion: '任期内经济责任履行情况良好' } },
        expectIds: [auditId],
      };
    },
  },
};
