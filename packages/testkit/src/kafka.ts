import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Admin, ITopicConfig } from 'kafkajs';
import { dockerAvailable, freePort } from './runtime';
import { waitFor } from './wait';

export interface KafkaHandle {
  /** Comma-separated bootstrap servers, e.g. "127.0.0.1:39092". */
  brokers: string;
  kind: 'external' | 'testcontainers' | 'local';
  stop(): Promise<void>;
}

/** Confluent 7.9 ships Apache Kafka 3.9, the same line as the local broker (infra/kafka). */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';

/**
 * One Kafka broker for tests: KAFKA_BROKERS if set; else a Testcontainers broker when a Docker
 * engine answers; else a local JVM broker from infra/kafka (jars via Maven, no Docker).
 */
export async function startKafka(): Promise<KafkaHandle> {
  const external = process.env.KAFKA_BROKERS;
  if (external) return { brokers: external, kind: 'external', stop: async () => {} };
  if (await dockerAvailable()) return startContainer();
  return startLocal();
}

async function startContainer(): Promise<KafkaHandle> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE)
    .withKraft()
    // Same behaviour as the local broker: topics must be created explicitly.
    .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '3' })
    .start();
  return {
    // 9093 is the container's PLAINTEXT listener advertised to the host.
    brokers: `${container.getHost()}:${container.getMappedPort(9093)}`,
    kind: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

/** infra/kafka of this repository; HUANJIE_KAFKA_DIR overrides (e.g. a shared checkout). */
function kafkaDir(): string {
  const dir = process.env.HUANJIE_KAFKA_DIR ?? resolve(__dirname, '..', '..', '..', 'infra', 'kafka');
  if (!existsSync(join(dir, 'start.sh'))) throw new Error(`startKafka: no start.sh in ${dir}`);
  return dir;
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(script, [], { env: { ...process.env, ...env }, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed (${error.code ?? error.signal}):\n${stderr || stdout}`));
      else resolvePromise(stdout);
    });
  });
}

async function startLocal(): Promise<KafkaHandle> {
  const dir = kafkaDir();
  // A free port may be taken between probing and binding; start.sh refuses busy ports, so retry.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // The OS may hand back the port it just freed: ask again until the two differ.
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    const env = {
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      // start.sh's watchdog kills the broker if this process dies without calling stop().
      KAFKA_OWNER_PID: String(process.pid),
    };
    try {
      await run(join(dir, 'start.sh'), env);
    } catch (error) {
      if (attempt < 3 && /already in use/.test(String(error))) continue;
      throw error;
    }
    return {
      brokers: `127.0.0.1:${port}`,
      kind: 'local',
      stop: async () => {
        await run(join(dir, 'stop.sh'), { KAFKA_PORT: String(port) });
      },
    };
  }
}

/**
 * Creates topics (existing ones are left alone) and returns once every partition has a leader.
 * KafkaJS's own `waitForLeaders` is not enough against KRaft brokers: right after CreateTopics
 * the broker may answer metadata with UNKNOWN_TOPIC_OR_PARTITION, which KafkaJS does not retry
 * (tulios/kafkajs#815, #1563), so poll the metadata ourselves.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], { timeoutMs = 30_000 } = {}): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  const names = topics.map((t) => t.topic);
  await waitFor(
    async () => {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      return found.length === names.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    },
    { timeoutMs, intervalMs: 100, message: `leaders for topics ${names.join(', ')}` },
  );
}
