import { vettingProbes } from './vetting.probes';
import { describeMatrix } from './run-matrix';

describeMatrix('vetting', vettingProbes);
