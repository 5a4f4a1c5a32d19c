import { z } from 'zod';
import { cloudEventTypeOf, topicOf, type EventDefinition } from '../catalogue/define-event';
import { dlqTopic } from '../bus';

/** The CloudEvents binary-mode headers every message carries (see DESIGN.md: Events). */
const CLOUD_EVENT_HEADERS = {
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

/** JSON Schema (draft 2020-12) of one event's payload, generated from its zod contract. */
export function jsonSchemaOf(definition: EventDefinition): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://huanjie.example/schemas/${topicOf(definition)}/${definition.name}.json`,
    title: definition.name,
    description: definition.description,
    ...(z.toJSONSchema(definition.schema, { target: 'draft-2020-12' }) as Record<string, unknown>),
    $comment: `CloudEvents type ${cloudEventTypeOf(definition)} on topic ${topicOf(definition)}. Generated from packages/events; do not edit.`,
  };
}

/** The AsyncAPI 3.0 document of every topic: who sends, who receives, the payloads, the dead-letter twins. */
export function asyncApiOf(catalogue: readonly EventDefinition[]): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const def of catalogue) {
    const topic = topicOf(def);
    const channelId = topic.replace(/\./g, '_');
    messages[def.name] = {
      name: def.name,
      title: def.name,
      summary: def.description,
      contentType: 'application/json',
      headers: CLOUD_EVENT_HEADERS,
      payload: z.toJSONSchema(def.schema, { target: 'draft-2020-12' }),
      bindings: { kafka: { key: { type: 'string', description: `${def.aggregate} id` }, bindingVersion: '0.5.0' } },
    };
    const channel = (channels[channelId] ??= {
      address: topic,
      description: `${def.service}: one topic per ${def.aggregate}, keyed by its id (order per ${def.aggregate}). Dead letters go to ${dlqTopic(topic)}.`,
      messages: {},
      bindings: { kafka: { partitions: 3, replicas: 1, topicConfiguration: { 'cleanup.policy': ['delete'] }, bindingVersion: '0.5.0' } },
    }) as { messages: Record<string, unknown> };
    channel.messages[def.name] = { $ref: `#/components/messages/${def.name}` };
    const messageRef = { $ref: `#/channels/${channelId}/messages/${def.name}` };
    operations[`${def.service}_send_${def.name}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelId}` },
      summary: `${def.service} publishes ${def.name} through its outbox`,
      messages: [messageRef],
    };
    for (const consumer of def.consumers) {
      operations[`${consumer}_receive_${def.name}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channelId}` },
        summary: `${consumer} consumes ${def.name} (idempotent: inbox of handled event ids)`,
        messages: [messageRef],
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'huanjie events',
      version: '1.0.0',
      description:
        'Every event the 换届 platform publishes. Delivery is at-least-once: de-duplicate on ce_id. ' +
        'Values are JSON payloads; CloudEvents 1.0 attributes travel as ce_* headers (binary mode). ' +
        'No payload carries a national ID number, a phone number or a complainant’s identity.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: 'localhost:9092', protocol: 'kafka', description: 'the broker started by infra/kafka for development and tests' } },
    channels,
    operations,
    components: { messages },
  };
}

/** Every generated file under proto-docs/, path → content. */
export function contractDocs(catalogue: readonly EventDefinition[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set('asyncapi.json', `${JSON.stringify(asyncApiOf(catalogue), null, 2)}\n`);
  for (const def of catalogue) {
    files.set(`events/${topicOf(def)}/${def.name}.schema.json`, `${JSON.stringify(jsonSchemaOf(def), null, 2)}\n`);
  }
  return files;
}
