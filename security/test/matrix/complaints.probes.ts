import pg from 'pg';
import { ROLES, type Role } from '@huanjie/platform';
import { FIELD_ACCESS } from '../../src/access/fields';
import type { Caller } from '../world';
import { auditLogProbe, OWN, OWN_VILLAGE, SCOPES, SIBLING_VILLAGE, type BaseWorld, type Cell, type MatrixKit, type Probe, type ServiceProbes } from './kit';

// The complaints subgraph: 信访举报 cases and their workflow, deadlines and escalation, the risk
// register, residents' requests. Beyond the root fields, the probe of `complaint` also tries, per
// role and scope, the nested roads to the most sensitive data (who complained, the cases about a
// person or an election, the cases around a case just received, a unit's risk items), which the
// root field's row cannot express: an allowed caller of the root may still be refused a field.

const OWN_VILLAGE2 = '510107018004';
/** The service's clock is fixed (world.ts NOW): the few cases that must be overdue are moved back in time in its database. */
const DAY_MS = 86_400_000;

const DISCIPLINE: Caller = { roles: ['DISCIPLINE'], user: 'matrix-jw' };
// The narrower fields' readers come from the access page's table (security/src/access/fields.ts).
const READERS: readonly Role[] = FIELD_ACCESS['Election.complaints']!.roles;
const RECEIVERS: Role[] = ['DISCIPLINE', 'ORG_ADMIN', 'TOWN_OFFICER'];
const RISK_READERS: readonly Role[] = FIELD_ACCESS['OrgUnit.riskItems']!.roles;

const RECEIVE = `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id receiptCode } }`;
const step = (name: string, type: string) => `mutation($input: ${type}!) { ${name}(input: $input) { id status } }`;
const ACCEPT = step('acceptComplaint', 'ComplaintStepInput');
const ASSIGN = step('assignComplaint', 'AssignComplaintInput');
const START = step('startInvestigation', 'ComplaintStepInput');
const UNSUBSTANTIATE = step('unsubstantiateComplaint', 'ComplaintReasonInput');
const RECORD_RISK = `mutation($input: RecordRiskItemInput!) { recordRiskItem(input: $input) { id } }`;
const RAISE = `mutation($input: RaiseResidentRequestInput!) { raiseResidentRequest(input: $input) { id } }`;
const CREATE_ELECTION = `mutation($input: CreateElectionInput!) { createElection(input: $input) { id } }`;

/** What a mutation answers with: the case, its unit and people (entity references into personnel). */
const CASE = `id status summary orgUnit { id name } subjects { id name }`;

type Where = 'own' | 'sibling';
type Stage = 'RECEIVED' | 'ACCEPTED' | 'ASSIGNED' | 'INVESTIGATING' | 'UNSUBSTANTIATED';

export interface ComplaintsFixtures {
  electionId: string;
  siblingElectionId: string;
  /** RECEIVED, about people[0] and the own election, with a named complainant. */
  complaintId: string;
  summary: string;
  receiptCode: string;
  complainantName: string;
  /** The same in the sibling district, about its person and election. */
  siblingComplaintId: string;
  /** Filed in the sibling district about the own district's person and election (a decoy for nested lists). */
  crossComplaintId: string;
  /** Overdue own cases (one RECEIVED, one ASSIGNED to ownInvestigator); the same in the sibling district. */
  overdueIds: string[];
  ownInvestigator: string;
  /** Open MEDIUM risk item of the own village; a HIGH one filed in the sibling district for the same unit id. */
  riskItemId: string;
  crossRiskItemId: string;
  requestId: string;
  /** Problems found by the nested-field checks, by role@scope. */
  nested: Map<string, string[]>;
}

// ---------------------------------------------------------------------------------------------
// Seeding

