export { generate } from './generate/generate';
export { countsOf, digestOf, type SeedCounts } from './generate/digest';
export type * from './generate/types';
