import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces: one trace follows a request from the gateway into every subgraph it
 * fetches from (W3C `traceparent` on the HTTP request) and on into Kafka (the event carries the
 * trace context of the transaction that recorded it, as CloudEvents' distributed-tracing
 * extension `traceparent`), so a consumer's work joins the trace of the mutation that caused it.
 *
 * Spans are always made (their ids go into the log lines); they leave the process only when an
 * exporter is configured by the standard variables: OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (OTLP over HTTP, read by the exporter itself), with
 * OTEL_TRACES_EXPORTER=none to switch export off, OTEL_SERVICE_NAME to rename the process.
 */

let provider: NodeTracerProvider | null = null;

export interface TracingOptions {
  /** service.name when OTEL_SERVICE_NAME is unset. */
  serviceName: string;
  /** Tests pass an in-memory exporter; otherwise the OTLP exporter when the environment asks for one. */
  exporter?: SpanExporter;
  env?: NodeJS.ProcessEnv;
}

/** Starts tracing once per process (later calls return the same provider). */
export function startTracing(options: TracingOptions): NodeTracerProvider {
  if (provider) return provider;
  const env = options.env ?? process.env;
  const wantsOtlp = env.OTEL_TRACES_EXPORTER !== 'none' && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const processors = options.exporter
    ? [new SimpleSpanProcessor(options.exporter)]
    : wantsOtlp
      ? [new BatchSpanProcessor(new OTLPTraceExporter())]
      : [];
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? options.serviceName }),
    spanProcessors: processors,
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return provider;
}

/** Flushes and stops span export (at shutdown). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => {});
  provider = null;
}

const tracer = () => trace.getTracer('huanjie');

/** The trace and span ids of the active span, for log lines; empty when there is none. */
export function traceFields(ctx: Context = context.active()): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(ctx)?.spanContext();
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/** The `traceparent` of the active span (to store with an event), or null outside any trace. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** Writes the active trace context into outgoing headers (a subgraph fetch). */
export function injectTraceHeaders(set: (name: string, value: string) => void): void {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [name, value] of Object.entries(carrier)) set(name, value);
}

/**
 * Runs `work` in a new span, child of the context `parent` carries (an incoming request's or an
 * event's `traceparent`), or of the active span when `parent` is undefined.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; parent?: string | null; attributes?: Record<string, string | number | boolean> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const base = options.parent !== undefined ? parentContext(options.parent) : context.active();
  const span = tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, base);
  return context.with(trace.setSpan(base, span), async () => {
    try {
      const result = await work(span);
      span.end();
      return result;
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    }
  });
}

/** The context a `traceparent` header names (a fresh root context when absent or malformed). */
export function parentContext(traceparent: string | null | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(context.active(), { traceparent });
}

export { SpanKind };
/** For tests: spans kept in memory (the same SDK version the provider uses). */
export { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
