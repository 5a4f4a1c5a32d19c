import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { describeError, PermanentError, UnavailableError, type EventHandler, type SubscribeOptions } from './bus';
import { topicOf, type EventDefinition } from './catalogue/define-event';
import type { EventEnvelope } from './envelope';

export interface InboxHandlerOptions<S extends z.ZodObject> {
  dataSource: DataSource;
  /** Names this consumer in the inbox, e.g. 'training.person-registered'. */
  consumer: string;
  /** The event this handler takes; others on the same topic are skipped. */
  event: EventDefinition<S>;
  /** The effect, run in one transaction with the inbox row. */
  handle: (data: z.output<S>, manager: EntityManager, event: EventEnvelope<z.output<S>>) => Promise<void>;
}

/**
 * Makes a handler idempotent: the event id is recorded in `inbox` in the same transaction as
 * the effect, so a redelivered event (Kafka is at-least-once) finds its id and changes nothing.
 */
export function createInboxHandler<S extends z.ZodObject>(options: InboxHandlerOptions<S>): EventHandler {
  return async (event: EventEnvelope) => {
    if (event.name !== options.event.name) return;
    const parsed = options.event.schema.safeParse(event.data);
    if (!parsed.success) {
      throw new PermanentError(
        `${event.name} ${event.id} breaks its contract: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    try {
      await options.dataSource.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
          [options.consumer, event.id],
        );
        if (inserted.length === 0) return; // already handled
        await options.handle(parsed.data as z.output<S>, manager, { ...event, data: parsed.data as z.output<S> });
      });
    } catch (error) {
      // The database away is no fault of the event: wait for it rather than dead-letter the event.
      if (isDatabaseUnavailable(error)) throw new UnavailableError(`${options.consumer}: the database is unavailable (${describeError(error)})`, { cause: error });
      throw error;
    }
  };
}

/** SQLSTATEs of a server that is away or going: connection exceptions (class 08), shutdown, starting up, full. */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
/** Node's network errors on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What pg, pg-pool and the platform's query guard say when the connection is gone or never came. */
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|database query timeout|not queryable|Client was closed/i;

/**
 * Whether an error says the database cannot be reached now (rather than that the statement is
 * wrong): a connection refused, reset or timed out, the server shutting down or starting up.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || NETWORK_CODES.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    // An AggregateError (every address of a host refused) carries the errors inside.
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    const next = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
    e = next;
  }
  return false;
}

/**
 * One consumer of one event type as a subscription: its consumer group and its inbox name are
 * the same string, and the topic is the event's own.
 */
export function inboxSubscription<S extends z.ZodObject>(options: InboxHandlerOptions<S> & Pick<SubscribeOptions, 'maxAttempts' | 'retryDelayMs'>): SubscribeOptions {
  return {
    group: options.consumer,
    topics: [topicOf(options.event)],
    handler: createInboxHandler(options),
    maxAttempts: options.maxAttempts,
    retryDelayMs: options.retryDelayMs,
  };
}
