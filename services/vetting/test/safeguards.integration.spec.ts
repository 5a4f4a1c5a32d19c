import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { issueToken, type Role } from '@huanjie/platform';
import {
  CandidateNominated,
  ComplaintSubstantiated,
  envelopeOf,
  PersonRegistered,
  PersonUpdated,
  PositionAssigned,
  PositionEnded,
  topicOf,
  type EventBus,
  type EventEnvelope,
} from '@huanjie/events';
import { errorCodes, graphqlPost, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@huanjie/testkit';
import { createServer, migrations } from '../src';
import { clearingBlocks, runPreChecks, type ReviewRef } from '../src/db/safeguards';

// 成都市 武侯区: two towns, one village in each (codes as in the sources' tree).
const DISTRICT = '510107000000';
const TOWN_A = '510107001000';
const TOWN_B = '510107002000';
const VILLAGE_A = '510107001002';
const VILLAGE_B = '510107002003';
const OTHER_DISTRICT = '510104000000'; // 锦江区
const pathOf = (code: string) => `51.5101.${code.slice(0, 6)}.${code.slice(0, 9)}.${code}`;
const UNIT_A = randomUUID();
const UNIT_B = randomUUID();
const unitOf = (code: string) => (code === VILLAGE_A ? UNIT_A : UNIT_B);

/** The service's clock: 2026-03-01, 10:00 in Beijing. */
const NOW = new Date('2026-03-01T02:00:00Z');
const CYCLE = randomUUID();
const ELECTION_A = randomUUID();
const ELECTION_B = randomUUID();

// The people: each fires one pre-check (or none).
const p = {
  old: randomUUID(), // secretary candidate aged 60
  bad: randomUUID(), // 60% dissatisfied
  mid: randomUUID(), // 40% dissatisfied: admonition talk first
  sanctioned: randomUUID(),
  briber: randomUUID(), // substantiated vote-buying, nominated afterwards
  procedural: randomUUID(), // substantiated complaint of another category
  related: randomUUID(), // spouse of a sitting director
  director: randomUUID(), // the sitting director
  audited: randomUUID(), // left a seat; audit finding
  clean: randomUUID(),
  voided: randomUUID(), // left a seat whose election was void
  b1: randomUUID(),
  b2: randomUUID(),
  secA: randomUUID(),
  secB: randomUUID(),
  w1: randomUUID(),
  w2: randomUUID(),
  w3: randomUUID(),
};

let sut: ServiceUnderTest;
let dataSource: DataSource;
let bus: EventBus;

interface Caller {
  roles: Role[];
  region?: string;
  department?: string;
}
const ADMIN: Caller = { roles: ['ORG_ADMIN'], region: DISTRICT };
const TOWN: Caller = { roles: ['TOWN_OFFICER'], region: DISTRICT };
const DISCIPLINE: Caller = { roles: ['DISCIPLINE'], region: DISTRICT };
const AUDIT_REVIEWER: Caller = { roles: ['REVIEWER'], region: DISTRICT, department: 'AUDIT' };
const POLICE_REVIEWER: Caller = { roles: ['REVIEWER'], region: DISTRICT, department: 'PUBLIC_SECURITY' };

async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = ADMIN) {
  const region = who.region ?? '000000000000';
  const token = await issueToken(
    { userId: `${who.roles[0]}@${region}`, roles: who.roles, regionCode: region, department: who.department },
    sut.auth,
  );
  return graphqlPost<T>(sut.url, { query, variables, token });
}
async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Caller = ADMIN): Promise<T> {
  const res = await gql<T>(query, variables, who);
  expect(res.errors).toBeUndefined();
  return res.data!;
}
const ruleOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.rule;

// ---- events as personnel, complaints and elections publish them ----

function personRegistered(
  personId: string,
  birthDate: string,
  gender: 'MALE' | 'FEMALE',
  id = randomUUID(),
  updated = false,
): EventEnvelope {
  const facts = {
    personId,
    orgUnitId: UNIT_A,
    orgUnitCode: VILLAGE_A,
    regionPath: pathOf(VILLAGE_A),
    name: '张三',
    gender,
    birthDate,
    ethnicity: '汉族',
    education: 'HIGH_SCHOOL',
    collegeOrAbove: false,
    politicalStatus: 'PARTY_MEMBER',
    partyJoinedOn: '1995-07-01',
    professionalBackgrounds: [],
    sourceTags: [],
    reserve: false,
    reserveSince: null,
    reserveOrgUnitId: null,
  };
  return updated
    ? envelopeOf(PersonUpdated, { id, subject: personId, data: { ...facts, changedFields: ['birthDate'] } })
    : envelopeOf(PersonRegistered, { id, subject: personId, data: facts });
}

const committeeOf = (code: string, kind: 'PARTY' | 'VILLAGERS') => ({
  committeeId: `${kind === 'PARTY' ? 'aaaaaaaa' : 'bbbbbbbb'}-0000-4000-8000-${code}`,
  kind,
});
function seat(personId: string, code: string, role: string, kind: 'PARTY' | 'VILLAGERS', positionId = randomUUID()) {
  return {
    positionId,
    termId: randomUUID(),
    committeeId: committeeOf(code, kind).committeeId,
    committeeKind: kind,
    orgUnitId: unitOf(code),
    regionPath: pathOf(code),
    personId,
    role,
    startsOn: '2021-03-01',
    electionId: null,
  };
}
const assigned = (data: ReturnType<typeof seat>, id = randomUUID()) =>
  envelopeOf(PositionAssigned, { id, subject: data.committeeId, data: data as never });
