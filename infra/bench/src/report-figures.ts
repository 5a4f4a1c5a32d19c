// The report suite's figures, as the JSON under bench/results/ holds them and report-output.ts
// writes them (report-suite.ts measures them).
import type { RelayBenchResult } from './relay-scenario';
import type { MachineInfo } from './report';
import type { ReportSettings } from './report-config';
import type { ReportOperationId } from './report-operations';

/** One gateway (or the subgraph) under one operation's load: the ABBA halves merged. */
export interface LoadFigures {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  bytesPerAnswer: number;
  /** % of one core during the measured seconds: gateway (its process), node (this process: subgraphs + load generator), postgres, others. */
  cpuPercent: Record<string, number>;
}

export interface OperationComparison {
  id: ReportOperationId;
  title: string;
  subgraphs: string[];
  targets: number;
  targetKind: string;
  ours: LoadFigures;
  hive: LoadFigures;
  /** ours ÷ Hive: throughput above 1 and latency below 1 favour ours. */
  ratio: { rps: number; p50: number; p99: number };
}

export interface SqlCount {
  id: ReportOperationId;
  /** What the two requests asked for: a small answer and a large one. */
  sizes: [string, string];
  /** Work statements summed over the subgraphs, per request: [small, large]. */
  ours: [number, number];
  hive: [number, number];
  bySubgraph: Record<string, [number, number]>;
  /** Subgraph fetches of one request (the plan's fan-out): [small, large]. */
  fetches: { ours: [number, number]; hive: [number, number] };
  /** EXPLAIN ANALYZE of the large request's statements (via ours), run again on the same data. */
  explain: ExplainSummary;
}

export interface ExplainSummary {
  statements: number;
  /** PostgreSQL's execution time summed over the statements (ms). */
  executionMs: number;
  slowestMs: number;
  slowest: string;
  /** Sequential scans that read more than 1,000 rows: `<service>.<table> (<rows read>)`. */
  seqScans: string[];
}

export interface OverheadFigures {
  operation: string;
  direct: LoadFigures;
  ours: LoadFigures;
  hive: LoadFigures;
  /** Throughput through the gateway ÷ straight to the subgraph. */
  oursRatio: number;
  hiveRatio: number;
  /** p50 through the gateway − straight (ms). */
  oursAddedP50Ms: number;
  hiveAddedP50Ms: number;
}

export interface LagFigures {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** registerPerson alone through our gateway (the write that commits the event), p50 ms. */
  writeP50: number;
  pollMs: number;
}

export interface ImportFigures {
  people: {
    rows: number;
    people: number;
    seconds: number;
    rowsPerSecond: number;
    peoplePerSecond: number;
    peakRssMiB: number;
    rssAtStartMiB: number;
    /** Seconds after the import until training had a record for everyone; null: not within --catch-up. */
    trainingCaughtUpS: number | null;
    trainingFilesOpened: number;
    /** Training files opened a second, from the import's first byte to the last count. */
    trainingFilesPerSecond: number;
  };
  voters: { voters: number; seconds: number; linesPerSecond: number; peakRssMiB: number; rssAtStartMiB: number };
}

export interface SuiteReport {
  version: 1;
  kind: 'report';
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: MachineInfo;
  settings: Omit<ReportSettings, 'kafkaBrokers' | 'resultsDir' | 'label' | 'write'> & { bus: string; nodeEnv: string; hiveGateway: string };
  dataset: {
    source: string;
    scale: string;
    seed: number;
    digest: string;
    counts: Record<string, unknown>;
    snapshotBuiltSeconds: number;
    copySeconds: number;
    note: string;
  };
  sql?: SqlCount[];
  compare?: OperationComparison[];
  overhead?: OverheadFigures;
  lag?: LagFigures;
  relay?: RelayBenchResult;
  imports?: ImportFigures;
  /** Each gateway process's resident memory at the end and at its peak (MiB). */
  gatewayMemoryMiB: Record<string, { rss: number; peak: number } | null>;
  notes: string[];
}