async function complaintsDatabase(): Promise<pg.Client> {
  const admin = process.env.HUANJIE_TEST_DATABASE_URL;
  const tag = process.env.HUANJIE_TEST_RUN_TAG;
  if (!admin || !tag) throw new Error('complaints probes: the testkit global setup did not run (no HUANJIE_TEST_DATABASE_URL / HUANJIE_TEST_RUN_TAG)');
  const server = new pg.Client({ connectionString: admin });
  await server.connect();
  let names: string[];
  try {
    // startGraph('matrix_complaints') names the complaints database matrix_complaints_complaints_<run tag>_<random>.
    const { rows } = await server.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`matrix\\_complaints\\_complaints\\_${tag.toLowerCase()}\\_%`]);
    names = rows.map((r) => r.datname);
  } finally {
    await server.end();
  }
  if (names.length !== 1) throw new Error(`complaints probes: expected one complaints database of this run, found ${JSON.stringify(names)}`);
  const url = new URL(admin);
  url.pathname = `/${names[0]}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  return db;
}

/** Moves cases' deadlines into the past so that they are overdue at the service's fixed clock. */
async function makeOverdue(ids: string[]): Promise<void> {
  const db = await complaintsDatabase();
  try {
    await db.query(
      `UPDATE complaint SET received_at = received_at - $2 * interval '1 millisecond', first_response_due = first_response_due - $2 * interval '1 millisecond',
              accepted_at = accepted_at - $2 * interval '1 millisecond', handle_due = handle_due - $2 * interval '1 millisecond'
        WHERE id = ANY($1::uuid[])`,
      [ids, 100 * DAY_MS],
    );
  } finally {
    await db.end();
  }
}

interface CaseInput {
  where: Where;
  category?: string;
  electionId?: string | null;
  subjects?: string[];
  complainant?: string | null;
  summary?: string;
}

function caseInput(kit: MatrixKit, world: BaseWorld, c: CaseInput) {
  const own = c.where === 'own';
  return {
    channel: 'HOTLINE',
    category: c.category ?? 'OTHER',
    summary: c.summary ?? `${own ? '七里' : '红砂'}反映事项${kit.next()}`,
    orgUnitId: own ? world.village : world.siblingVillage,
    regionCode: own ? OWN_VILLAGE : SIBLING_VILLAGE,
    ...(c.electionId ? { electionId: c.electionId } : {}),
    subjectPersonIds: c.subjects ?? [],
    ...(c.complainant ? { complainant: { name: c.complainant, contact: `1391234${String(kit.next()).padStart(4, '0')}` } } : {}),
  };
}

/** A case received (as the nationwide ORG_ADMIN) and taken to `stage`, tracked in the ledger. */
async function caseAt(kit: MatrixKit, world: BaseWorld, stage: Stage, c: CaseInput = { where: 'own' }): Promise<{ id: string; receiptCode: string }> {
  const { receiveComplaint } = await kit.seed<{ receiveComplaint: { id: string; receiptCode: string } }>(RECEIVE, { input: caseInput(kit, world, c) });
  const id = receiveComplaint.id;
  kit.ledger.track(c.where, id);
  const order: Stage[] = ['RECEIVED', 'ACCEPTED', 'ASSIGNED', 'INVESTIGATING', 'UNSUBSTANTIATED'];
  const upTo = order.indexOf(stage);
  if (upTo >= 1) await kit.seed(ACCEPT, { input: { complaintId: id } });
  if (upTo >= 2) await kit.seed(ASSIGN, { input: { complaintId: id, orgUnitId: c.where === 'own' ? world.units['510107018000'] : world.units['510104020000'], investigator: `jw-${c.where}-${kit.next()}` } });
  if (upTo >= 3) await kit.seed(START, { input: { complaintId: id } }, DISCIPLINE);
  if (upTo >= 4) await kit.seed(UNSUBSTANTIATE, { input: { complaintId: id, reason: '经核查不属实' } }, DISCIPLINE);
  return receiveComplaint;
}

async function riskItem(kit: MatrixKit, world: BaseWorld, where: Where, orgUnitId: string, level: string, ownerPersonId: string): Promise<string> {
  const { recordRiskItem } = await kit.seed<{ recordRiskItem: { id: string } }>(RECORD_RISK, {
    input: {
      orgUnitId,
      regionCode: where === 'own' ? (orgUnitId === world.village2 ? OWN_VILLAGE2 : OWN_VILLAGE) : SIBLING_VILLAGE,
      type: 'PETITIONS',
      level,
      title: `信访矛盾风险${kit.next()}`,
      ownerPersonId,
      mitigationPlan: '包村干部每周走访',
      reviewOn: '2026-04-01',
    },
  });
  kit.ledger.track(where, recordRiskItem.id);
  return recordRiskItem.id;
}

async function residentRequest(kit: MatrixKit, world: BaseWorld, where: Where): Promise<string> {
  const own = where === 'own';
  const { raiseResidentRequest } = await kit.seed<{ raiseResidentRequest: { id: string } }>(RAISE, {
    input: { orgUnitId: own ? world.village : world.siblingVillage, regionCode: own ? OWN_VILLAGE : SIBLING_VILLAGE, category: 'LIVELIHOOD', summary: `路灯损坏${kit.next()}`, raisedOn: '2026-03-01' },
  });
  kit.ledger.track(where, raiseResidentRequest.id);
  return raiseResidentRequest.id;
}

async function setup(kit: MatrixKit, world: BaseWorld): Promise<ComplaintsFixtures> {
  const election = async (where: Where) => {
    const own = where === 'own';
    const input = {
      cycleId: own ? world.cycleId : world.siblingCycleId,
      orgUnitId: own ? world.village : world.siblingVillage,
      orgUnitCode: own ? OWN_VILLAGE : SIBLING_VILLAGE,
      committeeKind: 'VILLAGERS',
      seats: [{ role: 'DIRECTOR', count: 1 }, { role: 'MEMBER', count: 2 }],
      electionDay: '2026-05-28',
      method: 'VOTERS_ASSEMBLY',
    };
    const id = (await kit.seed<{ createElection: { id: string } }>(CREATE_ELECTION, { input })).createElection.id;
    kit.ledger.track(where, id);
    return id;
  };
  const electionId = await election('own');
  const siblingElectionId = await election('sibling');

  const complainantName = `举报人甲${kit.next()}`;
  const summary = `反映王五以每票200元拉票${kit.next()}`;
  const main = await caseAt(kit, world, 'RECEIVED', { where: 'own', category: 'VOTE_BUYING', electionId, subjects: [world.people[0]!], complainant: complainantName, summary });
  const siblingName = `举报人乙${kit.next()}`;
  kit.ledger.track('sibling', siblingName);
  const sibling = await caseAt(kit, world, 'RECEIVED', { where: 'sibling', category: 'VOTE_BUYING', electionId: siblingElectionId, subjects: [world.siblingPerson], complainant: siblingName });
  // Same category, same person and election as the main case (a possible duplicate), but filed in the sibling district.
  const crossName = `举报人丙${kit.next()}`;
  kit.ledger.track('sibling', crossName);
  const cross = await caseAt(kit, world, 'RECEIVED', { where: 'sibling', category: 'VOTE_BUYING', electionId, subjects: [world.people[0]!], complainant: crossName });

  // Overdue cases in both districts: RECEIVED past the first response, ASSIGNED past handling.
  const ownInvestigator = `jw-own-${kit.next()}`;
  const siblingInvestigator = `jw-sibling-${kit.next()}`;
  kit.ledger.track('own', ownInvestigator);
  kit.ledger.track('sibling', siblingInvestigator);
  const overdue: string[] = [];
  for (const where of ['own', 'sibling'] as const) {
    overdue.push((await caseAt(kit, world, 'RECEIVED', { where, category: 'PROCEDURE' })).id);
    const assigned = await caseAt(kit, world, 'ACCEPTED', { where, category: 'FINANCES' });
    await kit.seed(ASSIGN, { input: { complaintId: assigned.id, orgUnitId: where === 'own' ? world.village : world.siblingVillage, investigator: where === 'own' ? ownInvestigator : siblingInvestigator } });
    overdue.push(assigned.id);
  }
  await makeOverdue(overdue);

  const riskItemId = await riskItem(kit, world, 'own', world.village, 'MEDIUM', world.people[1]!);
  await riskItem(kit, world, 'sibling', world.siblingVillage, 'HIGH', world.siblingPerson);
  const crossRiskItemId = await riskItem(kit, world, 'sibling', world.village, 'HIGH', world.siblingPerson);
  const requestId = await residentRequest(kit, world, 'own');
  await residentRequest(kit, world, 'sibling');

  return {
    electionId,
    siblingElectionId,
    complaintId: main.id,
    summary,
    receiptCode: main.receiptCode,
    complainantName,
    siblingComplaintId: sibling.id,
    crossComplaintId: cross.id,
    overdueIds: overdue,
    ownInvestigator,
    riskItemId,
    crossRiskItemId,
    requestId,
    nested: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// Nested fields: who may read which field of a case reached by any road, and from where.

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function ask(kit: MatrixKit, caller: Caller, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(kit.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await kit.token(caller)}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

interface Expectation {
  /** No errors at all. */
  clean?: boolean;
  /** A FORBIDDEN among the errors. */
  forbidden?: boolean;
  /** Strings the data must carry. */
  see?: string[];
  /** Strings neither the data nor the errors may carry. */
  notSee?: string[];
  /** Any further test of the data; returns a problem or null. */
  check?: (data: Record<string, unknown> | null | undefined) => string | null;
}

async function expectAnswer(kit: MatrixKit, label: string, caller: Caller, query: string, variables: Record<string, unknown>, e: Expectation): Promise<string[]> {
  const answer = await ask(kit, caller, query, variables);
  const received = (answer.data?.receiveComplaint as { id?: string } | null | undefined)?.id;
  kit.ledger.track('own', received);
  const data = JSON.stringify(answer.data ?? null);
  const errors = JSON.stringify(answer.errors ?? []);
  const brief = JSON.stringify({ data: answer.data, errors: answer.errors?.map((x) => `${x.extensions?.code}: ${x.message}`) }).slice(0, 300);
  const problems: string[] = [];
  if (e.clean && answer.errors?.length) problems.push(`${label}: expected no errors, got ${brief}`);
  if (e.forbidden && !(answer.errors ?? []).some((x) => x.extensions?.code === 'FORBIDDEN')) problems.push(`${label}: expected FORBIDDEN, got ${brief}`);
  for (const s of e.see ?? []) if (!data.includes(s)) problems.push(`${label}: expected ${s} in the answer, got ${brief}`);
  for (const s of e.notSee ?? []) if (data.includes(s) || errors.includes(s)) problems.push(`${label}: ${s} must not reach this caller, got ${brief}`);
  const extra = e.check?.(answer.data);
  if (extra) problems.push(`${label}: ${extra}`);
  return problems;
}

async function nestedChecks(kit: MatrixKit, world: BaseWorld, f: ComplaintsFixtures, cell: Cell): Promise<string[]> {
  const { role, scope, caller } = cell;
  const sees = scope !== 'sibling';
  const own = scope === 'own';
  const reader = READERS.includes(role);
  const discipline = FIELD_ACCESS['Complaint.complainant']!.roles.includes(role) && FIELD_ACCESS['Person.complaintsAbout']!.roles.includes(role);
  const name = f.complainantName;
  const where = `${role}@${scope}`;
  const problems: string[] = [];
  const run = async (label: string, query: string, variables: Record<string, unknown>, e: Expectation) => problems.push(...(await expectAnswer(kit, `${where} ${label}`, caller, query, variables, e)));
  /** Only an own-district caller must miss what the sibling district filed about own people, elections and units. */
  const cross = own ? [f.crossComplaintId] : [];

  // 举报人: DISCIPLINE alone, through the case itself …
  await run('Complaint.complainant', `query($id: ID!) { complaint(id: $id) { id complainant { name contact } } }`, { id: f.complaintId },
    reader && sees ? (discipline ? { clean: true, see: [f.complaintId, name] } : { forbidden: true, see: [f.complaintId], notSee: [name] }) : { forbidden: !reader, notSee: [f.complaintId, name] });

  // … and through the election's cases (DISCIPLINE, ORG_ADMIN, AUDITOR within their region).
  await run('Election.complaints', `query($id: ID!) { election(id: $id) { id complaints { id complainant { name } } } }`, { id: f.electionId },
    reader && sees
      ? discipline
        ? { clean: true, see: [f.complaintId, name], notSee: cross }
        : { forbidden: true, see: [f.complaintId], notSee: [name, ...cross] }
      : { forbidden: sees, notSee: [f.complaintId, f.crossComplaintId, name] });

  // 被反映情况: DISCIPLINE alone, within its region.
  await run('Person.complaintsAbout', `query($id: ID!) { person(id: $id) { id complaintsAbout { id complainant { name } } } }`, { id: world.people[0] },
    discipline && sees ? { clean: true, see: [f.complaintId, name], notSee: cross } : { forbidden: sees, notSee: [f.complaintId, f.crossComplaintId, name] });

  // Whoever may receive a complaint sees the case received, not the cases around it (unless a reader) nor who complained (unless DISCIPLINE).
  if (RECEIVERS.includes(role) && sees) {
    const fresh = `举报人丁${kit.next()}`;
    const input = () => caseInput(kit, world, { where: 'own', category: 'VOTE_BUYING', electionId: f.electionId, subjects: [world.people[0]!], complainant: fresh });
    const around = `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id possibleDuplicates { id } mergedCases { id } election { id complaints { id } } } }`;
    await run('receiveComplaint → possibleDuplicates, Election.complaints', around, { input: input() },
      reader ? { clean: true, see: [f.complaintId], notSee: [name, ...cross] } : { forbidden: true, notSee: [f.complaintId, f.crossComplaintId, name] });
    await run('receiveComplaint → subjects.complaintsAbout', `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id subjects { id complaintsAbout { id } } } }`, { input: input() },
      discipline ? { clean: true, see: [f.complaintId], notSee: cross } : { forbidden: true, notSee: [f.complaintId, f.crossComplaintId] });
    await run('receiveComplaint → complainant', `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { id complainant { name } } }`, { input: input() },
      discipline ? { clean: true, see: [fresh] } : { forbidden: true, notSee: [fresh, name] });
  }

  // A unit's risk level and open count: every role, within its region; the items: the risk readers.
  await run('OrgUnit.riskLevel', `query($id: ID!) { orgUnit(id: $id) { id riskLevel openComplaintCount } }`, { id: world.village }, {
    ...(sees ? { clean: true, see: [world.village] } : {}),
    check: (data) => {
      const level = (data?.orgUnit as { riskLevel?: string } | null | undefined)?.riskLevel;
      return own && level !== 'MEDIUM' ? `riskLevel of the own village must be its own MEDIUM item's (the HIGH one was filed in the sibling district), got ${level}` : null;
    },
  });
  await run('OrgUnit.riskItems', `query($id: ID!) { orgUnit(id: $id) { id riskItems(includeResolved: true) { id } } }`, { id: world.village },
    RISK_READERS.includes(role) && sees ? { clean: true, see: [f.riskItemId], notSee: own ? [f.crossRiskItemId] : [] } : { forbidden: sees, notSee: [f.riskItemId, f.crossRiskItemId] });

  // The audit log keeps states and lengths: neither who complained nor what was reported.
  if (role === 'AUDITOR' && sees) {
    await run('complaintsAuditLog', `query($input: AuditLogInput!) { complaintsAuditLog(input: $input, first: 100) { nodes { entityId before after } } }`,
      { input: { regionCode: OWN, from: '2000-01-01', to: '2100-01-01', entityType: 'Complaint' } }, { clean: true, see: [f.complaintId], notSee: [name, f.summary] });
  }
  return problems;
}

