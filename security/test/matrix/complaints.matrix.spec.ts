import { complaintsProbes } from './complaints.probes';
import { describeMatrix } from './run-matrix';

describeMatrix('complaints', complaintsProbes);
