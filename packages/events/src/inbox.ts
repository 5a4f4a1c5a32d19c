import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { PermanentError, type EventHandler, type SubscribeOptions } from './bus';
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
    await options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [options.consumer, event.id],
      );
      if (inserted.length === 0) return; // already handled
      await options.handle(parsed.data as z.output<S>, manager, { ...event, data: parsed.data as z.output<S> });
    });
  };
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