const ended = (data: ReturnType<typeof seat>, endReason: string, id = randomUUID()) =>
  envelopeOf(PositionEnded, { id, subject: data.committeeId, data: { ...data, endsOn: '2026-02-28', endReason } as never });

function substantiated(personId: string, category: string, id = randomUUID()) {
  const complaintId = randomUUID();
  return envelopeOf(ComplaintSubstantiated, {
    id,
    subject: complaintId,
    data: {
      complaintId,
      orgUnitId: UNIT_A,
      regionPath: pathOf(VILLAGE_A),
      category: category as never,
      electionId: null,
      subjectPersonIds: [personId],
      substantiatedAt: '2026-02-20T08:00:00+08:00',
    },
  });
}

const candidates = new Map<string, string>(); // person → candidate id
function nomination(personId: string, code = VILLAGE_A, electionId = code === VILLAGE_A ? ELECTION_A : ELECTION_B) {
  const candidateId = randomUUID();
  candidates.set(personId, candidateId);
  return envelopeOf(CandidateNominated, {
    subject: candidateId,
    data: {
      candidateId,
      electionId,
      personId,
      orgUnitId: unitOf(code),
      regionPath: pathOf(code),
      committeeKind: 'VILLAGERS',
      nominatedBy: 'HOUSEHOLDS',
    },
  });
}

const reviewOf = async (personId: string): Promise<ReviewRef> => {
  const [row] = await dataSource.query(
    `SELECT id, person_id, candidate_id, election_id, org_unit_id, region_path FROM review WHERE candidate_id = $1`,
    [candidates.get(personId)],
  );
  return row;
};
const waitForRows = (sql: string, params: unknown[], n: number, message: string) =>
  waitFor(async () => (await dataSource.query(sql, params)).length === n, { timeoutMs: 30_000, message });

const PRE_CHECKS = `query($id: ID!) { review(id: $id) { id preChecksRunAt preChecks { check outcome itemCode source detail evidenceIds computedAt } clearingBlocks { rule message } } }`;
type Finding = {
  check: string;
  outcome: string;
  itemCode: string | null;
  source: string;
  detail: string;
  evidenceIds: string[];
  computedAt: string;
};
type ReviewView = {
  review: { id: string; preChecksRunAt: string | null; preChecks: Finding[]; clearingBlocks: { rule: string; message: string }[] };
};
const preChecksOf = async (personId: string) => (await ok<ReviewView>(PRE_CHECKS, { id: (await reviewOf(personId)).id })).review;
const summary = (findings: Finding[]) => findings.map((f) => `${f.check}:${f.outcome}:${f.itemCode ?? '-'}`);

const RECORD_PLEDGE = `mutation($input: RecordPledgeInput!) { recordPledge(input: $input) { id kind electionId cycleId signedOn person { id } } }`;
const pledge = (personId: string, kind: string, code: string, extra: Record<string, unknown>) =>
  gql(RECORD_PLEDGE, { input: { personId, kind, orgUnitId: unitOf(code), orgUnitCode: code, signedOn: '2026-02-15', ...extra } }, TOWN);

beforeAll(async () => {
  sut = await startServiceUnderTest({
    name: 'vetting-safeguards',
    migrations,
    create: (deps) => createServer({ ...deps, now: () => NOW }),
    partitions: 1,
  });
  ({ dataSource, bus } = sut);
  await bus.ensureTopics([
    topicOf(PersonRegistered),
    topicOf(PositionAssigned),
    topicOf(ComplaintSubstantiated),
    topicOf(CandidateNominated),
  ]);

  // Nominations of everyone but the briber (nominated after the complaint); each opens a review.
  const first = [p.old, p.bad, p.mid, p.sanctioned, p.procedural, p.related, p.audited, p.clean];
  await bus.publish([...first.map((id) => nomination(id)), nomination(p.b1, VILLAGE_B), nomination(p.b2, VILLAGE_B)]);
  await waitForRows(`SELECT 1 FROM pre_check_run`, [], 10, 'ten reviews opened and pre-checked');
});

afterAll(async () => {
  await sut?.stop();
});

