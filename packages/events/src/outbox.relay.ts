import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { EventBus } from './bus';
import { nameFromType, type EventEnvelope } from './envelope';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  /** Rows per publish. Default: OUTBOX_BATCH_SIZE. */
  batchSize?: number;
  /** How often to look for new rows when not nudged. Default: 250 ms. */
  pollIntervalMs?: number;
  /** Longest wait between attempts after the bus failed. Default: 10 s. */
  maxBackoffMs?: number;
  /** Told the topics of each published batch (metrics). */
  onPublished?: (topics: readonly string[]) => void;
}

interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  type: string;
  source: string;
  subject: string;
  payload: unknown;
  occurred_at: Date;
  traceparent: string | null;
}

/**
 * Rows per batch: one transaction and one Kafka produce request each. 500 published about 25 % more
 * events a second than 200 on the bench machine (`npm run bench`, "Events"); 1,000 no more than 500.
 * The largest event is under 1 KB, so even a batch whose events all share one key (one partition)
 * stays well under the broker's 1 MiB limit on a record batch.
 */
export const OUTBOX_BATCH_SIZE = 500;

// One relay publishes for a database at a time, so per-aggregate order survives several replicas.
const RELAY_LOCK_KEY = 7_204_113;

/**
 * Publishes committed outbox rows in order, marks them published in the same transaction, and
 * backs off while the bus is down (nothing is lost: unpublished rows simply wait).
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private failures = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.loop();
  }

  /** Ask for a publish now (after a commit) instead of at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.nudge();
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Publishes one batch; returns how many rows went out. Exposed for tests and tools. */
  async publishBatch(): Promise<number> {
    const { dataSource, bus } = this.options;
    const limit = this.options.batchSize ?? OUTBOX_BATCH_SIZE;
    let topics: string[] = [];
    const count = await dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK_KEY]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT seq, id, topic, type, source, subject, payload, occurred_at, traceparent
           FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const events: EventEnvelope[] = rows.map((r) => ({
        id: r.id,
        type: r.type,
        name: nameFromType(r.type),
        source: r.source,
        subject: r.subject,
        topic: r.topic,
        time: new Date(r.occurred_at).toISOString(),
        data: r.payload,
        ...(r.traceparent ? { traceparent: r.traceparent } : {}),
      }));
      await bus.publish(events);
      await manager.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      topics = rows.map((r) => r.topic);
      return rows.length;
    });
    // Counted once the batch is marked published for good (committed).
    if (topics.length) this.options.onPublished?.(topics);
    return count;
  }

  private async loop(): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 250;
    const maxBackoff = this.options.maxBackoffMs ?? 10_000;
    while (!this.stopped) {
      this.running = true;
      let published = 0;
      try {
        published = await this.publishBatch();
        if (this.failures) this.options.logger.info({ afterFailures: this.failures }, 'outbox relay recovered');
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error), failures: this.failures },
          'outbox relay could not publish; will retry',
        );
      } finally {
        this.running = false;
      }
      if (this.stopped) break;
      if (published > 0 && this.failures === 0) continue; // more may be waiting
      const delay = this.failures ? Math.min(maxBackoff, poll * 2 ** this.failures) : poll;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, delay);
      });
      if (this.timer) clearTimeout(this.timer);
      this.wake = null;
    }
  }
}
