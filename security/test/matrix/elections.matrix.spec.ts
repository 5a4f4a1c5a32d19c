import { electionsProbes } from './elections.probes';
import { describeMatrix } from './run-matrix';

describeMatrix('elections', electionsProbes);
