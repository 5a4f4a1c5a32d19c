import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { z } from 'zod';
import { cloudEventTypeOf, topicOf, type EventDefinition } from './catalogue/define-event';
import type { EventEnvelope } from './envelope';

/**
 * Writes an event into the outbox inside the caller's transaction, so the state change and the
 * event commit together or not at all. The payload is validated against the catalogue schema
 * first: an event that breaks its contract is a bug and never leaves the service.
 */
export async function recordEvent<S extends z.ZodObject>(
  manager: EntityManager,
  definition: EventDefinition<S>,
  input: { subject: string; data: z.input<S>; id?: string; time?: Date },
): Promise<EventEnvelope<z.output<S>>> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`recordEvent(${definition.name}) must run inside the transaction of the state change`);
  }
  const event = envelopeOf(definition, input);
  const traceparent = activeTraceparent();
  await manager.query(
    `INSERT INTO outbox (id, topic, type, source, subject, payload, occurred_at, traceparent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [event.id, event.topic, event.type, event.source, event.subject, JSON.stringify(event.data), event.time, traceparent],
  );
  return traceparent ? { ...event, traceparent } : event;
}

/**
 * Many events of one kind in one statement, for bulk writes (e.g. a CSV import): each validated
 * and enveloped exactly as recordEvent does, written in the caller's transaction in the order
 * given (the outbox's seq keeps it).
 */
export async function recordEvents<S extends z.ZodObject>(
  manager: EntityManager,
  definition: EventDefinition<S>,
  inputs: readonly { subject: string; data: z.input<S>; id?: string; time?: Date }[],
): Promise<EventEnvelope<z.output<S>>[]> {
  if (inputs.length === 0) return [];
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`recordEvents(${definition.name}) must run inside the transaction of the state change`);
  }
  const traceparent = activeTraceparent();
  const events = inputs.map((input) => envelopeOf(definition, input));
  // One JSON parameter rather than 7 per row: no limit on the batch from the 65,535 bind parameters.
  await manager.query(
    `INSERT INTO outbox (id, topic, type, source, subject, payload, occurred_at, traceparent)
     SELECT id, topic, type, source, subject, payload, occurred_at, $2
       FROM jsonb_to_recordset($1::jsonb)
         AS r(id uuid, topic text, type text, source text, subject text, payload jsonb, occurred_at timestamptz)`,
    [
      JSON.stringify(
        events.map((e) => ({ id: e.id, topic: e.topic, type: e.type, source: e.source, subject: e.subject, payload: e.data, occurred_at: e.time })),
      ),
      traceparent,
    ],
  );
  return traceparent ? events.map((e) => ({ ...e, traceparent })) : events;
}

/** The W3C traceparent of the active span (the request or consumer span), or null outside any trace. */
function activeTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * Builds the envelope of an event, validating the payload against its contract. `recordEvent`
 * uses it; tests and tools use it to put a well-formed event on a topic directly.
 */
export function envelopeOf<S extends z.ZodObject>(
  definition: EventDefinition<S>,
  input: { subject: string; data: z.input<S>; id?: string; time?: Date },
): EventEnvelope<z.output<S>> {
  return {
    id: input.id ?? randomUUID(),
    type: cloudEventTypeOf(definition),
    name: definition.name,
    source: `/huanjie/${definition.service}`,
    time: (input.time ?? new Date()).toISOString(),
    subject: input.subject,
    topic: topicOf(definition),
    data: definition.schema.parse(input.data) as z.output<S>,
  };
}

/** The trace context column of the outbox (events recorded before it have none). Every service lists it after the tables. */
export class AddOutboxTraceparent1700000000002 implements MigrationInterface {
  name = 'AddOutboxTraceparent1700000000002';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN traceparent text`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN traceparent`);
  }
}

/** The outbox and inbox tables; every service lists this migration with its own. */
export class CreateOutboxAndInbox1700000000001 implements MigrationInterface {
  name = 'CreateOutboxAndInbox1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox`);
  }
}
