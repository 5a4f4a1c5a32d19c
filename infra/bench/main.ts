// npm run bench: two suites (infra/bench/README.md).
// - The report suite (default; `npm run bench -- --help`): the seeded city in a fresh copy, the five
//   subgraphs here, our gateway and Hive Gateway in processes of their own, autocannon; writes
//   bench/results/<date>-<machine>-report.{md,svg,json} and latest.* (src/report-suite.ts).
// - The scenario suite (`--suite scenarios` or BENCH_SCENARIOS=…): starts its own PostgreSQL (and
//   Kafka with BENCH_KAFKA=1), the five subgraphs and the gateway in this process, loads a data set
//   through the gateway, and measures scenarios a–i from a load-generator thread.
import { NODE_ENV } from './src/process-env'; // first: graphql and Apollo read the environment when they load
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import pg from 'pg';
import { issueToken } from '@huanjie/platform';
import { loadSettings, type BenchSettings } from './src/config';
import { buildDataSet, PeopleFactory } from './src/dataset';
import { GraphQLClient, toLoopback } from './src/http-client';
import { Closers, serviceDatabaseUrl, startInfra } from './src/infra';
import { importRegister, scenarioImport } from './src/import-scenario';
import { scenarioStructureReport } from './src/structure-report-scenario';
import { scenarioProgressReport } from './src/progress-report-scenario';
import { scenarioVoterImport } from './src/voter-import-scenario';
import { REPORT_USAGE, SECTIONS, parseReportArgs, wantsScenarioSuite } from './src/report-config';
import { REPORT_OPERATION_IDS } from './src/report-operations';
import { writeSuiteResults, markdown } from './src/report-output';
import { runReportSuite, SuiteFailure } from './src/report-suite';
import { loadDataSet } from './src/load-data';
import { SqlProbe, waitForQuietMachine } from './src/probes';
import {
  describeMachine,
  serverTable,
  slowSummary,
  table,
  updateResultsMarkdown,
  writeJson,
  type BenchReport,
  type MachineInfo,
  type ScenarioReport,
} from './src/report';
import {
  say,
  round,
  BenchFailure,
  startLoadWorker,
  Context,
  setPhase,
  diagnostics,
  workerScenario,
  waitForTrainingRecords,
  scenarioWrite,
  scenarioFederated,
  scenarioPerson,
  scenarioLag,
} from './src/scenarios';

