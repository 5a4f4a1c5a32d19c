import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SubscribeOptions } from './bus';

/**
 * Each delivery to a consumer group runs in a CONSUMER span whose parent is the trace context the
 * event carries (ce_traceparent: the transaction that recorded it), so the effect of a mutation in
 * another service shows in the mutation's trace. Whatever the handler records in its turn carries
 * this span's context on.
 */
export function traced(sub: SubscribeOptions): SubscribeOptions {
  const tracer = trace.getTracer('huanjie.events');
  return {
    ...sub,
    handler: async (event) => {
      const parent = event.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: event.traceparent }) : ROOT_CONTEXT;
      const span = tracer.startSpan(
        `consume ${event.name}`,
        { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': event.topic, 'messaging.consumer.group.name': sub.group, 'messaging.message.id': event.id } },
        parent,
      );
      try {
        await context.with(trace.setSpan(parent, span), () => sub.handler(event));
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.recordException(error instanceof Error ? error : new Error(String(error)));
        throw error;
      } finally {
        span.end();
      }
    },
  };
}
