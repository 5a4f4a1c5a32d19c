import type { z } from 'zod';

/**
 * One event type in the catalogue. The zod schema is the single source of truth: producers
 * validate against it before writing to the outbox, consumers parse with it, and the JSON Schema
 * and AsyncAPI documents in proto-docs/ are generated from it.
 */
export interface EventDefinition<S extends z.ZodObject = z.ZodObject> {
  /** e.g. 'PersonRegistered'. */
  name: string;
  /** The owning service, e.g. 'personnel'. */
  service: string;
  /** The aggregate whose id keys the Kafka message, e.g. 'person'. */
  aggregate: string;
  /** Major version of the topic. */
  version: number;
  /** What happened, in the words of the domain (Chinese term and English gloss). */
  description: string;
  schema: S;
  /** Services that consume it (documentation; the AsyncAPI document lists them). */
  consumers: string[];
}

export function defineEvent<S extends z.ZodObject>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

/** `<service>.<aggregate>.v<major>`: one topic per aggregate, keyed by the aggregate id. */
export function topicOf(definition: Pick<EventDefinition, 'service' | 'aggregate' | 'version'>): string {
  return `${definition.service}.${definition.aggregate}.v${definition.version}`;
}

/** CloudEvents `type`: reverse-DNS-like and stable across topic versions of the same name. */
export function cloudEventTypeOf(definition: Pick<EventDefinition, 'service' | 'name'>): string {
  return `huanjie.${definition.service}.${definition.name}`;
}
