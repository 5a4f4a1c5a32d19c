import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
  const { port } = await launchLocal({});
  return {
    brokers: `127.0.0.1:${port}`,
    kind: 'local',
    stop: async () => {
      await run(join(kafkaDir(), 'stop.sh'), { KAFKA_PORT: String(port) });
    },
  };
}

/** Runs start.sh on free ports (retried when a port is taken between probe and bind). */
async function launchLocal(options: { dataDir?: string }): Promise<{ port: number; controllerPort: number }> {
  const dir = kafkaDir();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // The OS may hand back the port it just freed: ask again until the two differ.
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    try {
      await run(join(dir, 'start.sh'), localEnv(port, controllerPort, options.dataDir));
    } catch (error) {
      if (attempt < 3 && /already in use/.test(String(error))) continue;
      throw error;
    }
    return { port, controllerPort };
  }
}

const localEnv = (port: number, controllerPort: number, dataDir?: string): NodeJS.ProcessEnv => ({
  KAFKA_PORT: String(port),
  KAFKA_CONTROLLER_PORT: String(controllerPort),
  ...(dataDir ? { KAFKA_DATA_DIR: dataDir } : {}),
  // start.sh's watchdog kills the broker (and removes its data) if this process dies without stop().
  KAFKA_OWNER_PID: String(process.pid),
});

/** A broker of the caller's own, which it may take down and bring back (fault tests). */
export interface OwnKafkaHandle extends KafkaHandle {
  kind: 'local';
  /** Whether the broker runs (false between halt() and resume()). */
  readonly running: boolean;
  /** Stops the broker (a clean shutdown), keeping its port and data for resume(). */
  halt(): Promise<void>;
  /** Starts it again on the same ports with the same data: topics, committed offsets and producer state survive. */
  resume(): Promise<void>;
}

/**
 * A second local broker beside the run's shared one, always a JVM from infra/kafka (whatever
 * KAFKA_BROKERS or Docker offer), on its own free ports and data dir: stopping it disturbs no other
 * test file. Needs Java 17, like the local broker of the run.
 */
export async function startOwnKafka(): Promise<OwnKafkaHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), 'huanjie-own-kafka-'));
  let ports: { port: number; controllerPort: number };
  try {
    ports = await launchLocal({ dataDir });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { port, controllerPort } = ports;
  const stopScript = (keep: boolean) => run(join(kafkaDir(), 'stop.sh'), { KAFKA_PORT: String(port), ...(keep ? { KAFKA_KEEP_DATA: '1' } : {}) });
  let running = true;
  return {
    brokers: `127.0.0.1:${port}`,
    kind: 'local',
    get running() {
      return running;
    },
    async halt() {
      if (!running) return;
      await stopScript(true);
      running = false;
    },
    async resume() {
      if (running) return;
      await run(join(kafkaDir(), 'start.sh'), localEnv(port, controllerPort, dataDir));
      running = true;
    },
    async stop() {
      if (running) await stopScript(false);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
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
