// The report suite of `npm run bench` (issue 10): the seeded city (or district) in a fresh copy,
// the five subgraphs in this process, our gateway and Hive Gateway each in a process of their own
// on the same subgraphs and supergraph, autocannon on a thread of its own; then the sections
// (report-config.ts): SQL statements per operation, ours vs Hive, gateway overhead, end-to-end event
// latency, outbox relay vs raw kafkajs, bulk imports. report-output.ts writes the table and chart.
import './process-env'; // first: graphql and Apollo read the environment when they load
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { GATEWAY_CREDENTIAL_HEADER, createLogger, databaseUrlFor, issueToken, type AuthOptions } from '@huanjie/platform';
import { startEmbeddedPostgres, startStack, type RunningStack } from '@huanjie/launcher';
import { startCannon, type Cannon } from './cannon';
import type { CannonResult } from './autocannon-worker';
import { loadSettings } from './config';
import { PeopleFactory } from './dataset';
import { startHiveGateway, startOurGateway, writeSupergraph, type GatewayProcess } from './gateway-processes';
import { GraphQLClient, toLoopback } from './http-client';
import { DEYANG } from './import-dataset';
import type { Closers } from './infra';
import { scenarioImport } from './import-scenario';
import { PERSON_BY_ID, REGISTER_PERSON, checkPerson } from './operations';
import { SqlProbe, diffTotals, scrapeGraphqlTotals, startWindow, type ServerWindow } from './probes';
import { benchRelay } from './relay-scenario';
import type { MachineInfo } from './report';
import type { ReportSettings } from './report-config';
import { REPORT_OPERATIONS, canonical, type ReportOperationId } from './report-operations';
import { buildSnapshot, copySnapshot, findSnapshot, type SeedSnapshot } from './seed-snapshot';
import { summarise } from './stats';
import type { ExplainSummary, ImportFigures, LagFigures, LoadFigures, OperationComparison, OverheadFigures, SqlCount, SuiteReport } from './report-figures';
import { scenarioVoterImport } from './voter-import-scenario';

export class SuiteFailure extends Error {}

