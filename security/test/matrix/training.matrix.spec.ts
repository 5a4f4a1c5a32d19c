import { trainingProbes } from './training.probes';
import { describeMatrix } from './run-matrix';

describeMatrix('training', trainingProbes);
