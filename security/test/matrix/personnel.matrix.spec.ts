import { personnelProbes } from './personnel.probes';
import { describeMatrix } from './run-matrix';

describeMatrix('personnel', personnelProbes);