/** Runs the nested checks once per role and scope; throws with every problem once all have run. */
async function nestedOnce(kit: MatrixKit, world: BaseWorld, f: ComplaintsFixtures, cell: Cell, roles: readonly Role[]): Promise<void> {
  const key = `${cell.role}@${cell.scope}`;
  if (f.nested.has(key)) return;
  f.nested.set(key, await nestedChecks(kit, world, f, cell));
  if (f.nested.size < roles.length * SCOPES.length) return;
  const problems = [...f.nested.values()].flat();
  if (problems.length) throw new Error(`nested fields of complaints (complaints.probes.ts nestedChecks):\n${problems.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// The escalation job on demand moves and names only the caller's region's cases.

async function escalationScopeCheck(kit: MatrixKit, world: BaseWorld, cell: Cell): Promise<void> {
  if (cell.scope === 'parent') return; // the city holds both districts
  const mine = await caseAt(kit, world, 'RECEIVED', { where: cell.scope === 'sibling' ? 'sibling' : 'own', category: 'CONDUCT' });
  const theirs = await caseAt(kit, world, 'RECEIVED', { where: cell.scope === 'sibling' ? 'own' : 'sibling', category: 'CONDUCT' });
  await makeOverdue([mine.id, theirs.id]);
  const answer = await ask(kit, cell.caller, `mutation { runComplaintEscalation { escalated escalations { complaintId } } }`, {});
  const data = JSON.stringify(answer.data ?? null);
  const problems: string[] = [];
  if (answer.errors?.length || !data.includes(mine.id)) problems.push(`the run must escalate ${mine.id} of the caller's region: ${data}`);
  if (data.includes(theirs.id)) problems.push(`the run named ${theirs.id}, a case outside the caller's region`);
  const other = await kit.seed<{ complaint: { deadlines: { level: string } } }>(`query($id: ID!) { complaint(id: $id) { deadlines { level } } }`, { id: theirs.id });
  if (other.complaint.deadlines.level !== 'TOWN') problems.push(`the run moved ${theirs.id}, a case outside the caller's region, to ${other.complaint.deadlines.level}`);
  if (problems.length) throw new Error(`runComplaintEscalation as ${cell.role}@${cell.scope}:\n${problems.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------

const target = async (kit: MatrixKit, world: BaseWorld, cell: Cell, stage: Stage, fallback: string) => (cell.allowed ? (await caseAt(kit, world, stage)).id : fallback);

export const complaintsProbes: ServiceProbes<ComplaintsFixtures> = {
  setup,
  probes: {
    async complaint({ kit, world, fixtures: f, cell }): Promise<Probe> {
      await nestedOnce(kit, world, f, cell, ROLES);
      // The readers who may not see who complained, or the cases about a person, are not asked for them here (nestedChecks asks).
      const privy = cell.role === 'DISCIPLINE' || !READERS.includes(cell.role);
      const query = `query($id: ID!) { complaint(id: $id) {
        id status summary ${privy ? 'complainant { name contact }' : ''}
        orgUnit { id name } election { id status complaints { id } }
        subjects { id name ${privy ? 'complaintsAbout { id }' : ''} }
        possibleDuplicates { id } mergedCases { id } history { event actor } deadlines { level escalations { deadline } } } }`;
      return { query, variables: { id: f.complaintId }, expectIds: [f.complaintId, ...(cell.role === 'DISCIPLINE' ? [f.complainantName] : [])] };
    },
    async complaintStatus({ fixtures: f }) {
      // No ids in a receipt status: the main case's state (it stays RECEIVED) shows the code reached it.
      return { query: `query($code: String!) { complaintStatus(receiptCode: $code) { status statusKind receivedAt firstResponseDue } }`, variables: { code: f.receiptCode }, expectIds: ['RECEIVED'] };
    },
    async overdueComplaints({ world, fixtures: f }) {
      const query = `query($region: String!) { overdueComplaints(regionCode: $region, first: 100) {
        edges { node { id status orgUnit { id name } subjects { id name } assignment { investigator orgUnit { id name } } deadlines { overdueDeadline level } } }
        pageInfo { hasNextPage } } }`;
      return { query, variables: { region: OWN }, expectIds: [...f.overdueIds.slice(0, 2), world.village] };
    },
    async overdueComplaintCounts({ fixtures: f }) {
      return { query: `query($region: String!) { overdueComplaintCounts(regionCode: $region) { investigator level count } }`, variables: { region: OWN }, expectIds: [f.ownInvestigator], outOfScope: 'refuse' };
    },
    async residentRequestSummary() {
      return { query: `query($region: String!) { residentRequestSummary(regionCode: $region) { total resolved open villageShare } }`, variables: { region: OWN }, outOfScope: 'refuse' };
    },
    async riskOverview({ world, fixtures: f }) {
      const query = `query($region: String!) { riskOverview(regionCode: $region, first: 100) {
        nodes { orgUnitId highestLevel openItems orgUnit { id name riskLevel riskItems { id owner { id name } } } } hasNextPage } }`;
      return { query, variables: { region: OWN }, expectIds: [world.village, f.riskItemId], outOfScope: 'refuse' };
    },
    async complaintsAuditLog({ fixtures: f }) {
      return auditLogProbe('complaintsAuditLog', {}, f.complaintId);
    },
    async receiveComplaint({ kit, world }) {
      const summary = `新登记信访件${kit.next()}`;
      const input = { channel: 'LETTER', category: 'PROCEDURE', summary, orgUnitId: world.village2, regionCode: OWN_VILLAGE2, subjectPersonIds: [world.people[2]] };
      return { query: `mutation($input: ReceiveComplaintInput!) { receiveComplaint(input: $input) { ${CASE} receiptCode } }`, variables: { input }, expectIds: [summary, world.village2] };
    },
    async acceptComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'RECEIVED', f.complaintId);
      return { query: `mutation($input: ComplaintStepInput!) { acceptComplaint(input: $input) { ${CASE} } }`, variables: { input: { complaintId: id } }, expectIds: [id] };
    },
    async rejectComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'RECEIVED', f.complaintId);
      return { query: `mutation($input: ComplaintReasonInput!) { rejectComplaint(input: $input) { ${CASE} } }`, variables: { input: { complaintId: id, reason: '不属于换届纪律问题' } }, expectIds: [id] };
    },
    async mergeComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'RECEIVED', f.overdueIds[0]!);
      const into = await target(kit, world, cell, 'ACCEPTED', f.complaintId);
      return {
        query: `mutation($input: MergeComplaintInput!) { mergeComplaint(input: $input) { ${CASE} mergedInto { id mergedCases { id } } } }`,
        variables: { input: { complaintId: id, intoComplaintId: into, reason: '同一事项重复反映' } },
        expectIds: [id, into],
      };
    },
    async assignComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'ACCEPTED', f.overdueIds[1]!);
      return {
        query: `mutation($input: AssignComplaintInput!) { assignComplaint(input: $input) { ${CASE} assignment { investigator orgUnit { id name } } } }`,
        variables: { input: { complaintId: id, orgUnitId: world.units['510107018000'], investigator: 'jw-assignee' } },
        expectIds: [id, world.units['510107018000']!],
      };
    },
    async startInvestigation({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'ASSIGNED', f.overdueIds[1]!);
      return { query: `mutation($input: ComplaintStepInput!) { startInvestigation(input: $input) { ${CASE} } }`, variables: { input: { complaintId: id } }, expectIds: [id] };
    },
    async substantiateComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'INVESTIGATING', f.complaintId);
      return { query: `mutation($input: SubstantiateComplaintInput!) { substantiateComplaint(input: $input) { ${CASE} } }`, variables: { input: { complaintId: id, reason: '经调查属实' } }, expectIds: [id] };
    },
    async unsubstantiateComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'INVESTIGATING', f.complaintId);
      return { query: `mutation($input: ComplaintReasonInput!) { unsubstantiateComplaint(input: $input) { ${CASE} } }`, variables: { input: { complaintId: id, reason: '经核查不属实' } }, expectIds: [id] };
    },
    async closeComplaint({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'UNSUBSTANTIATED', f.complaintId);
      return { query: `mutation($input: CloseComplaintInput!) { closeComplaint(input: $input) { ${CASE} resolution { text decidedBy } } }`, variables: { input: { complaintId: id, resolution: '已向反映人反馈' } }, expectIds: [id] };
    },
    async extendComplaintDeadline({ kit, world, fixtures: f, cell }) {
      const id = await target(kit, world, cell, 'ACCEPTED', f.overdueIds[1]!);
      return {
        query: `mutation($input: ExtendDeadlineInput!) { extendComplaintDeadline(input: $input) { ${CASE} deadlines { handleDue extensions } } }`,
        variables: { input: { complaintId: id, days: 30, reason: '涉黑线索需公安协查' } },
        expectIds: [id],
      };
    },
    async runComplaintEscalation({ kit, world, cell }) {
      const query = `mutation { runComplaintEscalation { escalated escalations { complaintId deadline fromLevel toLevel } } }`;
      if (!cell.allowed) return { query };
      // The row is 'open' (no region argument: every DISCIPLINE caller may run it), so the runner
      // does not look for foreign cases in the answer: escalationScopeCheck does.
      await escalationScopeCheck(kit, world, cell);
      const fresh = await caseAt(kit, world, 'RECEIVED', { where: cell.scope === 'sibling' ? 'sibling' : 'own', category: 'CONDUCT' });
      await makeOverdue([fresh.id]);
      return { query, expectIds: [fresh.id] };
    },
    async raiseResidentRequest({ kit, world }) {
      const summary = `群众反映路面破损${kit.next()}`;
      return {
        query: `mutation($input: RaiseResidentRequestInput!) { raiseResidentRequest(input: $input) { id orgUnitId summary raisedOn } }`,
        variables: { input: { orgUnitId: world.village, regionCode: OWN_VILLAGE, category: 'INFRASTRUCTURE', summary, raisedOn: '2026-03-01' } },
        expectIds: [summary],
      };
    },
    async resolveResidentRequest({ kit, world, fixtures: f, cell }) {
      const id = cell.allowed ? await residentRequest(kit, world, 'own') : f.requestId;
      return { query: `mutation($input: ResolveResidentRequestInput!) { resolveResidentRequest(input: $input) { id orgUnitId resolvedLevel resolvedOn } }`, variables: { input: { requestId: id, level: 'VILLAGE' } }, expectIds: [id] };
    },
    async recordRiskItem({ kit, world }) {
      const title = `拉票苗头${kit.next()}`;
      const input = { orgUnitId: world.village2, regionCode: OWN_VILLAGE2, type: 'VOTE_BUYING', level: 'LOW', title, ownerPersonId: world.people[3], mitigationPlan: '驻村干部约谈', reviewOn: '2026-04-01' };
      return { query: `mutation($input: RecordRiskItemInput!) { recordRiskItem(input: $input) { id title orgUnit { id name } owner { id name } } }`, variables: { input }, expectIds: [title, world.village2] };
    },
    async updateRiskItem({ kit, world, fixtures: f, cell }) {
      const id = cell.allowed ? await riskItem(kit, world, 'own', world.village2, 'LOW', world.people[3]!) : f.riskItemId;
      return {
        query: `mutation($input: UpdateRiskItemInput!) { updateRiskItem(input: $input) { id level status orgUnit { id name } owner { id name } } }`,
        variables: { input: { riskItemId: id, status: 'MITIGATING', mitigationPlan: '已约谈,持续跟踪' } },
        expectIds: [id],
      };
    },
  },
};
