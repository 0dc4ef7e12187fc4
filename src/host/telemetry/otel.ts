/**
 * The OpenTelemetry SDK side, loaded by start.ts only when telemetry is configured: a tracer
 * provider exporting over OTLP/HTTP (batching; sampler from OTEL_TRACES_SAMPLER), W3C trace
 * context in MCP `params._meta`, and a meter provider that exports pm's instruments.
 */
import { context as otelContext, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TelemetryConfig } from './config.js';
import { RegistryProducer } from './otel-metrics.js';
import { registry } from './pm-metrics.js';
import type { SpanHandle, Tracing } from './tracing.js';

const getter: TextMapGetter<Record<string, unknown>> = {
  get: (carrier, key) => (typeof carrier[key] === 'string' ? (carrier[key] as string) : undefined),
  keys: (carrier) => Object.keys(carrier),
};
const setter: TextMapSetter<Record<string, unknown>> = { set: (carrier, key, value) => void (carrier[key] = value) };
const KINDS = { client: SpanKind.CLIENT, internal: SpanKind.INTERNAL } as const;

/** What start.ts keeps: the tracing (when traces are on) and how to stop both signals. */
export interface OtelHandle {
  tracing?: Tracing;
  shutdown(): Promise<void>;
}

/** Starts the configured signals; nothing is sent until there is something to send. */
export function startOtel(config: TelemetryConfig): OtelHandle {
  // OTEL_RESOURCE_ATTRIBUTES are read; the service name and version are pm's.
  const resource = defaultResource().merge(detectResources({ detectors: [envDetector] })).merge(resourceFromAttributes({
    'service.name': config.serviceName,
    ...(config.serviceVersion ? { 'service.version': config.serviceVersion } : {}),
  }));
  const url = (signal: string) => (config.endpoint ? { url: `${config.endpoint}/v1/${signal}` } : {});
  const stops: (() => Promise<void>)[] = [];
  let tracing: Tracing | undefined;

  if (config.traces) {
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(url('traces')))] });
    stops.push(() => provider.shutdown());
    const tracer = provider.getTracer('pm', config.serviceVersion);
    const propagator = new W3CTraceContextPropagator();
    const handle = (span: ReturnType<typeof tracer.startSpan>, ctx: Context): SpanHandle => ({
      context: ctx,
      end: (error, endTime) => {
        if (error) {
          span.setAttribute('error.type', error.type);
          span.setStatus({ code: SpanStatusCode.ERROR, ...(error.message ? { message: error.message } : {}) });
        }
        span.end(endTime);
      },
    });
    tracing = {
      serverSpan: (name, attributes, meta) => {
        const parent = meta && typeof meta === 'object' ? propagator.extract(ROOT_CONTEXT, meta as Record<string, unknown>, getter) : ROOT_CONTEXT;
        const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
        return handle(span, trace.setSpan(parent, span));
      },
      childSpan: (parent, name, kind, attributes, startTime) => {
        const ctx = (parent as Context | undefined) ?? otelContext.active();
        const span = tracer.startSpan(name, { kind: KINDS[kind], attributes, ...(startTime !== undefined ? { startTime } : {}) }, ctx);
        return handle(span, trace.setSpan(ctx, span));
      },
      inject: (ctx, meta) => propagator.inject(ctx as Context, meta, setter),
      shutdown: () => provider.shutdown(),
    };
  }

  if (config.metrics) {
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter(url('metrics')),
      exportIntervalMillis: config.metricIntervalMs,
      metricProducers: [new RegistryProducer(registry, config.serviceVersion)],
    });
    const meters = new MeterProvider({ resource, readers: [reader] });
    stops.push(() => meters.shutdown());
  }

  return {
    ...(tracing ? { tracing } : {}),
    shutdown: async () => {
      await Promise.allSettled(stops.map((s) => s()));
    },
  };
}