const round = (n: number, d = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : n);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** EXPLAIN (ANALYZE) of each captured read, on the subgraph's own data source and with its parameters. */
async function explainAll(stack: RunningStack, captured: { service: string; sql: string; parameters: unknown[] }[]): Promise<ExplainSummary> {
  const out: ExplainSummary = { statements: 0, executionMs: 0, slowestMs: 0, slowest: '', seqScans: [] };
  for (const c of captured) {
    if (!/^\s*(SELECT|WITH)\b/i.test(c.sql) || /\b(INSERT|UPDATE|DELETE)\b/i.test(c.sql)) continue;
    const ds = stack.dataSources[c.service as keyof RunningStack['dataSources']];
    const rows: { 'QUERY PLAN': { 'Execution Time': number; Plan: PlanNode }[] }[] = await ds.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${c.sql}`, c.parameters);
    const plan = rows[0]!['QUERY PLAN'][0]!;
    out.statements++;
    out.executionMs += plan['Execution Time'];
    if (plan['Execution Time'] > out.slowestMs) {
      out.slowestMs = plan['Execution Time'];
      out.slowest = `${c.service}: ${c.sql.replace(/\s+/g, ' ').slice(0, 140)}`;
    }
    const walk = (node: PlanNode) => {
      const loops = node['Actual Loops'] ?? 1;
      const read = ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * loops;
      if (node['Node Type'] === 'Seq Scan' && read > 1000) out.seqScans.push(`${c.service}.${node['Relation Name']} (${read.toLocaleString('en-US')} rows)`);
      node.Plans?.forEach(walk);
    };
    walk(plan.Plan);
  }
  out.executionMs = round(out.executionMs, 2);
  out.slowestMs = round(out.slowestMs, 2);
  return out;
}

interface Targets {
  cycleId: string;
  cityCode: string;
  /** County-level units and townships. */
  regions: string[];
  /** Villages and communities with committees, and the ones with the fewest and most members in office. */
  units: string[];
  smallestUnit: string;
  largestUnit: string;
  /** Townships whose elections have candidates, the one with the most first. */
  towns: string[];
  /** County-level units and townships with overdue complaints. */
  overdueRegions: string[];
  personIds: string[];
}

interface Suite {
  settings: ReportSettings;
  say: (line: string) => void;
  stack: RunningStack;
  postgresUrl: string;
  token: string;
  auth: AuthOptions;
  subgraphSecret: string;
  cannon: Cannon;
  ours: GatewayProcess;
  hive: GatewayProcess;
  sql: SqlProbe;
  pids: Record<string, number>;
  targets: Targets;
  notes: string[];
}

/**
 * Which snapshot: `city` — the city, built on first use; `district` — the district, built when
 * missing (~1 min); `auto` — the city when built (or --build-city), else the district.
 */
async function resolveSnapshot(settings: ReportSettings & { buildCity: boolean }, say: (line: string) => void): Promise<SeedSnapshot> {
  const city = findSnapshot('city', settings.seed);
  if (settings.data === 'city' || (settings.data === 'auto' && (city || settings.buildCity))) {
    if (city) return city;
    say(
      'the city data set is not built yet: building it once (12–25 min on 2 cores, with progress below; later runs copy it). ' +
        '`npm run bench -- --data district` or `--quick` measures on the district instead.',
    );
    return buildSnapshot('city', settings.seed, say);
  }
  return findSnapshot('district', settings.seed) ?? buildSnapshot('district', settings.seed, say);
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The seed loads complaints on the day it runs, so none is overdue yet: every complaint's dates
 * move 45 days back in this run's copy (received, first response and handling deadlines), as
 * if the bench ran six weeks into the 换届; the open ones then miss a deadline. Then ANALYZE.
 */
async function prepareCopy(postgresUrl: string): Promise<void> {
  const complaints = databaseUrlFor(postgresUrl, 'huanjie_complaints');
  await query(
    complaints,
    `UPDATE complaint SET received_at = received_at - interval '45 days', first_response_due = first_response_due - interval '45 days',
            handle_due = handle_due - interval '45 days', responded_at = responded_at - interval '45 days'`,
  );
  for (const service of ['personnel', 'vetting', 'elections', 'complaints', 'training']) await query(databaseUrlFor(postgresUrl, `huanjie_${service}`), 'ANALYZE');
}

async function findTargets(postgresUrl: string): Promise<Targets> {
  const db = (service: string) => databaseUrlFor(postgresUrl, `huanjie_${service}`);
  const [cycle] = await query<{ id: string; region_code: string }>(db('elections'), `SELECT id, region_code FROM election_cycle ORDER BY created_at LIMIT 1`);
  if (!cycle) throw new SuiteFailure('the data set has no election cycle');
  // County-level units and townships: what a 组织部 or a township opens its reports for.
  const regions = await query<{ code: string }>(db('personnel'), `SELECT code FROM org_unit WHERE kind IN ('DISTRICT', 'COUNTY', 'TOWN', 'SUBDISTRICT') ORDER BY code`);
  const units = await query<{ code: string; members: number }>(
    db('personnel'),
    `SELECT ou.code, count(p.id)::int AS members
       FROM org_unit ou JOIN committee c ON c.org_unit_id = ou.id
       JOIN committee_term t ON t.committee_id = c.id AND t.status = 'ACTIVE'
       JOIN committee_position p ON p.term_id = t.id AND p.ends_on IS NULL
      GROUP BY ou.code ORDER BY ou.code`,
  );
  const towns = await query<{ town: string }>(
    db('elections'),
    `SELECT split_part(e.region_path, '.', 4) || '000' AS town FROM election e JOIN candidate c ON c.election_id = e.id
      WHERE e.cycle_id = $1 GROUP BY 1 ORDER BY count(DISTINCT e.id) DESC, 1`,
    [cycle.id],
  );
  const overdue = await query<{ region: string }>(
    db('complaints'),
    `SELECT DISTINCT rpad(split_part(c.region_path, '.', g.depth), 12, '0') AS region
       FROM complaint c, generate_series(3, 4) AS g(depth)
      WHERE (c.status = 'RECEIVED' AND c.first_response_due < now()) OR (c.status IN ('ACCEPTED', 'ASSIGNED', 'INVESTIGATING') AND c.handle_due < now())
      ORDER BY 1`,
  );
  const people = await query<{ id: string }>(db('personnel'), `SELECT id FROM person ORDER BY md5(id::text) LIMIT 2000`);
  if (units.length === 0 || towns.length === 0 || overdue.length === 0 || regions.length === 0) {
    throw new SuiteFailure(`the data set lacks what the operations read: ${units.length} seated units, ${towns.length} townships with candidates, ${overdue.length} regions with overdue complaints`);
  }
  const byMembers = [...units].sort((a, b) => a.members - b.members || a.code.localeCompare(b.code));
  return {
    cycleId: cycle.id,
    cityCode: cycle.region_code,
    regions: regions.map((c) => c.code),
    units: units.map((u) => u.code),
    smallestUnit: byMembers[0]!.code,
    largestUnit: byMembers[byMembers.length - 1]!.code,
    towns: towns.map((t) => t.town),
    overdueRegions: overdue.map((o) => o.region),
    personIds: people.map((p) => p.id),
  };
}

/** Each operation's variables in rotation (every county, unit or township), and the small and large request of the SQL count. */
function variablesOf(id: ReportOperationId, t: Targets): { kind: string; rotation: Record<string, unknown>[]; small: [string, Record<string, unknown>]; large: [string, Record<string, unknown>] } {
  switch (id) {
    case 'progress':
      return {
        kind: 'counties and townships',
        rotation: t.regions.map((regionCode) => ({ input: { cycleId: t.cycleId, regionCode } })),
        small: ['a township', { input: { cycleId: t.cycleId, regionCode: t.towns[t.towns.length - 1] } }],
        large: ['the city', { input: { cycleId: t.cycleId, regionCode: t.cityCode } }],
      };
    case 'unit':
      return {
        kind: 'villages and communities',
        rotation: t.units.map((code) => ({ code })),
        small: ['the unit with the fewest members', { code: t.smallestUnit }],
        large: ['the unit with the most members', { code: t.largestUnit }],
      };
    case 'candidates':
      return {
        kind: 'townships, 20 elections a page',
        rotation: t.towns.map((regionCode) => ({ filter: { cycleId: t.cycleId, regionCode }, first: 20 })),
        small: ['2 elections', { filter: { cycleId: t.cycleId, regionCode: t.towns[0] }, first: 2 }],
        large: ['50 elections', { filter: { cycleId: t.cycleId, regionCode: t.towns[0] }, first: 50 }],
      };
    case 'overdue':
      return {
        // Pages of 20 and of 10: a district holds overdue cases in a handful of regions only, fewer than the requests in flight.
        kind: 'counties and townships, 20 or 10 a page',
        rotation: [20, 10].flatMap((first) => t.overdueRegions.map((regionCode) => ({ regionCode, first }))),
        small: ['2 complaints', { regionCode: t.cityCode, first: 2 }],
        large: ['100 complaints', { regionCode: t.cityCode, first: 100 }],
      };
    case 'structure':
      return {
        kind: 'counties and townships',
        rotation: t.regions.map((regionCode) => ({ regionCode, asOf: '2026-02-10' })),
        small: ['a township', { regionCode: t.towns[t.towns.length - 1], asOf: '2026-02-10' }],
        large: ['the city', { regionCode: t.cityCode, asOf: '2026-02-10' }],
      };
  }
}

function merge(parts: { result: CannonResult; window: ServerWindow }[], cpuName: string): LoadFigures {
  const latencies = parts.flatMap((p) => p.result.latenciesMs);
  const elapsedMs = parts.reduce((n, p) => n + p.result.elapsedMs, 0);
  const errors = parts.reduce((n, p) => n + p.result.errors, 0);
  const bytes = parts.reduce((n, p) => n + p.result.bytes, 0);
  const s = summarise(latencies, errors, elapsedMs);
  const cpu: Record<string, number> = {};
  for (const p of parts) {
    for (const [name, v] of Object.entries(p.window.cpuPercent)) {
      const key = name === 'gateway' ? cpuName : name;
      cpu[key] = (cpu[key] ?? 0) + (v * p.result.elapsedMs) / elapsedMs;
    }
  }
  return {
    requests: s.requests,
    errors,
    seconds: round(elapsedMs / 1000, 1),
    rps: s.throughput,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    max: s.max,
    bytesPerAnswer: latencies.length ? Math.round(bytes / latencies.length) : 0,
    cpuPercent: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v)])),
  };
}

async function load(suite: Suite, target: { url: string; pid?: number; headers: Record<string, string> }, bodies: string[], seconds: number, what: string) {
  const pids: Record<string, number> = { ...suite.pids, ...(target.pid ? { gateway: target.pid } : {}) };
  const end = startWindow(suite.cannon.elu, pids);
  const result = await suite.cannon.run({ url: target.url, headers: target.headers, bodies, connections: suite.settings.connections, durationS: seconds });
  const window = end();
  if (result.errors > 0) throw new SuiteFailure(`${what}: ${result.errors} failed request(s) of ${result.requests}; first:\n  ${result.errorSamples.join('\n  ')}`);
  if (result.requests === 0 && !what.includes('warm-up')) throw new SuiteFailure(`${what}: no request completed in ${seconds} s`);
  return { result, window };
}

const bearer = (suite: Suite) => ({ authorization: `Bearer ${suite.token}` });

/** Ours and Hive in turn, ABBA: warm-up each, then ours, Hive, Hive, ours for half the duration each. */
async function abba(suite: Suite, bodies: string[], what: string, extra?: { url: string; headers: Record<string, string> }) {
  const { durationS, warmupS } = suite.settings;
  const half = Math.max(1, Math.round(durationS / 2));
  const gateways = { ours: suite.ours, hive: suite.hive };
  const targetOf = (g: 'ours' | 'hive') => ({ url: gateways[g].url, pid: gateways[g].pid, headers: bearer(suite) });
  if (warmupS > 0) {
    for (const g of ['ours', 'hive'] as const) await load(suite, targetOf(g), bodies, warmupS, `${what} warm-up via ${g}`);
    if (extra) await load(suite, extra, bodies, warmupS, `${what} warm-up direct`);
  }
  const parts: Record<'ours' | 'hive' | 'direct', { result: CannonResult; window: ServerWindow }[]> = { ours: [], hive: [], direct: [] };
  const order = extra ? (['direct', 'ours', 'hive', 'hive', 'ours', 'direct'] as const) : (['ours', 'hive', 'hive', 'ours'] as const);
  for (const g of order) parts[g].push(await load(suite, g === 'direct' ? extra! : targetOf(g), bodies, half, `${what} via ${g}`));
  return {
    ours: merge(parts.ours, 'gateway'),
    hive: merge(parts.hive, 'gateway'),
    direct: parts.direct.length ? merge(parts.direct, 'gateway') : null,
  };
}

async function checkBoth(suite: Suite, id: ReportOperationId, variables: Record<string, unknown>[]): Promise<number> {
  const op = REPORT_OPERATIONS[id];
  const ours = new GraphQLClient(suite.ours.url, suite.token, 1);
  const hive = new GraphQLClient(suite.hive.url, suite.token, 1);
  let bytes = 0;
  try {
    // The first few targets: both answers must pass the check and be identical.
    for (const v of variables.slice(0, 3)) {
      const [a, b] = [await ours.post(op.query, v), await hive.post(op.query, v)];
      const problem = op.check(a) ?? op.check(b);
      if (problem) throw new SuiteFailure(`${id} (${JSON.stringify(v)}): ${problem}`);
      if (canonical(a) !== canonical(b)) throw new SuiteFailure(`${id} (${JSON.stringify(v)}): our gateway and Hive Gateway answer differently`);
      bytes = Math.max(bytes, canonical(a).length);
    }
  } finally {
    ours.close();
    hive.close();
  }
  return bytes;
}

async function sectionCompare(suite: Suite): Promise<OperationComparison[]> {
  const out: OperationComparison[] = [];
  for (const id of suite.settings.operations) {
    const op = REPORT_OPERATIONS[id];
    const v = variablesOf(id, suite.targets);
    await checkBoth(suite, id, v.rotation);
    const bodies = v.rotation.map((variables) => JSON.stringify({ query: op.query, variables }));
    suite.say(`compare ${id}: ${op.title} — ${v.rotation.length} ${v.kind} in turn, ${suite.settings.connections} connections, ${suite.settings.durationS} s each…`);
    const r = await abba(suite, bodies, id);
    const line = (name: string, f: LoadFigures) => `${name} ${f.rps} req/s, p50 ${f.p50} / p95 ${f.p95} / p99 ${f.p99} ms`;
    suite.say(`  ${line('ours', r.ours)}; ${line('Hive', r.hive)}`);
    out.push({
      id,
      title: op.title,
      subgraphs: op.subgraphs,
      targets: v.rotation.length,
      targetKind: v.kind,
      ours: r.ours,
      hive: r.hive,
      ratio: { rps: round(r.ours.rps / r.hive.rps, 2), p50: round(r.ours.p50 / r.hive.p50, 2), p99: round(r.ours.p99 / r.hive.p99, 2) },
    });
  }
  return out;
}

async function sectionSql(suite: Suite): Promise<SqlCount[]> {
  const out: SqlCount[] = [];
  const services = Object.fromEntries(Object.entries(suite.stack.subgraphUrls).map(([k, u]) => [k, toLoopback(u)]));
  for (const id of suite.settings.operations) {
    const op = REPORT_OPERATIONS[id];
    const v = variablesOf(id, suite.targets);
    const row: SqlCount = {
      id,
      sizes: [v.small[0], v.large[0]],
      ours: [0, 0],
      hive: [0, 0],
      bySubgraph: {},
      fetches: { ours: [0, 0], hive: [0, 0] },
      explain: { statements: 0, executionMs: 0, slowestMs: 0, slowest: '', seqScans: [] },
    };
    let captured: NonNullable<SqlProbe['capture']> = [];
    for (const gateway of [suite.ours, suite.hive]) {
      const client = new GraphQLClient(gateway.url, suite.token, 1);
      try {
        for (const [i, [, variables]] of [v.small, v.large].entries()) {
          await client.must(op.query, variables); // once unmeasured: connections, caches
          suite.sql.reset();
          if (gateway.name === 'ours' && i === 1) suite.sql.capture = [];
          const before = await scrapeGraphqlTotals(services);
          const res = await client.post(op.query, variables);
          const after = await scrapeGraphqlTotals(services);
          if (suite.sql.capture) captured = suite.sql.capture;
          suite.sql.capture = null;
          const problem = op.check(res);
          if (problem) throw new SuiteFailure(`sql ${id} via ${gateway.name}: ${problem}`);
          const counts = suite.sql.read();
          const total = Object.values(counts).reduce((n, c) => n + c.work, 0);
          row[gateway.name][i] = total;
          row.fetches[gateway.name][i] = Object.values(diffTotals(before, after)).reduce((n, c) => n + c.calls, 0);
          if (gateway.name === 'ours') for (const [name, c] of Object.entries(counts)) if (c.work) (row.bySubgraph[name] ??= [0, 0])[i] = c.work;
        }
      } finally {
        client.close();
      }
    }
    row.explain = await explainAll(suite.stack, captured);
    suite.say(`sql ${id}: ${v.small[0]} ${row.ours[0]} statements, ${v.large[0]} ${row.ours[1]} (Hive: ${row.hive[0]}, ${row.hive[1]}); subgraph fetches ${row.fetches.ours.join('/')} (Hive ${row.fetches.hive.join('/')}); EXPLAIN ANALYZE ${row.explain.executionMs} ms in all, slowest ${row.explain.slowestMs} ms${row.explain.seqScans.length ? `, sequential scans: ${row.explain.seqScans.join(', ')}` : ''}`);
    out.push(row);
  }
  return out;
}

async function sectionOverhead(suite: Suite): Promise<OverheadFigures> {
  const bodies = suite.targets.personIds.map((id) => JSON.stringify({ query: PERSON_BY_ID, variables: { id } }));
  const personnel = toLoopback(suite.stack.subgraphUrls.personnel);
  // Straight to personnel the gateway's credential goes along, as the gateway would send it.
  const direct = { url: personnel, headers: { ...bearer(suite), [GATEWAY_CREDENTIAL_HEADER]: suite.subgraphSecret } };
  const probe = new GraphQLClient(suite.ours.url, suite.token, 1);
  try {
    const problem = checkPerson(await probe.post(PERSON_BY_ID, { id: suite.targets.personIds[0] }));
    if (problem) throw new SuiteFailure(`overhead: ${problem}`);
  } finally {
    probe.close();
  }
  suite.say(`overhead: person(id) straight to personnel, through ours and through Hive, ${suite.settings.durationS} s each…`);
  const r = await abba(suite, bodies, 'person(id)', direct);
  const d = r.direct!;
  suite.say(`  direct ${d.rps} req/s p50 ${d.p50} ms; ours ${r.ours.rps} req/s p50 ${r.ours.p50} ms; Hive ${r.hive.rps} req/s p50 ${r.hive.p50} ms`);
  return {
    operation: 'person(id) { id name gender birthDate education politicalStatus idNumberMasked reserve orgUnit { code name } } — personnel only',
    direct: d,
    ours: r.ours,
    hive: r.hive,
    oursRatio: round(r.ours.rps / d.rps, 2),
    hiveRatio: round(r.hive.rps / d.rps, 2),
    oursAddedP50Ms: round(r.ours.p50 - d.p50, 2),
    hiveAddedP50Ms: round(r.hive.p50 - d.p50, 2),
  };
}

/**
 * One registerPerson at a time through our gateway; from its answer (the transaction, with its
 * outbox row, has committed) until training's database holds the person's training record: relay
 * → Kafka → training's consumer → its transaction. Polled every 2 ms on a connection of its own.
 */
async function sectionLag(suite: Suite): Promise<LagFigures> {
  const pollMs = 2;
  const unit = suite.targets.units[Math.floor(suite.targets.units.length / 2)]!;
  const [found] = await query<{ id: string }>(databaseUrlFor(suite.postgresUrl, 'huanjie_personnel'), `SELECT id FROM org_unit WHERE code = $1`, [unit]);
  const orgUnitId = found!.id;
  const factory = new PeopleFactory(7_777 + suite.settings.seed);
  const training = new pg.Client({ connectionString: databaseUrlFor(suite.postgresUrl, 'huanjie_training') });
  await training.connect();
  const client = new GraphQLClient(suite.ours.url, suite.token, 1);
  const lags: number[] = [];
  const writes: number[] = [];
  suite.say(`lag: ${suite.settings.lagSamples} registrations one at a time, response → training record (poll ${pollMs} ms)…`);
  try {
    for (let k = 0; k < suite.settings.lagSamples + 5; k++) {
      const sent = performance.now();
      const res = await client.must<{ registerPerson: { id: string } }>(REGISTER_PERSON, { input: { ...factory.next(unit), orgUnitId } });
      const answered = performance.now();
      for (;;) {
        const { rowCount } = await training.query('SELECT 1 FROM training_record WHERE person_id = $1', [res.registerPerson.id]);
        if (rowCount) break;
        if (performance.now() - answered > 30_000) throw new SuiteFailure(`lag: no training record 30 s after registering ${res.registerPerson.id}`);
        await new Promise((r) => setTimeout(r, pollMs));
      }
      if (k >= 5) {
        lags.push(performance.now() - answered);
        writes.push(answered - sent);
      }
    }
  } finally {
    client.close();
    await training.end();
  }
  const s = summarise(lags, 0, 1);
  const w = summarise(writes, 0, 1);
  suite.say(`  lag p50 ${s.p50} ms, p99 ${s.p99} ms; registerPerson p50 ${w.p50} ms`);
  return { samples: s.requests, p50: s.p50, p95: s.p95, p99: s.p99, max: s.max, writeP50: w.p50, pollMs };
}

/** The voter roll first, then the register, whose 21,000 events training then works through (waited for at most --catch-up s). */
async function sectionImports(suite: Suite, trainingDb: pg.Client, elections: DataSource): Promise<ImportFigures> {
  const base = loadSettings({});
  const settings = { ...base, importUnits: suite.settings.importUnits, importPeople: suite.settings.importPeople, voterImportVoters: suite.settings.voters, loadTimeLimitS: 600 };
  const fail = (m: string) => new SuiteFailure(m);
  const voters = await scenarioVoterImport({
    settings,
    electionsUrl: toLoopback(suite.stack.subgraphUrls.elections),
    elections,
    token: suite.token,
    pids: suite.pids,
    say: suite.say,
    fail,
  });
  const people = await scenarioImport({
    settings,
    personnelUrl: toLoopback(suite.stack.subgraphUrls.personnel),
    token: suite.token,
    sql: suite.sql,
    trainingDb,
    pids: suite.pids,
    say: suite.say,
    fail,
    region: DEYANG,
    catchUpLimitS: suite.settings.catchUpS,
  });
  const e = people.extra as Record<string, number>;
  const i = voters.extra as Record<string, number>;
  return {
    people: {
      rows: e.rows!,
      people: e.people!,
      seconds: e.seconds!,
      rowsPerSecond: e.rowsPerSecond!,
      peoplePerSecond: e.peoplePerSecond!,
      peakRssMiB: e.peakRssMiB!,
      rssAtStartMiB: e.rssAtStartMiB!,
      trainingCaughtUpS: (e.trainingCaughtUpSecondsAfterImport as number | null | undefined) ?? null,
      trainingFilesOpened: e.trainingFilesOpened!,
      trainingFilesPerSecond: e.trainingFilesPerSecond!,
    },
    voters: { voters: i.voters!, seconds: i.seconds!, linesPerSecond: i.linesPerSecond!, peakRssMiB: i.peakRssMiB!, rssAtStartMiB: i.rssAtStartMiB! },
  };
}

export async function runReportSuite(
  settings: ReportSettings & { buildCity: boolean },
  machine: MachineInfo,
  closers: Closers,
  say: (line: string) => void,
): Promise<SuiteReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const notes: string[] = [];
  const snapshot = await resolveSnapshot(settings, say);
  say(`data set: infra/seed ${snapshot.scale} (seed ${snapshot.seed}, digest ${snapshot.summary.digest.slice(0, 16)}): ${snapshot.summary.counts.villagesAndCommunities} villages and communities, ${snapshot.summary.counts.people} people, ${snapshot.summary.counts.candidates} candidates`);

  // Kafka first: the stack's buses connect to it as they start.
  let kafkaBrokers: string[] = [];
  let bus = 'in-process';
  const pids: Record<string, number> = {};
  if (settings.kafka) {
    if (settings.kafkaBrokers.length) {
      kafkaBrokers = settings.kafkaBrokers;
      bus = `Kafka (external: ${kafkaBrokers.join(',')})`;
    } else {
      process.env.HUANJIE_TESTCONTAINERS ??= '0';
      const { startKafka } = await import('@huanjie/testkit');
      say('starting a local Kafka broker (infra/kafka)…');
      const k0 = performance.now();
      const kafka = await startKafka();
      closers.add('Kafka', kafka.stop);
      kafkaBrokers = kafka.brokers.split(',');
      bus = `Kafka (${kafka.kind} broker, started in ${round((performance.now() - k0) / 1000)} s)`;
    }
  }

  // A copy of the snapshot: whatever this run writes is thrown away with it.
  const dir = await mkdtemp(join(tmpdir(), 'huanjie-bench-report-'));
  closers.add('the data set copy', () => rm(dir, { recursive: true, force: true }));
  const c0 = performance.now();
  const pii = copySnapshot(snapshot, dir);
  const copySeconds = round((performance.now() - c0) / 1000);
  const { freePort } = await import('@huanjie/testkit');
  const pgPort = await freePort();
  say(`copied the data set in ${copySeconds} s; starting PostgreSQL on it (127.0.0.1:${pgPort})…`);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: pgPort, persistent: false, logger: createLogger({ name: 'postgres', level: 'warn' }) });
  closers.add('PostgreSQL', postgres.stop);
  await prepareCopy(postgres.url);

  const auth: AuthOptions = { secret: randomBytes(32).toString('base64url'), issuer: 'huanjie', audience: 'huanjie' };
  const subgraphSecret = randomBytes(32).toString('base64url');
  say(`starting the five subgraphs (events: ${bus})…`);
  const stack = await startStack({
    postgresUrl: postgres.url,
    databasePrefix: 'huanjie_',
    kafkaBrokers,
    topicPrefix: `bench${randomBytes(4).toString('hex')}.`,
    auth,
    pii,
    subgraphSecret,
    gatewayPort: 0,
    subgraphPorts: { personnel: 0, vetting: 0, elections: 0, complaints: 0, training: 0 },
    host: '127.0.0.1',
    // Errors only: kafkajs warns about its idempotent producer's retry limit at every start.
    logLevel: 'error',
  });
  closers.add('stack', stack.stop);
  const token = await issueToken({ userId: 'bench', roles: ['ORG_ADMIN'], regionCode: '510000000000', expiresIn: '3h' }, auth);
  const subgraphUrls = Object.fromEntries(Object.entries(stack.subgraphUrls).map(([k, u]) => [k, toLoopback(u)]));
  const supergraphFile = writeSupergraph(dir, subgraphUrls);
  const [oursPort, hivePort] = [await freePort(), await freePort()];
  const gatewayOptions = { subgraphUrls, supergraphFile, auth, subgraphSecret, token };
  say('starting our gateway and Hive Gateway, each in its own process…');
  const ours = await startOurGateway({ ...gatewayOptions, port: oursPort });
  closers.add('our gateway', ours.stop);
  const hive = await startHiveGateway({ ...gatewayOptions, port: hivePort === oursPort ? await freePort() : hivePort });
  closers.add('Hive Gateway', hive.stop);
  const cannon = startCannon(closers);
  const sql = new SqlProbe(stack.dataSources, 1_000_000);
  const targets = await findTargets(postgres.url);
  const suite: Suite = { settings, say, stack, postgresUrl: postgres.url, token, auth, subgraphSecret, cannon, ours, hive, sql, pids, targets, notes };

  const report: SuiteReport = {
    version: 1,
    kind: 'report',
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationS: 0,
    machine,
    settings: {
      data: settings.data,
      seed: settings.seed,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      connections: settings.connections,
      sections: settings.sections,
      operations: settings.operations,
      kafka: settings.kafka,
      relayEvents: settings.relayEvents,
      ...(settings.relayBatch ? { relayBatch: settings.relayBatch } : {}),
      lagSamples: settings.lagSamples,
      importUnits: settings.importUnits,
      importPeople: settings.importPeople,
      voters: settings.voters,
      catchUpS: settings.catchUpS,
      bus,
      nodeEnv: process.env.NODE_ENV ?? '',
      hiveGateway: (JSON.parse(readFileSync(require.resolve('@graphql-hive/gateway/package.json'), 'utf8')) as { version: string }).version,
    },
    dataset: {
      source: 'infra/seed',
      scale: snapshot.scale,
      seed: snapshot.seed,
      digest: snapshot.summary.digest,
      counts: snapshot.summary.counts,
      snapshotBuiltSeconds: snapshot.builtSeconds,
      copySeconds,
      note: 'complaints moved 45 days back so that the open ones are overdue; ANALYZE after the copy',
    },
    gatewayMemoryMiB: {},
    notes,
  };
  notes.push(
    'Hive Gateway merges identical subgraph requests that are in flight at the same time (its default, "deduplicate inflight requests"); ours does not. ' +
      `The variables rotate over at least ${Math.min(...settings.operations.map((id) => variablesOf(id, targets).rotation.length))} targets per operation so that the ${settings.connections} requests in flight differ; ` +
      'with one request repeated, Hive answered about three times as many as ours from a fraction of the subgraph calls.',
    'Ours does more per request than Hive as configured here: it verifies the JWT (HS256) before planning and checks depth, aliases, root fields and the cost of every ' +
      'operation; Hive forwards the token unverified (each subgraph verifies it, for both gateways).',
    'The five subgraphs share one event loop in the bench process (as `npm start` runs them); each gateway has a process of its own. PostgreSQL, the subgraphs, ' +
      'the gateway under test and autocannon share the same cores, so a figure is the capacity of this whole machine at that concurrency, not of a gateway alone.',
  );
  const want = (s: string) => settings.sections.includes(s as never);
  if (want('sql')) report.sql = await sectionSql(suite);
  if (want('compare')) report.compare = await sectionCompare(suite);
  if (want('overhead')) report.overhead = await sectionOverhead(suite);
  report.gatewayMemoryMiB = { ours: ours.memoryMiB(), hive: hive.memoryMiB() };
  if (want('lag') && settings.kafka) report.lag = await sectionLag(suite);
  if (want('relay') && settings.kafka) {
    say(`relay: outbox relay vs a raw kafkajs producer on the same broker…`);
    report.relay = await benchRelay({ postgresUrl: postgres.url, brokers: kafkaBrokers, topicPrefix: `benchrelay${randomBytes(3).toString('hex')}.`, events: settings.relayEvents, batchSize: settings.relayBatch, say });
    say(`  relay ${report.relay.relay.eventsPerSecond} events/s, raw ${report.relay.raw.eventsPerSecond} events/s: ${report.relay.ratio}`);
  }
  if ((want('lag') || want('relay')) && !settings.kafka) notes.push('lag and relay skipped: --no-kafka');
  if (want('import')) {
    const trainingDb = new pg.Client({ connectionString: databaseUrlFor(postgres.url, 'huanjie_training') });
    await trainingDb.connect();
    try {
      report.imports = await sectionImports(suite, trainingDb, stack.dataSources.elections);
    } finally {
      await trainingDb.end();
    }
  }
  machine.loadAverageAtEnd = (await import('node:os')).loadavg().map((x) => round(x, 2));
  report.finishedAt = new Date().toISOString();
  report.durationS = round((performance.now() - t0) / 1000);
  return report;
}
