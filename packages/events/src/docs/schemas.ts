import { z } from 'zod';
import { cloudEventTypeOf, topicOf, type EventDefinition } from '../catalogue/define-event';
import { exampleHeaders, examplePayload } from './examples';

/** The CloudEvents binary-mode headers every message carries (see DESIGN.md: Events). */
export const CLOUD_EVENT_HEADERS = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'unique event id; consumers de-duplicate on it' },
    ce_type: { type: 'string', description: 'huanjie.<service>.<EventName>' },
    ce_source: { type: 'string', description: '/huanjie/<service>' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_subject: { type: 'string', description: 'the aggregate id (also the Kafka key)' },
    'content-type': { type: 'string', const: 'application/json' },
  },
};

/**
 * zod's output schema closes every object (`additionalProperties: false`). The published schemas
 * leave objects open instead: adding an optional field is a compatible change (see
 * proto-docs/CONSUMING.md), so a consumer validating against the schema it was built with must
 * accept payloads that carry fields added since.
 */
function openObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as Record<string, unknown>)
      .filter(([k, v]) => !(k === 'additionalProperties' && v === false))
      .map(([k, v]) => [k, openObjects(v)]),
  );
}

/** The payload's JSON Schema (draft 2020-12) as generated from the zod contract. */
export function payloadSchemaOf(definition: EventDefinition): Record<string, unknown> {
  return openObjects(z.toJSONSchema(definition.schema, { target: 'draft-2020-12' })) as Record<string, unknown>;
}

/** JSON Schema (draft 2020-12) of one event's payload, generated from its zod contract. */
export function jsonSchemaOf(definition: EventDefinition): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://huanjie.example/schemas/${topicOf(definition)}/${definition.name}.json`,
    title: definition.name,
    description: definition.description,
    ...payloadSchemaOf(definition),
    $comment: `CloudEvents type ${cloudEventTypeOf(definition)} on topic ${topicOf(definition)}. Generated from packages/events; do not edit.`,
  };
}

/** A deterministic example message of one event: key, headers, payload. */
export function exampleMessageOf(definition: EventDefinition): { key: string; headers: Record<string, string>; payload: Record<string, unknown> } {
  const payload = examplePayload(payloadSchemaOf(definition), definition.name);
  const idField = payload[`${definition.aggregate}Id`];
  const key = typeof idField === 'string' ? idField : String(examplePayload({ type: 'string', format: 'uuid' }, `${definition.name}#key`));
  const headers = exampleHeaders({ type: cloudEventTypeOf(definition), source: `/huanjie/${definition.service}`, subject: key, seed: definition.name });
  return { key, headers, payload };
}