async function run(settings: BenchSettings, machine: MachineInfo, closers: Closers): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const infra = await startInfra(settings, closers, say);
  const { stack } = infra;
  const token = await issueToken({ userId: 'bench', roles: ['ORG_ADMIN'], regionCode: '510000000000', expiresIn: '2h' }, infra.auth);
  const sql = new SqlProbe(stack.dataSources, settings.slowQueryMs);
  const services: Record<string, string> = { gateway: toLoopback(stack.gatewayUrl) };
  for (const [name, url] of Object.entries(stack.subgraphUrls)) services[name] = toLoopback(url);
  const trainingDb = new pg.Client({ connectionString: serviceDatabaseUrl(infra, 'training') });
  await trainingDb.connect();
  closers.add('training database probe', () => trainingDb.end());

  // The data set, through the gateway like any client.
  const data = buildDataSet(settings.units, settings.unitsPerTown, settings.seed);
  const factory = new PeopleFactory(settings.seed);
  setPhase({ sql, infra }, 'load');
  const loader = new GraphQLClient(stack.gatewayUrl, token, settings.loadConcurrency);
  const loaded = await loadDataSet(
    loader,
    data,
    factory,
    settings.peoplePerUnit,
    settings.loadConcurrency,
    settings.loadTimeLimitS,
  ).finally(() => loader.close());
  const lastLoad = performance.timeOrigin + performance.now();
  const caughtUp = await waitForTrainingRecords(trainingDb, loaded.people.length, 120_000, 5);
  say(
    `loaded ${loaded.requests} objects in ${loaded.seconds.toFixed(1)} s (${(loaded.requests / loaded.seconds).toFixed(0)} req/s); ` +
      `training caught up ${Math.max(0, caughtUp - lastLoad).toFixed(0)} ms after the last registration`,
  );

  const worker = startLoadWorker(closers);
  const pids: Record<string, number> = infra.kafkaPid ? { kafka: infra.kafkaPid } : {};
  const ctx: Context = { settings, infra, token, worker, sql, services, pids, data, loaded, factory, trainingDb };

  // Reads first, on exactly the loaded data set; then the writes that grow it.
  const results: ScenarioReport[] = [];
  const finish = () => {
    const order = ['a', 'b', 'c1', 'c2', 'd', 'e', 'f1', 'f2', 'g1', 'g2', 'g3', 'h1', 'h2', 'i'];
    results.sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id));
    return results;
  };
  try {
    if (settings.scenarios.includes('federated')) results.push(await scenarioFederated(ctx));
    if (settings.scenarios.includes('subgraph')) {
      results.push(await scenarioPerson(ctx, 'subgraph'));
      results.push(await scenarioPerson(ctx, 'gateway'));
    }
    if (settings.scenarios.includes('write')) results.push(await scenarioWrite(ctx));
    if (settings.scenarios.includes('lag')) results.push(await scenarioLag(ctx));
    // Last: it adds a city's worth of units and people to the data the others measure.
    if (settings.scenarios.includes('import')) {
      setPhase(ctx, 'e');
      const personnelUrl = stack.subgraphUrls.personnel;
      const report = await scenarioImport({ settings, personnelUrl, token, sql, trainingDb, pids, say, fail: (m) => new BenchFailure(m) });
      results.push({ ...report, diagnostics: diagnostics(ctx, 'e') });
    }
    // After the import, whose register it seats; alone, it imports the register first (not measured).
    if (settings.scenarios.includes('structure-report')) {
      if (!settings.scenarios.includes('import')) {
        setPhase(ctx, 'import (not measured)');
        const personnelUrl = stack.subgraphUrls.personnel;
        await importRegister({ settings, personnelUrl, token, sql, trainingDb, pids, say, fail: (m) => new BenchFailure(m) });
      }
      await scenarioStructureReport({
        settings,
        gatewayUrl: stack.gatewayUrl,
        token,
        otherUnitCodes: data.leaves.map((u) => u.code),
        say,
        fail: (m) => new BenchFailure(m),
        setPhase: (phase) => setPhase(ctx, phase),
        analyzePersonnel: async () => {
          const db = new pg.Client({ connectionString: serviceDatabaseUrl(infra, 'personnel') });
          await db.connect();
          try {
            await db.query('ANALYZE');
          } finally {
            await db.end();
          }
        },
        measure: (meta, job, options) => workerScenario(ctx, meta, job, options),
        // Each scenario as it ends: a failure later still prints the ones measured.
        onReport: (report) => results.push(report),
      });
    }
    // 换届 progress of a 3,039-unit city: its own transitions in elections, the region names from personnel.
    if (settings.scenarios.includes('progress-report')) {
      await scenarioProgressReport({
        settings,
        gatewayUrl: stack.gatewayUrl,
        token,
        scopePath: '51',
        elections: stack.dataSources.elections,
        say,
        fail: (m) => new BenchFailure(m),
        setPhase: (phase) => setPhase(ctx, phase),
        measure: (meta, job, options) => workerScenario(ctx, meta, job, options),
        onReport: (report) => results.push(report),
      });
    }
    // Last: a million voters in elections' database.
    if (settings.scenarios.includes('voter-import')) {
      setPhase(ctx, 'i');
      const report = await scenarioVoterImport({ settings, electionsUrl: stack.subgraphUrls.elections, elections: stack.dataSources.elections, token, pids, say, fail: (m) => new BenchFailure(m) });
      results.push({ ...report, diagnostics: diagnostics(ctx, 'i') });
    }
  } catch (error) {
    if (results.length) process.stdout.write(`\nmeasured before the failure:\n\n${table({ scenarios: finish() })}\n\n`);
    throw error;
  }

  machine.loadAverageAtEnd = loadavg().map((x) => round(x));
  const { writeResults: _w, label: _l, kafkaBrokers: _k, resultsDir: _r, ...shownSettings } = settings;
  const report: BenchReport = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: round((performance.now() - t0) / 1000, 1),
    machine,
    settings: { ...shownSettings, bus: infra.bus, nodeEnv: NODE_ENV ?? '' },
    dataset: {
      units: data.units.length,
      towns: data.towns.length,
      leaves: data.leaves.length,
      people: loaded.people.length,
      cycles: data.cycles.length,
      complaints: data.complaints.length,
      loadRequests: loaded.requests,
      loadSeconds: round(loaded.seconds, 1),
      loadRequestsPerSecond: round(loaded.requests / loaded.seconds, 0),
      peopleAtEnd: factory.count,
    },
    scenarios: finish(),
    load: diagnostics({ sql, infra, settings }, 'load'),
  };

  process.stdout.write(
    `\n${table(report)}\n\nserver side (calls per request × mean server ms; CPU in % of one core, ${machine.cpuCount} cores):\n\n${serverTable(report)}\n\n`,
  );
  process.stdout.write(`${slowSummary(report)}\n\n`);
  if (settings.writeResults) {
    const dir = settings.resultsDir ?? join(__dirname, 'results');
    const file = writeJson(dir, report);
    if (settings.resultsDir) {
      say(`wrote ${file} (RESULTS.md is only updated for the default results directory)`);
    } else {
      updateResultsMarkdown(join(__dirname, 'RESULTS.md'), report, basename(file));
      say(`wrote ${file} and updated RESULTS.md`);
    }
  }
}

