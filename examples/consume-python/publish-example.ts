// Puts one example event on a topic through the platform's Kafka bus (the one the outbox relay
// uses), to try a consumer against a local broker:
//   node --import tsx examples/consume-python/publish-example.ts <brokers> [EventName] [topicPrefix]
import { createLogger } from '@huanjie/platform';
import { createKafkaBus, envelopeOf, findEvent } from '@huanjie/events';
import { exampleMessageOf } from '../../packages/events/src/docs/contract-docs';

async function main() {
  const [brokers = '127.0.0.1:9092', name = 'PersonRegistered', topicPrefix = ''] = process.argv.slice(2);
  const definition = findEvent(name);
  if (!definition) throw new Error(`no event ${name} in the catalogue`);
  const example = exampleMessageOf(definition);
  const bus = createKafkaBus({ brokers: brokers.split(','), clientId: 'publish-example', topicPrefix, logger: createLogger({ name: 'publish-example', level: 'warn' }) });
  try {
    const event = envelopeOf(definition, { subject: example.key, data: example.payload });
    await bus.ensureTopics([event.topic]);
    await bus.publish([event]);
    process.stdout.write(`published ${event.name} ce_id=${event.id} to ${topicPrefix}${event.topic}\n`);
  } finally {
    await bus.close();
  }
}
void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
