import { cloudEventTypeOf, topicOf, type EventDefinition } from '../catalogue/define-event';
import { dlqTopic } from '../bus';
import { eventsPage } from './events-page';
import { CLOUD_EVENT_HEADERS, exampleMessageOf, jsonSchemaOf, payloadSchemaOf } from './schemas';

export { CLOUD_EVENT_HEADERS, exampleMessageOf, jsonSchemaOf, payloadSchemaOf };

/** The AsyncAPI 3.0 document of every topic: who sends, who receives, the payloads, the dead-letter twins. */
export function asyncApiOf(catalogue: readonly EventDefinition[]): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const def of catalogue) {
    const topic = topicOf(def);
    const channelId = topic.replace(/\./g, '_');
    const example = exampleMessageOf(def);
    messages[def.name] = {
      name: def.name,
      title: def.name,
      summary: def.description,
      description: `Published by ${def.service}; consumed by ${def.consumers.length ? def.consumers.join(', ') : 'no service of the platform (yet)'}. CloudEvents type ${cloudEventTypeOf(def)}; JSON Schema: events/${topic}/${def.name}.schema.json.`,
      contentType: 'application/json',
      headers: CLOUD_EVENT_HEADERS,
      payload: payloadSchemaOf(def),
      bindings: { kafka: { key: { type: 'string', format: 'uuid', description: `${def.aggregate} id (also ce_subject)` }, bindingVersion: '0.5.0' } },
      examples: [{ name: `${def.name}Example`, summary: `an example ${def.name} (generated)`, headers: example.headers, payload: example.payload }],
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
  files.set('EVENTS.md', eventsPage(catalogue));
  for (const def of catalogue) {
    files.set(`events/${topicOf(def)}/${def.name}.schema.json`, `${JSON.stringify(jsonSchemaOf(def), null, 2)}\n`);
  }
  return files;
}
