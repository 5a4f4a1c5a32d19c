// Runs before jest (`npm test`): make sure the local Kafka jars are present, so the test global
// setup can start a broker without Docker. Skipped when KAFKA_BROKERS names an existing broker.
// No Docker detection here: fetching jars is harmless when Testcontainers ends up being used.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.KAFKA_BROKERS) process.exit(0);

const kafkaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'kafka');

// fetch.sh is idempotent itself; this check only decides whether to announce a slow download.
if (!existsSync(join(kafkaDir, 'lib', '.stamp'))) {
  console.log('ensure-kafka: fetching Kafka 3.9.1 jars with Maven into infra/kafka/lib (first run, about a minute)');
}
const res = spawnSync(join(kafkaDir, 'fetch.sh'), { stdio: 'inherit' });
if (res.error || res.status !== 0) {
  // Warn, don't fail: a machine with Docker (Testcontainers) needs neither Java nor Maven. If the
  // local broker is needed after all, the jest global setup fails with start.sh's message.
  console.warn(
    `ensure-kafka: infra/kafka/fetch.sh failed (${res.error?.message ?? `exit ${res.status}`}); ` +
      'the local Kafka broker will be unavailable (needs Java 17+ and Maven) unless Docker or KAFKA_BROKERS is used',
  );
}
