/**
 * The benchmark's knobs, all from the environment (BENCH_*). Every request loop is bounded both
 * in count and in time, so a slow machine ends early instead of running for ever.
 */
export interface BenchSettings {
  /** Villages and communities to create (the leaves of the org tree). */
  units: number;
  /** Villages/communities under each town or sub-district. */
  unitsPerTown: number;
  /** People registered in each village/community while loading. */
  peoplePerUnit: number;
  /** Requests in flight at once, per scenario. */
  concurrency: number;
  /** Requests in flight while loading the data set. */
  loadConcurrency: number;
  /** Un-measured requests before each scenario. */
  warmup: number;
  requests: {
    write: number;
    federated: number;
    subgraph: number;
  };
  /** Scenario e: villages/communities and people in the generated CSV register (Chengdu: 3,039 and 21,000). */
  importUnits: number;
  importPeople: number;
  /** Scenario g: sequential structureReport requests for the city, one district and one town. */
  reportRequests: { city: number; district: number; town: number };
  /** Scenario h: sequential transitionProgress requests for the city and one district. */
  progressRequests: { city: number; district: number };
  /** Scenario i: voters in the generated roll POSTed to elections /voters/import (Baoshan 2021: 1,000,746). */
  voterImportVoters: number;
  /** Sequential registerPerson → training record samples. */
  lagSamples: number;
  /** How often the lag probe looks for the training record (ms). */
  lagPollMs: number;
  /** Before starting, wait up to this long (s) for other processes to use < 20 % of a core. */
  waitIdleS: number;
  /** Upper bound on loading the data set (s); the run fails beyond it. */
  loadTimeLimitS: number;
  /** Upper bound on one scenario's measured loop (s); it stops early and says so. */
  scenarioTimeLimitS: number;
  /** Statements slower than this (ms) are collected as slow queries. */
  slowQueryMs: number;
  /** Seed of the data generator: same seed, same names and ID numbers. */
  seed: number;
  /** Which scenarios to run (all by default). */
  scenarios: ScenarioName[];
  /** Events through Kafka (BENCH_KAFKA=1 or KAFKA_BROKERS) instead of the in-process bus. */
  kafka: boolean;
  /** Existing brokers, when KAFKA_BROKERS is set; otherwise a local broker is started. */
  kafkaBrokers: string[];
  /** Write results/*.json and RESULTS.md (BENCH_WRITE=0 for a dry run). */
  writeResults: boolean;
  /** Where the JSON goes; RESULTS.md is updated only for the default (infra/bench/results). */
  resultsDir?: string;
  /** Overrides the machine label in the results file name. */
  label?: string;
  logLevel: 'silent' | 'warn';
}

export const SCENARIO_NAMES = ['write', 'federated', 'subgraph', 'lag', 'import', 'structure-report', 'progress-report', 'voter-import'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be 1/0 (or true/false), got ${JSON.stringify(raw)}`);
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const concurrency = int(env, 'BENCH_CONCURRENCY', 8, 1, 256);
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const scenarios = (env.BENCH_SCENARIOS ?? SCENARIO_NAMES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scenarios) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(s)) {
      throw new Error(`BENCH_SCENARIOS: unknown scenario ${JSON.stringify(s)}; known: ${SCENARIO_NAMES.join(', ')}`);
    }
  }
  const importUnits = int(env, 'BENCH_IMPORT_UNITS', 3039, 1, 20_000);
  const importPeople = int(env, 'BENCH_IMPORT_PEOPLE', 21_000, 0, 200_000);
  // Each unit's first five people are the ones its two committees can be seated from (import-dataset.ts).
  if (scenarios.includes('structure-report') && importPeople < 5 * importUnits) {
    throw new Error(
      `the structure-report scenario seats committees from every imported unit's people: BENCH_IMPORT_PEOPLE must be at least 5 × BENCH_IMPORT_UNITS (${5 * importUnits}), got ${importPeople}`,
    );
  }
  const label = env.BENCH_LABEL?.trim();
  if (label && !/^[A-Za-z0-9._-]{1,60}$/.test(label))
    throw new Error('BENCH_LABEL may hold only letters, digits, ".", "_" and "-" (max 60)');
  const logLevel = env.BENCH_LOG_LEVEL ?? 'warn';
  if (logLevel !== 'silent' && logLevel !== 'warn') throw new Error('BENCH_LOG_LEVEL must be silent or warn');
  return {
    units: int(env, 'BENCH_UNITS', 200, 1, 50_000),
    unitsPerTown: int(env, 'BENCH_UNITS_PER_TOWN', 20, 1, 199),
    peoplePerUnit: int(env, 'BENCH_PEOPLE_PER_UNIT', 5, 0, 200),
    concurrency,
    loadConcurrency: int(env, 'BENCH_LOAD_CONCURRENCY', concurrency, 1, 256),
    warmup: int(env, 'BENCH_WARMUP', 20, 0, 10_000),
    requests: {
      write: int(env, 'BENCH_REQUESTS_WRITE', 500, 1, 1_000_000),
      federated: int(env, 'BENCH_REQUESTS_FEDERATED', 200, 1, 1_000_000),
      subgraph: int(env, 'BENCH_REQUESTS_SUBGRAPH', 2000, 1, 1_000_000),
    },
    importUnits,
    importPeople,
    reportRequests: {
      city: int(env, 'BENCH_REPORT_REQUESTS_CITY', 20, 1, 10_000),
      district: int(env, 'BENCH_REPORT_REQUESTS_DISTRICT', 50, 1, 10_000),
      town: int(env, 'BENCH_REPORT_REQUESTS_TOWN', 100, 1, 10_000),
    },
    progressRequests: {
      city: int(env, 'BENCH_PROGRESS_REQUESTS_CITY', 50, 1, 10_000),
      district: int(env, 'BENCH_PROGRESS_REQUESTS_DISTRICT', 100, 1, 10_000),
    },
    voterImportVoters: int(env, 'BENCH_VOTERS', 1_000_746, 10, 10_000_000),
    lagSamples: int(env, 'BENCH_LAG_SAMPLES', 50, 1, 10_000),
    lagPollMs: int(env, 'BENCH_LAG_POLL_MS', 2, 1, 1000),
    waitIdleS: int(env, 'BENCH_WAIT_IDLE_S', 0, 0, 3600),
    loadTimeLimitS: int(env, 'BENCH_LOAD_TIME_LIMIT_S', 300, 1, 7200),
    scenarioTimeLimitS: int(env, 'BENCH_SCENARIO_TIME_LIMIT_S', 60, 1, 3600),
    slowQueryMs: int(env, 'BENCH_SLOW_QUERY_MS', 50, 1, 60_000),
    seed: int(env, 'BENCH_SEED', 20260104, 0, 2 ** 31 - 1),
    scenarios: scenarios as ScenarioName[],
    kafka: flag(env, 'BENCH_KAFKA', false) || brokers.length > 0,
    kafkaBrokers: brokers,
    writeResults: flag(env, 'BENCH_WRITE', true),
    ...(label ? { label } : {}),
    ...(env.BENCH_RESULTS_DIR ? { resultsDir: env.BENCH_RESULTS_DIR } : {}),
    logLevel,
  };
}
