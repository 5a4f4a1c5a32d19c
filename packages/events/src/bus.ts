import type { EventEnvelope } from './envelope';

/** Handles one event. Throwing means "try again"; a PermanentError goes straight to the dead-letter topic. */
export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group, e.g. 'training.person-registered'. One group sees each event once. */
  group: string;
  /** Logical topics, e.g. ['personnel.person.v1']. */
  topics: string[];
  handler: EventHandler;
  /** Attempts before the event goes to `<topic>.dlq`. Default: 5. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. Default: 200 ms. */
  retryDelayMs?: number;
  /** Told of every event this group sent to the dead-letter topic (metrics). */
  onDeadLetter?: (topic: string, error: unknown) => void;
  /**
   * Partitions handled at the same time (Kafka; the in-process bus delivers one at a time). Events
   * of one key (one aggregate) stay in order whatever the value; raise it only for a handler whose
   * events of different keys never touch the same rows. Default: 1.
   */
  partitionsConcurrently?: number;
}

/** How far a consumer group is behind on one partition: the newest offset minus the group's committed one. */
export interface ConsumerLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * Where events go after the outbox. Kafka in production; an in-process bus when every service
 * runs in one process without KAFKA_BROKERS. The same delivery rules hold for both.
 */
export interface EventBus {
  readonly kind: 'kafka' | 'in-process';
  /** Publishes events in order; resolves once the bus has accepted all of them. */
  publish(events: EventEnvelope[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Creates the topics (and their .dlq twins) if missing. A no-op in process. */
  ensureTopics(topics: string[]): Promise<void>;
  /** The lag of the given groups on their topics, for metrics (Kafka: from the broker's offsets). */
  consumerLag(groups: readonly { group: string; topics: readonly string[] }[]): Promise<ConsumerLag[]>;
  close(): Promise<void>;
}

/** Thrown by a handler for an event that can never succeed (invalid payload): no retries. */
export class PermanentError extends Error {
  readonly permanent = true;
}

export function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/**
 * Thrown by a handler when what it needs is away (its database restarting, unreachable): nothing is
 * wrong with the event, so it is tried again, however long that takes, and never dead-lettered.
 * The group waits on it (later events of its partition wait behind it, in order).
 */
export class UnavailableError extends Error {
  readonly transient = true;
}

export function isTransient(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { transient?: unknown }).transient === true;
}

export const dlqTopic = (topic: string) => `${topic}.dlq`;

/**
 * Runs the handler with exponential backoff. Resolves with the last error when every attempt
 * failed (or at once for a permanent error), or null on success. A transient error (UnavailableError)
 * does not count as an attempt: it is retried, backing off to `maxRetryDelayMs`, until the handler
 * succeeds or fails otherwise — or until `signal` aborts (the consumer closing), when the transient
 * error is thrown, for the event to be delivered again later.
 */
export async function deliverWithRetry(
  handler: EventHandler,
  event: EventEnvelope,
  options: {
    maxAttempts?: number;
    retryDelayMs?: number;
    /** Longest wait between tries of an event whose handler keeps meeting a transient error. Default: 5 s. */
    maxRetryDelayMs?: number;
    sleep?: (ms: number) => Promise<void>;
    signal?: AbortSignal;
    /** Told of each transient failure, with how many in a row (for a log line). */
    onTransient?: (error: unknown, times: number) => void;
  } = {},
): Promise<{ error: unknown; attempts: number } | null> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelay = options.retryDelayMs ?? 200;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let attempt = 0;
  let unavailable = 0;
  for (;;) {
    attempt++;
    try {
      await handler(event);
      return null;
    } catch (error) {
      if (isTransient(error) && !isPermanent(error)) {
        if (options.signal?.aborted) throw error;
        attempt--;
        unavailable++;
        options.onTransient?.(error, unavailable);
        await sleep(Math.min(maxDelay, baseDelay * 2 ** Math.min(unavailable - 1, 16)));
        continue;
      }
      if (isPermanent(error) || attempt >= maxAttempts) return { error, attempts: attempt };
      await sleep(baseDelay * 2 ** (attempt - 1));
    }
  }
}

export function describeError(error: unknown): string {
  // Only the message: stack traces and SQL parameters may carry personal data.
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
