import type { SeedData } from '../generate/types';
import type { Graph } from './graph';
import type { Progress } from './progress';

/** What every step of the load works with. */
export interface LoadContext {
  graph: Graph;
  data: SeedData;
  /** Mutations in flight at once. */
  concurrency: number;
  /** A progress line for a step of `total` items (silent in tests). */
  progress(label: string, total: number): Progress;
}