describe('facts from other services, through Kafka', () => {
  it('keeps one person fact for a PersonRegistered delivered twice, and a later PersonUpdated wins', async () => {
    const registered = personRegistered(p.old, '1965-06-01', 'MALE');
    await bus.publish([registered, registered, personRegistered(p.clean, '1980-01-01', 'FEMALE')]);
    await waitForRows(`SELECT 1 FROM person_fact WHERE person_id = $1`, [p.clean], 1, 'the later person handled');
    expect(await dataSource.query(`SELECT birth_date::text AS b, gender FROM person_fact WHERE person_id = $1`, [p.old])).toEqual([
      { b: '1965-06-01', gender: 'MALE' },
    ]);
    expect(
      await dataSource.query(`SELECT 1 FROM inbox WHERE consumer = 'vetting.person-facts' AND event_id = $1`, [registered.id]),
    ).toHaveLength(1);
  });

  it('opens one departure audit for a PositionEnded delivered twice and published again, none for a voided result', async () => {
    const left = seat(p.audited, VILLAGE_A, 'MEMBER', 'VILLAGERS');
    const voidedSeat = seat(p.voided, VILLAGE_A, 'MEMBER', 'VILLAGERS');
    const once = ended(left, 'TERM_ENDED');
    await bus.publish([
      assigned(left),
      assigned(seat(p.director, VILLAGE_A, 'DIRECTOR', 'VILLAGERS')),
      assigned(seat(p.secA, VILLAGE_A, 'SECRETARY', 'PARTY')),
      assigned(seat(p.secB, VILLAGE_B, 'SECRETARY', 'PARTY')),
      once,
      once,
      ended(left, 'TERM_ENDED'), // the same end, re-published under a new event id
      assigned(voidedSeat),
      ended(voidedSeat, 'RESULT_VOIDED'),
    ]);
    await waitForRows(
      `SELECT 1 FROM seat_fact WHERE position_id = $1 AND ends_on IS NOT NULL`,
      [voidedSeat.positionId],
      1,
      'the voided seat ended',
    );
    const audits = await dataSource.query(
      `SELECT person_id, origin, end_reason, opened_on::text AS opened_on, status, role, region_path FROM departure_audit WHERE position_id = $1`,
      [left.positionId],
    );
    expect(audits).toEqual([
      {
        person_id: p.audited,
        origin: 'POSITION_ENDED',
        end_reason: 'TERM_ENDED',
        opened_on: '2026-02-28',
        status: 'OPEN',
        role: 'MEMBER',
        region_path: pathOf(VILLAGE_A),
      },
    ]);
    expect(await dataSource.query(`SELECT 1 FROM departure_audit WHERE person_id = $1`, [p.voided])).toEqual([]);
    expect(
      await dataSource.query(`SELECT actor FROM audit_log WHERE action = 'openDepartureAudit' AND after->>'person_id' = $1`, [p.audited]),
    ).toEqual([{ actor: 'system:PositionEnded' }]);
    // The seat is ended, the sitting ones current.
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM seat_fact WHERE ends_on IS NULL`)).toEqual([{ n: 3 }]);
  });

  it('records a substantiated complaint once per person named, though delivered twice', async () => {
    const bribe = substantiated(p.briber, 'VOTE_BUYING');
    await bus.publish([bribe, bribe, substantiated(p.procedural, 'PROCEDURE')]);
    await waitForRows(`SELECT 1 FROM complaint_fact WHERE person_id = $1`, [p.procedural], 1, 'the later complaint handled');
    expect(await dataSource.query(`SELECT category FROM complaint_fact WHERE person_id = $1`, [p.briber])).toEqual([
      { category: 'VOTE_BUYING' },
    ]);
  });
});

describe('each pre-check firing on seeded data', () => {
  beforeAll(async () => {
    // What vetting records by hand, once the events above are in.
    await ok(
      `mutation($a: RecordDemocraticEvaluationInput!, $b: RecordDemocraticEvaluationInput!) { a: recordDemocraticEvaluation(input: $a) { id } b: recordDemocraticEvaluation(input: $b) { id dissatisfactionPercent } }`,
      {
        a: {
          personId: p.bad,
          orgUnitId: UNIT_A,
          orgUnitCode: VILLAGE_A,
          evaluatedOn: '2026-01-10',
          satisfied: 30,
          basicallySatisfied: 10,
          dissatisfied: 60,
        },
        b: {
          personId: p.mid,
          orgUnitId: UNIT_A,
          orgUnitCode: VILLAGE_A,
          evaluatedOn: '2026-01-10',
          satisfied: 40,
          basicallySatisfied: 20,
          dissatisfied: 40,
        },
      },
      TOWN,
    );
    await ok(
      `mutation($i: RecordSanctionInput!) { recordSanction(input: $i) { id inForce } }`,
      {
        i: {
          personId: p.sanctioned,
          orgUnitCode: VILLAGE_A,
          kind: 'PARTY_SERIOUS_WARNING',
          effectiveFrom: '2025-06-01',
          effectiveUntil: '2027-05-31',
        },
      },
      DISCIPLINE,
    );
    await ok(
      `mutation($i: DeclareCloseRelativeInput!) { declareCloseRelative(input: $i) { id relation countsForAvoidance relative { id } } }`,
      { i: { personId: p.related, relativePersonId: p.director, relation: 'SPOUSE', orgUnitCode: VILLAGE_A } },
      TOWN,
    );
    const [audit] = await dataSource.query(`SELECT id FROM departure_audit WHERE person_id = $1`, [p.audited]);
    await ok(
      `mutation($i: AddAuditFindingInput!) { addAuditFinding(input: $i) { id seq status overdue amount } }`,
      { i: { auditId: audit.id, description: '村集体资金12,000元未入账', amount: 12000, deadline: '2026-04-30' } },
      AUDIT_REVIEWER,
    );
    // The briber is nominated after the complaint: his review opens with it.
    await bus.publish([nomination(p.briber, VILLAGE_A, randomUUID())]);
    await waitFor(
      async () => (await dataSource.query(`SELECT 1 FROM review WHERE candidate_id = $1`, [candidates.get(p.briber)])).length === 1,
      {
        timeoutMs: 30_000,
        message: "the briber's review opened",
      },
    );
  });

  it('age: a secretary candidate of 60 (the role as the nomination gives it)', async () => {
    const review = await reviewOf(p.old);
    await dataSource.transaction((m) => runPreChecks(m, { ...review, role: 'SECRETARY' }, NOW));
    const view = await preChecksOf(p.old);
    expect(summary(view.preChecks)).toEqual(['SECRETARY_AGE:NEEDS_DECISION:-']);
    expect(view.preChecks[0]!.detail).toContain('60');
    expect(view.preChecks[0]!.source).toContain('男满 60 岁');
    expect(view.preChecksRunAt).toBe(NOW.toISOString());
    // Run again: replaced, not doubled.
    await dataSource.transaction((m) => runPreChecks(m, { ...review, role: 'SECRETARY' }, NOW));
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM pre_check_finding WHERE review_id = $1`, [review.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('age: a corrected birth date (PersonUpdated) re-runs the check with the same seat, and it no longer fires', async () => {
    await bus.publish([personRegistered(p.old, '1970-06-01', 'MALE', randomUUID(), true)]);
    await waitForRows(`SELECT 1 FROM person_fact WHERE person_id = $1 AND birth_date = '1970-06-01'`, [p.old], 1, 'the update applied');
    await waitFor(async () => (await preChecksOf(p.old)).preChecks.length === 0, { timeoutMs: 30_000, message: 'pre-checks re-run' });
  });

  it('age: an unknown seat is said to be unknown', async () => {
    expect(summary((await preChecksOf(p.clean)).preChecks)).toEqual(['SECRETARY_AGE:INFO:-']);
  });

  it('dissatisfaction over 50% bars (SBX-07), citing the evaluation', async () => {
    const view = await preChecksOf(p.bad);
    const f = view.preChecks.find((x) => x.check === 'EVALUATION_DISSATISFACTION')!;
    expect(f).toMatchObject({ outcome: 'BARS', itemCode: 'SBX-07' });
    expect(f.source).toContain('003');
    const [evaluation] = await dataSource.query(`SELECT id FROM democratic_evaluation WHERE person_id = $1`, [p.bad]);
    expect(f.evidenceIds).toEqual([evaluation.id]);
    expect(view.clearingBlocks.map((b) => b.rule)).toContain('PRECHECK.BARS');
  });

  it('a sanction in force bars (SBX-03)', async () => {
    const f = (await preChecksOf(p.sanctioned)).preChecks.find((x) => x.check === 'SANCTION_IN_FORCE');
    expect(f).toMatchObject({ outcome: 'BARS', itemCode: 'SBX-03' });
  });

  it('a substantiated vote-buying complaint bars (SBX-05) a later review; another category asks for a decision', async () => {
    const bribe = (await preChecksOf(p.briber)).preChecks.find((x) => x.check === 'COMPLAINT_SUBSTANTIATED');
    expect(bribe).toMatchObject({ outcome: 'BARS', itemCode: 'SBX-05' });
    const [fact] = await dataSource.query(`SELECT complaint_id FROM complaint_fact WHERE person_id = $1`, [p.briber]);
    expect(bribe!.evidenceIds).toEqual([fact.complaint_id]);
    await waitFor(async () => (await preChecksOf(p.procedural)).preChecks.some((x) => x.check === 'COMPLAINT_SUBSTANTIATED'), {
      timeoutMs: 30_000,
      message: 'the procedural complaint in the pre-checks',
    });
    expect(summary((await preChecksOf(p.procedural)).preChecks)).toContain('COMPLAINT_SUBSTANTIATED:NEEDS_DECISION:-');
  });

  it("a spouse sitting on the same unit's committee asks for a decision (近亲属回避)", async () => {
    const f = (await preChecksOf(p.related)).preChecks.find((x) => x.check === 'CLOSE_RELATIVE_ON_COMMITTEE');
    expect(f).toMatchObject({ outcome: 'NEEDS_DECISION', itemCode: null });
    const [seatRow] = await dataSource.query(`SELECT position_id FROM seat_fact WHERE person_id = $1`, [p.director]);
    expect(f!.evidenceIds[1]).toBe(seatRow.position_id);
    expect(f!.detail).toContain('SPOUSE');
  });

  it('an open departure-audit finding shows under SBX-08', async () => {
    const f = (await preChecksOf(p.audited)).preChecks.find((x) => x.check === 'AUDIT_FINDING_OPEN');
    expect(f).toMatchObject({ outcome: 'NEEDS_DECISION', itemCode: 'SBX-08' });
    expect(f!.detail).toContain('12,000');
  });

  it('30–50% dissatisfied needs an admonition talk; once recorded it is a decision', async () => {
    expect(summary((await preChecksOf(p.mid)).preChecks)).toContain('EVALUATION_DISSATISFACTION:NEEDS_ADMONITION:-');
    await ok(
      `mutation($i: RecordAdmonitionTalkInput!) { recordAdmonitionTalk(input: $i) { id heldOn heldBy } }`,
      { i: { personId: p.mid, orgUnitCode: VILLAGE_A, heldOn: '2026-02-01', heldBy: '区委组织部 分管副部长' } },
      ADMIN,
    );
    const f = (await preChecksOf(p.mid)).preChecks.find((x) => x.check === 'EVALUATION_DISSATISFACTION');
    expect(f).toMatchObject({ outcome: 'NEEDS_DECISION' });
    expect(f!.evidenceIds).toHaveLength(2);
  });
});

describe('what stops a review being cleared', () => {
  it('no signed pledge, until one is recorded (PLEDGE.MISSING), directly and through Review.clearingBlocks', async () => {
    const review = await reviewOf(p.clean);
    expect((await clearingBlocks(dataSource.manager, review, NOW)).map((b) => b.rule)).toEqual(['PLEDGE.MISSING']);
    expect((await preChecksOf(p.clean)).clearingBlocks.map((b) => b.rule)).toEqual(['PLEDGE.MISSING']);
    // A pledge for another election does not count.
    expect((await pledge(p.clean, 'CANDIDATE', VILLAGE_A, { electionId: randomUUID() })).errors).toBeUndefined();
    expect((await clearingBlocks(dataSource.manager, review, NOW)).map((b) => b.rule)).toEqual(['PLEDGE.MISSING']);
    expect((await pledge(p.clean, 'CANDIDATE', VILLAGE_A, { electionId: ELECTION_A })).errors).toBeUndefined();
    expect(await clearingBlocks(dataSource.manager, review, NOW)).toEqual([]);
    expect((await preChecksOf(p.clean)).clearingBlocks).toEqual([]);
    const again = await pledge(p.clean, 'CANDIDATE', VILLAGE_A, { electionId: ELECTION_A });
    expect(ruleOf(again)).toBe('PLEDGE.ALREADY_SIGNED');
  });

  it('an unresolved audit finding of the person (AUDIT.FINDING_OPEN), until rectified', async () => {
    await pledge(p.audited, 'CANDIDATE', VILLAGE_A, { electionId: ELECTION_A });
    const review = await reviewOf(p.audited);
    const blocks = await clearingBlocks(dataSource.manager, review, NOW);
    expect(blocks.map((b) => b.rule)).toEqual(['AUDIT.FINDING_OPEN']);
    expect(blocks[0]!.message).toContain('离任审计');
    // The same person in any review: the block follows the person, not the review.
    const elsewhere = {
      ...review,
      id: randomUUID(),
      election_id: ELECTION_B,
      org_unit_id: UNIT_B,
      region_path: pathOf(VILLAGE_B),
      role: null,
    };
    expect((await clearingBlocks(dataSource.manager, elsewhere, NOW)).map((b) => b.rule)).toEqual(['PLEDGE.MISSING', 'AUDIT.FINDING_OPEN']);

    const [finding] = await dataSource.query(`SELECT id FROM audit_finding WHERE person_id = $1`, [p.audited]);
    // A police reviewer may not resolve it; a town officer may not either; only ORG_ADMIN may waive.
    const refused = await gql(
      `mutation($i: ResolveAuditFindingInput!) { resolveAuditFinding(input: $i) { id } }`,
      { i: { findingId: finding.id, status: 'RECTIFIED', note: '已退回' } },
      POLICE_REVIEWER,
    );
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const waiveByAuditor = await gql(
      `mutation($i: ResolveAuditFindingInput!) { resolveAuditFinding(input: $i) { id } }`,
      { i: { findingId: finding.id, status: 'WAIVED', note: '免于整改' } },
      AUDIT_REVIEWER,
    );
    expect(errorCodes(waiveByAuditor)).toEqual(['FORBIDDEN']);
    const done = await ok<{ resolveAuditFinding: { status: string; resolvedOn: string; overdue: boolean } }>(
      `mutation($i: ResolveAuditFindingInput!) { resolveAuditFinding(input: $i) { status resolvedOn overdue } }`,
      { i: { findingId: finding.id, status: 'RECTIFIED', note: '资金已全额入账' } },
      AUDIT_REVIEWER,
    );
    expect(done.resolveAuditFinding).toEqual({ status: 'RECTIFIED', resolvedOn: '2026-03-01', overdue: false });
    expect(await clearingBlocks(dataSource.manager, review, NOW)).toEqual([]);
    expect((await preChecksOf(p.audited)).preChecks.filter((f) => f.check === 'AUDIT_FINDING_OPEN')).toEqual([]);
    const twice = await gql(
      `mutation($i: ResolveAuditFindingInput!) { resolveAuditFinding(input: $i) { id } }`,
      { i: { findingId: finding.id, status: 'WAIVED', note: 'x' } },
      ADMIN,
    );
    expect(ruleOf(twice)).toBe('AUDIT.FINDING_RESOLVED');
  });

  it('a barring finding (PRECHECK.BARS) and an admonition still owed (PRECHECK.ADMONITION_REQUIRED)', async () => {
    await pledge(p.bad, 'CANDIDATE', VILLAGE_A, { electionId: ELECTION_A });
    expect((await clearingBlocks(dataSource.manager, await reviewOf(p.bad), NOW)).map((b) => b.rule)).toEqual(['PRECHECK.BARS']);
    // A fresh person at 35% dissatisfied: blocked until the talk, not after.
    const person = randomUUID();
    await ok(
      `mutation($i: RecordDemocraticEvaluationInput!) { recordDemocraticEvaluation(input: $i) { id } }`,
      {
        i: {
          personId: person,
          orgUnitId: UNIT_A,
          orgUnitCode: VILLAGE_A,
          evaluatedOn: '2026-01-05',
          satisfied: 65,
          basicallySatisfied: 0,
          dissatisfied: 35,
        },
      },
      TOWN,
    );
    await pledge(person, 'CANDIDATE', VILLAGE_A, { electionId: ELECTION_A });
    const ref: ReviewRef = {
      id: randomUUID(),
      person_id: person,
      candidate_id: randomUUID(),
      election_id: ELECTION_A,
      org_unit_id: UNIT_A,
      region_path: pathOf(VILLAGE_A),
    };
    expect((await clearingBlocks(dataSource.manager, ref, NOW)).map((b) => b.rule)).toEqual(['PRECHECK.ADMONITION_REQUIRED']);
    await ok(
      `mutation($i: RecordAdmonitionTalkInput!) { recordAdmonitionTalk(input: $i) { id } }`,
      { i: { personId: person, orgUnitCode: VILLAGE_A, heldOn: '2026-02-10', heldBy: '镇党委书记' } },
      DISCIPLINE,
    );
    expect(await clearingBlocks(dataSource.manager, ref, NOW)).toEqual([]);
  });
});

describe('who may record and read what', () => {
  it('refuses a sanction from a town officer (FORBIDDEN), changing nothing', async () => {
    const person = randomUUID();
    const res = await gql(
      `mutation($i: RecordSanctionInput!) { recordSanction(input: $i) { id } }`,
      { i: { personId: person, orgUnitCode: VILLAGE_A, kind: 'PARTY_WARNING', effectiveFrom: '2025-06-01' } },
      TOWN,
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await dataSource.query(`SELECT 1 FROM disciplinary_sanction WHERE person_id = $1`, [person])).toEqual([]);
  });

  it("refuses records outside the caller's region, and audits from a reviewer of another department", async () => {
    const outside = await gql(
      `mutation($i: RecordDemocraticEvaluationInput!) { recordDemocraticEvaluation(input: $i) { id } }`,
      {
        i: {
          personId: randomUUID(),
          orgUnitId: UNIT_A,
          orgUnitCode: '510104001001',
          evaluatedOn: '2026-01-05',
          satisfied: 1,
          basicallySatisfied: 0,
          dissatisfied: 0,
        },
      },
      TOWN,
    );
    expect(ruleOf(outside)).toBe('AUTH.REGION_SCOPE');
    const police = await gql(
      `mutation($i: OpenDepartureAuditInput!) { openDepartureAudit(input: $i) { id } }`,
      { i: { personId: randomUUID(), orgUnitId: UNIT_A, orgUnitCode: VILLAGE_A } },
      POLICE_REVIEWER,
    );
    expect(errorCodes(police)).toEqual(['FORBIDDEN']);
  });

  it('shows sanctions to DISCIPLINE and ORG_ADMIN only', async () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id sanctions { kind inForce effectiveUntil } } } }`;
    const r = [{ __typename: 'Person', id: p.sanctioned }];
    const shown = await ok<{ _entities: { sanctions: unknown[] }[] }>(q, { r }, DISCIPLINE);
    expect(shown._entities[0]!.sanctions).toEqual([{ kind: 'PARTY_SERIOUS_WARNING', inForce: true, effectiveUntil: '2027-05-31' }]);
    const hidden = await gql(q, { r }, TOWN);
    expect(errorCodes(hidden)).toEqual(['FORBIDDEN']);
  });
});

describe('departure audits by hand', () => {
  it('opens, takes findings while open, closes; a finding left open still blocks', async () => {
    const person = randomUUID();
    const opened = await ok<{ openDepartureAudit: { id: string; origin: string; status: string; openedOn: string } }>(
      `mutation($i: OpenDepartureAuditInput!) { openDepartureAudit(input: $i) { id origin status openedOn } }`,
      { i: { personId: person, orgUnitId: UNIT_A, orgUnitCode: VILLAGE_A, role: 'DIRECTOR' } },
      AUDIT_REVIEWER,
    );
    expect(opened.openDepartureAudit).toMatchObject({ origin: 'MANUAL', status: 'OPEN', openedOn: '2026-03-01' });
    const auditId = opened.openDepartureAudit.id;
    await ok(
      `mutation($i: AddAuditFindingInput!) { addAuditFinding(input: $i) { id } }`,
      { i: { auditId, description: '账目不清', deadline: '2026-02-15' } },
      ADMIN,
    );
    const closed = await ok<{
      closeDepartureAudit: {
        status: string;
        conclusion: string;
        openFindings: number;
        findings: { seq: number; overdue: boolean; amount: string | null }[];
      };
    }>(
      `mutation($i: CloseDepartureAuditInput!) { closeDepartureAudit(input: $i) { status conclusion openFindings findings { seq overdue amount } } }`,
      { i: { auditId, conclusion: '发现问题1项，限期整改' } },
      AUDIT_REVIEWER,
    );
    expect(closed.closeDepartureAudit).toEqual({
      status: 'CLOSED',
      conclusion: '发现问题1项，限期整改',
      openFindings: 1,
      findings: [{ seq: 1, overdue: true, amount: null }],
    });
    const late = await gql(
      `mutation($i: AddAuditFindingInput!) { addAuditFinding(input: $i) { id } }`,
      { i: { auditId, description: '又一项', deadline: '2026-05-01' } },
      ADMIN,
    );
    expect(ruleOf(late)).toBe('AUDIT.CLOSED');
    const ref: ReviewRef = {
      id: randomUUID(),
      person_id: person,
      candidate_id: randomUUID(),
      election_id: ELECTION_A,
      org_unit_id: UNIT_A,
      region_path: pathOf(VILLAGE_A),
    };
    expect((await clearingBlocks(dataSource.manager, ref, NOW)).map((b) => b.rule)).toEqual(['PLEDGE.MISSING', 'AUDIT.FINDING_OPEN']);
    // Every mutation audited.
    const actions = await dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [auditId]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['openDepartureAudit', 'closeDepartureAudit']);
  });

  it('lists audits under a region, newest first, in pages', async () => {
    const page = await ok<{ departureAudits: { nodes: { origin: string }[]; pageInfo: { hasNextPage: boolean } } }>(
      `{ departureAudits(filter: { regionCode: "${TOWN_A}" }, first: 1) { nodes { origin } pageInfo { hasNextPage } } }`,
      {},
    );
    expect(page.departureAudits.nodes).toHaveLength(1);
    expect(page.departureAudits.pageInfo.hasNextPage).toBe(true);
  });
});

describe('pledge coverage', () => {
  it('counts who must sign against who has, per town and kind, as an independent count does', async () => {
    await ok(
      `mutation($i: RecordPledgeInput!) { recordPledge(input: $i) { id } }`,
      {
        i: { personId: p.b1, kind: 'CANDIDATE', orgUnitId: UNIT_B, orgUnitCode: VILLAGE_B, electionId: ELECTION_B, signedOn: '2026-02-15' },
      },
      TOWN,
    );
    for (const [person, code] of [
      [p.w1, VILLAGE_A],
      [p.w2, VILLAGE_A],
      [p.w3, VILLAGE_B],
    ] as const) {
      await ok(
        `mutation($i: RegisterElectionWorkerInput!) { registerElectionWorker(input: $i) { id } }`,
        { i: { personId: person, orgUnitId: unitOf(code), orgUnitCode: code, cycleId: CYCLE } },
        TOWN,
      );
    }
    expect((await pledge(p.w1, 'ELECTION_WORKER', VILLAGE_A, { cycleId: CYCLE })).errors).toBeUndefined();
    expect((await pledge(p.secA, 'UNIT_SECRETARY', VILLAGE_A, { cycleId: CYCLE })).errors).toBeUndefined();
    // A secretary's pledge of another cycle does not count for this one.
    expect((await pledge(p.secB, 'UNIT_SECRETARY', VILLAGE_B, { cycleId: randomUUID() })).errors).toBeUndefined();

    const res = await ok<{
      pledgeCoverage: {
        required: number;
        signed: number;
        percent: number | null;
        targetPercent: number;
        byKind: { kind: string; required: number; signed: number }[];
        children: {
          regionCode: string;
          required: number;
          signed: number;
          percent: number | null;
          byKind: { kind: string; required: number; signed: number }[];
        }[];
      };
    }>(
      `query($code: String!, $cycle: ID) { pledgeCoverage(regionCode: $code, cycleId: $cycle) {
         required signed percent targetPercent byKind { kind required signed }
         children { regionCode required signed percent byKind { kind required signed } } } }`,
      { code: DISTRICT, cycle: CYCLE },
    );

    // The independent count, from the tables one kind at a time (a candidate whose review was
    // disqualified no longer stands and is not counted).
    const q = async (sql: string, town: string) =>
      Number((await dataSource.query(sql, [`${pathOf(town).split('.').slice(0, 4).join('.')}.%`]))[0].n);
    const expected = async (town: string) => {
      const candRequired = await q(`SELECT count(*) AS n FROM review WHERE status <> 'DISQUALIFIED' AND region_path LIKE $1`, town);
      const candSigned = await q(
        `SELECT count(*) AS n FROM review r WHERE r.status <> 'DISQUALIFIED' AND r.region_path LIKE $1
           AND r.person_id IN (SELECT person_id FROM pledge WHERE kind = 'CANDIDATE' AND election_id = r.election_id)`,
        town,
      );
      const secRequired = await q(
        `SELECT count(*) AS n FROM seat_fact WHERE role = 'SECRETARY' AND ends_on IS NULL AND region_path LIKE $1`,
        town,
      );
      const secSigned = await q(
        `SELECT count(*) AS n FROM seat_fact s WHERE s.role = 'SECRETARY' AND s.ends_on IS NULL AND s.region_path LIKE $1
           AND s.person_id IN (SELECT person_id FROM pledge WHERE kind = 'UNIT_SECRETARY' AND cycle_id = '${CYCLE}')`,
        town,
      );
      const wRequired = await q(`SELECT count(*) AS n FROM election_worker WHERE cycle_id = '${CYCLE}' AND region_path LIKE $1`, town);
      const wSigned = await q(
        `SELECT count(*) AS n FROM election_worker w WHERE w.cycle_id = '${CYCLE}' AND w.region_path LIKE $1
           AND w.person_id IN (SELECT person_id FROM pledge WHERE kind = 'ELECTION_WORKER' AND cycle_id = '${CYCLE}')`,
        town,
      );
      return {
        required: candRequired + secRequired + wRequired,
        signed: candSigned + secSigned + wSigned,
        byKind: [
          { kind: 'CANDIDATE', required: candRequired, signed: candSigned },
          { kind: 'ELECTION_WORKER', required: wRequired, signed: wSigned },
          { kind: 'UNIT_SECRETARY', required: secRequired, signed: secSigned },
        ],
      };
    };
    const a = await expected(TOWN_A);
    const b = await expected(TOWN_B);
    const cov = res.pledgeCoverage;
    expect(cov.children).toEqual([
      {
        regionCode: TOWN_A,
        required: a.required,
        signed: a.signed,
        percent: Math.round((a.signed * 1000) / a.required) / 10,
        byKind: a.byKind,
      },
      {
        regionCode: TOWN_B,
        required: b.required,
        signed: b.signed,
        percent: Math.round((b.signed * 1000) / b.required) / 10,
        byKind: b.byKind,
      },
    ]);
    expect(cov).toMatchObject({ required: a.required + b.required, signed: a.signed + b.signed, targetPercent: 100 });
    // And the figures as seeded: town B has two candidates (one signed), its secretary (other
    // cycle's pledge: unsigned) and one worker (unsigned).
    expect(b).toEqual({
      required: 4,
      signed: 1,
      byKind: [
        { kind: 'CANDIDATE', required: 2, signed: 1 },
        { kind: 'ELECTION_WORKER', required: 1, signed: 0 },
        { kind: 'UNIT_SECRETARY', required: 1, signed: 0 },
      ],
    });
    expect(a.byKind.find((k) => k.kind === 'ELECTION_WORKER')).toEqual({ kind: 'ELECTION_WORKER', required: 2, signed: 1 });
    expect(a.byKind.find((k) => k.kind === 'UNIT_SECRETARY')).toEqual({ kind: 'UNIT_SECRETARY', required: 1, signed: 1 });
  });

  it("narrows to one kind, and refuses a region outside the caller's scope", async () => {
    const only = await ok<{ pledgeCoverage: { byKind: { kind: string }[]; children: { regionCode: string }[] } }>(
      `{ pledgeCoverage(regionCode: "${TOWN_B}", kind: ELECTION_WORKER) { byKind { kind } children { regionCode } } }`,
      {},
    );
    expect(only.pledgeCoverage.byKind.map((k) => k.kind)).toEqual(['ELECTION_WORKER']);
    expect(only.pledgeCoverage.children.map((c) => c.regionCode)).toEqual([VILLAGE_B]);
    const outside = await gql(`{ pledgeCoverage(regionCode: "${OTHER_DISTRICT}") { required } }`, {});
    expect(ruleOf(outside)).toBe('AUTH.REGION_SCOPE');
  });
});

describe('bounded SQL', () => {
  const PERSON_LISTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id
      pledges { id kind } departureAudits { id findings { id } openFindings } sanctions { id } evaluations { id } admonitionTalks { id } closeRelatives { id relative { id } } } } }`;
  const REVIEW_LISTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { id preChecks { check } preChecksRunAt clearingBlocks { rule } } } }`;

  it('lists under many people cost one statement each', async () => {
    const r = Object.values(p).map((id) => ({ __typename: 'Person', id }));
    sut.counter.reset();
    await ok(PERSON_LISTS, { r });
    const q = sut.counter.queries;
    for (const table of [
      'pledge',
      'departure_audit',
      'audit_finding',
      'disciplinary_sanction',
      'democratic_evaluation',
      'admonition_talk',
      'close_relative',
    ]) {
      expect(q.filter((s) => new RegExp(`(FROM|JOIN) ${table}\\b`).test(s))).toHaveLength(1);
    }
  });

  it('pre-checks and clearing blocks of many reviews cost as many statements as of two', async () => {
    const ids: string[] = (await dataSource.query(`SELECT id FROM review ORDER BY id`)).map((x: { id: string }) => x.id);
    expect(ids.length).toBeGreaterThan(8);
    const statements = async (n: number) => {
      sut.counter.reset();
      await ok(REVIEW_LISTS, { r: ids.slice(0, n).map((id) => ({ __typename: 'Review', id })) });
      // The outbox relay polls on the same data source meanwhile: its statements are not the request's.
      return sut.counter.queries.filter((q) => !/outbox|pg_try_advisory/.test(q)).length;
    };
    const two = await statements(2);
    expect(await statements(ids.length)).toBe(two);
    expect(two).toBeLessThanOrEqual(12);
  });
});
