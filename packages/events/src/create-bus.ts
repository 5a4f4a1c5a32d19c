import type { Logger } from 'pino';
import type { EventBus } from './bus';
import { createInProcessBus } from './in-process.bus';
import { createKafkaBus } from './kafka.bus';

/** Kafka when brokers are given; otherwise the in-process bus (one-process development only). */
export function createBus(options: { brokers: string[]; clientId: string; topicPrefix?: string; logger: Logger }): EventBus {
  if (options.brokers.length > 0) {
    return createKafkaBus({ brokers: options.brokers, clientId: options.clientId, topicPrefix: options.topicPrefix, logger: options.logger });
  }
  options.logger.warn('KAFKA_BROKERS is not set: events stay inside this process');
  return createInProcessBus({ logger: options.logger });
}
