import { parseArgs } from 'node:util';
import { REPORT_OPERATION_IDS, type ReportOperationId } from './report-operations';

/**
 * The options of the report suite (`npm run bench -- [options]`): the run behind README
 * "Performance" and bench/results/latest.md. The older scenario suite (a–i) runs with
 * `--suite scenarios` or whenever BENCH_SCENARIOS is set, with its BENCH_* knobs (README.md).
 */
export const SECTIONS = ['sql', 'compare', 'overhead', 'lag', 'relay', 'import'] as const;
export type Section = (typeof SECTIONS)[number];

export interface ReportSettings {
  /** city: infra/seed's 成都市; district: its 郫都区; auto: the city when its snapshot exists, else the district. */
  data: 'auto' | 'city' | 'district';
  /** infra/seed's seed number. */
  seed: number;
  /** Seconds per gateway per operation, measured (in two halves: ours, Hive, Hive, ours). */
  durationS: number;
  /** Un-measured seconds per gateway per operation before that. */
  warmupS: number;
  /** Connections (requests in flight) of the load generator. */
  connections: number;
  sections: Section[];
  operations: ReportOperationId[];
  /** Events through a Kafka broker (KAFKA_BROKERS or a local one); without it lag and relay are skipped. */
  kafka: boolean;
  kafkaBrokers: string[];
  relayEvents: number;
  /** Rows per relay batch (and per raw producer batch); default: the relay's default. */
  relayBatch?: number;
  lagSamples: number;
  importUnits: number;
  importPeople: number;
  voters: number;
  /** After the register import, wait at most this long for training to open every file. */
  catchUpS: number;
  /** Write bench/results/ (off: print only). */
  write: boolean;
  resultsDir?: string;
  label?: string;
}

export const REPORT_USAGE = `usage: npm run bench -- [options]      (the report suite; --suite scenarios for the a–i scenarios)
  --data city|district|auto   data set from infra/seed; the city is built on first use (12–25 min on
                              2 cores: every term, nomination and review through the gateway), then
                              copied; auto: the city if built, else the district (built in ~1 min)   default: city (--quick: auto)
  --build-city                with --data auto: build the city if missing
  --seed N                    infra/seed's seed                                                        default: 1
  --duration S                measured seconds per gateway per operation                               default: 10
  --warmup S                  warm-up seconds per gateway per operation                                default: 3
  --connections N             requests in flight                                                       default: 8
  --only a,b                  sections: ${SECTIONS.join(', ')}                         default: all
  --ops a,b                   operations: ${REPORT_OPERATION_IDS.join(', ')}     default: all
  --no-kafka                  in-process events (skips lag and relay)
  --relay-events N            outbox rows for the relay throughput                                     default: 50000
  --relay-batch N             rows per relay batch                                                     default: the relay's (500)
  --lag-samples N             registrations for the end-to-end event latency                           default: 50
  --import-people N           people in the register import (over --import-units units)               default: 21000
  --import-units N                                                                                     default: 3039
  --voters N                  voters in the roll import                                                default: 1000746
  --catch-up S                after the register import, wait at most S s for training's files         default: 60
  --no-write                  print the table only; write nothing under bench/results/
  --quick                     --duration 4 --warmup 1 --relay-events 10000 --voters 100000 --import-people 5000 --import-units 1000
  KAFKA_BROKERS=host:port     use that broker instead of starting infra/kafka's`;

function int(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${value}`);
  return n;
}

function list<T extends string>(value: string | undefined, name: string, known: readonly T[]): T[] {
  if (value === undefined) return [...known];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!(known as readonly string[]).includes(item)) throw new Error(`--${name}: unknown ${JSON.stringify(item)}; known: ${known.join(', ')}`);
  return items as T[];
}

export function parseReportArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ReportSettings & { help: boolean; buildCity: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      data: { type: 'string' },
      'build-city': { type: 'boolean', default: false },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      ops: { type: 'string' },
      'no-kafka': { type: 'boolean', default: false },
      'relay-events': { type: 'string' },
      'relay-batch': { type: 'string' },
      'lag-samples': { type: 'string' },
      'import-people': { type: 'string' },
      'import-units': { type: 'string' },
      voters: { type: 'string' },
      'catch-up': { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const data = values.data ?? (quick ? 'auto' : 'city');
  if (data !== 'auto' && data !== 'city' && data !== 'district') throw new Error(`--data must be auto, city or district, got ${data}`);
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const importUnits = int(values['import-units'], 'import-units', quick ? 1000 : 3039, 12, 5000);
  const label = env.BENCH_LABEL?.trim();
  if (label && !/^[A-Za-z0-9._-]{1,60}$/.test(label)) throw new Error('BENCH_LABEL may hold only letters, digits, ".", "_" and "-" (max 60)');
  const relayBatch = values['relay-batch'] === undefined ? undefined : int(values['relay-batch'], 'relay-batch', 200, 1, 10_000);
  return {
    help: values.help,
    buildCity: values['build-city'],
    data,
    seed: int(values.seed, 'seed', 1, 0, 0xffffffff),
    durationS: int(values.duration, 'duration', quick ? 4 : 10, 2, 600),
    warmupS: int(values.warmup, 'warmup', quick ? 1 : 3, 0, 120),
    connections: int(values.connections, 'connections', 8, 1, 256),
    sections: list(values.only, 'only', SECTIONS),
    operations: list(values.ops, 'ops', REPORT_OPERATION_IDS),
    kafka: !values['no-kafka'],
    kafkaBrokers: brokers,
    relayEvents: int(values['relay-events'], 'relay-events', quick ? 10_000 : 50_000, 100, 5_000_000),
    ...(relayBatch ? { relayBatch } : {}),
    lagSamples: int(values['lag-samples'], 'lag-samples', 50, 1, 10_000),
    importUnits,
    importPeople: int(values['import-people'], 'import-people', quick ? 5000 : 21_000, importUnits, 200_000),
    voters: int(values.voters, 'voters', quick ? 100_000 : 1_000_746, 10, 10_000_000),
    catchUpS: int(values['catch-up'], 'catch-up', quick ? 15 : 60, 0, 3600),
    write: !values['no-write'],
    ...(env.BENCH_RESULTS_DIR ? { resultsDir: env.BENCH_RESULTS_DIR } : {}),
    ...(label ? { label } : {}),
  };
}

/** The a–i scenario suite instead: `--suite scenarios`, or BENCH_SCENARIOS in the environment. */
export function wantsScenarioSuite(argv: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const i = argv.indexOf('--suite');
  const named = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--suite='))?.slice('--suite='.length);
  if (named !== undefined && named !== 'scenarios' && named !== 'report') throw new Error(`--suite must be report or scenarios, got ${named}`);
  return named === 'scenarios' || (named === undefined && Boolean(env.BENCH_SCENARIOS));
}