/** What a run starts, stopped on Ctrl-C or SIGTERM as on any other way out (exit code 130). */
function closedOnSignals(): Closers {
  const closers = new Closers();
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping everything…`);
    void closers.closeAll(say).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return closers;
}

/** The report suite: issue 10's figures, the table and chart under bench/results/. */
async function reportMain(argv: string[]): Promise<void> {
  let settings: ReturnType<typeof parseReportArgs>;
  try {
    settings = parseReportArgs(argv);
  } catch (error) {
    say(`${error instanceof Error ? error.message : String(error)}\n\n${REPORT_USAGE}`);
    process.exit(2);
  }
  if (settings.help) {
    process.stdout.write(`${REPORT_USAGE}\n`);
    process.exit(0);
  }
  const machine = describeMachine(settings.label);
  say(`${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}; load average ${machine.loadAverageAtStart.join(' / ')}`);
  const closers = closedOnSignals();
  let code = 0;
  try {
    const report = await runReportSuite(settings, machine, closers, say);
    process.stdout.write(`\n${markdown(report)}\n`);
    if (settings.write) {
      const complete = settings.sections.length === SECTIONS.length && settings.operations.length === REPORT_OPERATION_IDS.length;
      // The report's table and chart live at the top of the repository (bench/results/), the scenario suite's JSON beside this file.
      const file = writeSuiteResults(settings.resultsDir ?? join(__dirname, '..', '..', 'bench', 'results'), report, complete);
      say(`wrote ${file}${complete ? ' and latest.md, latest.svg, latest.json' : ' (a partial run: latest.* left as they were)'}`);
    }
  } catch (error) {
    code = 1;
    say(`FAILED: ${error instanceof SuiteFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await closers.closeAll(say);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let scenarioSuite: boolean;
  try {
    scenarioSuite = wantsScenarioSuite(argv);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  if (!scenarioSuite) return reportMain(argv);
  let settings: BenchSettings;
  try {
    settings = loadSettings();
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  let othersAtStart: number | null = null;
  if (settings.waitIdleS > 0) othersAtStart = await waitForQuietMachine(settings.waitIdleS, 20, say);
  const machine = describeMachine(settings.label);
  if (othersAtStart !== null) machine.otherProcessesAtStartPercent = othersAtStart;
  say(
    `${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}; load average ${machine.loadAverageAtStart.join(' / ')}`,
  );
  const closers = closedOnSignals();
  let code = 0;
  try {
    await run(settings, machine, closers);
  } catch (error) {
    code = 1;
    say(
      `FAILED: ${error instanceof BenchFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    await closers.closeAll(say);
  }
  // Clients (KafkaJS, pg pools) are closed by now; don't wait for stray timers.
  process.exit(code);
}

void main();
