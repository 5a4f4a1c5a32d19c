import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** An event as it travels: CloudEvents 1.0 attributes plus the JSON payload. */
export interface EventEnvelope<T = unknown> {
  /** ce_id: unique per event; consumers de-duplicate on it. */
  id: string;
  /** ce_type, e.g. 'huanjie.personnel.PersonRegistered'. */
  type: string;
  /** Catalogue name, e.g. 'PersonRegistered' (derived from type). */
  name: string;
  /** ce_source, e.g. '/huanjie/personnel'. */
  source: string;
  /** ce_time, ISO 8601. */
  time: string;
  /** ce_subject and Kafka key: the aggregate id, so events of one aggregate keep their order. */
  subject: string;
  /** Logical topic (without any deployment prefix), e.g. 'personnel.person.v1'. */
  topic: string;
  data: T;
  /**
   * ce_traceparent (CloudEvents distributed-tracing extension): the W3C trace context of the
   * transaction that recorded the event, so a consumer's work joins that trace. Absent when the
   * event was recorded outside any trace.
   */
  traceparent?: string;
}

export const CONTENT_TYPE = 'application/json';

export function nameFromType(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

/** CloudEvents Kafka protocol binding, binary mode: the value is the payload, attributes are headers. */
export function toKafkaMessage(event: EventEnvelope): Message {
  return {
    key: event.subject,
    value: JSON.stringify(event.data),
    headers: {
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: event.type,
      ce_source: event.source,
      ce_time: event.time,
      ce_subject: event.subject,
      'content-type': CONTENT_TYPE,
      ...(event.traceparent ? { ce_traceparent: event.traceparent } : {}),
    },
  };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export class MalformedMessageError extends Error {
  readonly permanent = true;
}

export function fromKafkaMessage(topic: string, message: KafkaMessage): EventEnvelope {
  const id = header(message.headers, 'ce_id');
  const type = header(message.headers, 'ce_type');
  const source = header(message.headers, 'ce_source');
  if (!id || !type || !source) throw new MalformedMessageError('message lacks CloudEvents headers ce_id, ce_type, ce_source');
  let data: unknown;
  try {
    data = JSON.parse(message.value?.toString('utf8') ?? 'null');
  } catch {
    throw new MalformedMessageError('message value is not JSON');
  }
  // Consumers take the event's time as a fact (a file opened at, a deadline from): a time that is no
  // time can never be handled, so it fails here, once, rather than in every retry of the effect.
  const time = header(message.headers, 'ce_time') ?? new Date(Number(message.timestamp)).toISOString();
  if (Number.isNaN(Date.parse(time))) throw new MalformedMessageError('message header ce_time is not an RFC 3339 timestamp');
  return {
    id,
    type,
    name: nameFromType(type),
    source,
    time,
    subject: header(message.headers, 'ce_subject') ?? message.key?.toString('utf8') ?? '',
    topic,
    data,
    ...(header(message.headers, 'ce_traceparent') ? { traceparent: header(message.headers, 'ce_traceparent') } : {}),
  };
}
