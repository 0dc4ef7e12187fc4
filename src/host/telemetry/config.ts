/**
 * Whether telemetry export is on, from the standard OTEL_* variables or `pm serve --otlp URL`.
 * Read without loading any OpenTelemetry module, so an unconfigured pm pays nothing.
 */

export interface TelemetryConfig {
  /** OTLP/HTTP base URL (`/v1/traces` and `/v1/metrics` are added), from --otlp; else the exporters read OTEL_EXPORTER_OTLP_*. */
  endpoint?: string;
  traces: boolean;
  metrics: boolean;
  serviceName: string;
  serviceVersion?: string;
  /** Metric export interval (OTEL_METRIC_EXPORT_INTERVAL, default 60 s). */
  metricIntervalMs: number;
}

const off = (v: string | undefined) => v !== undefined && /^(none)$/i.test(v.trim());

/** The service name telemetry reports (OTEL_SERVICE_NAME, default `pm`). */
export function serviceName(env: NodeJS.ProcessEnv = process.env): string {
  return env.OTEL_SERVICE_NAME?.trim() || 'pm';
}

/**
 * The export configuration, or undefined when nothing asks for export: no --otlp and no
 * OTEL_EXPORTER_OTLP_(TRACES_|METRICS_)ENDPOINT, or OTEL_SDK_DISABLED=true.
 * OTEL_TRACES_EXPORTER=none / OTEL_METRICS_EXPORTER=none turn one signal off.
 */
export function telemetryConfig(opts: { otlp?: string; version?: string; env?: NodeJS.ProcessEnv } = {}): TelemetryConfig | undefined {
  const env = opts.env ?? process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const any = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
  const traces = !off(env.OTEL_TRACES_EXPORTER) && Boolean(opts.otlp || any || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
  const metrics = !off(env.OTEL_METRICS_EXPORTER) && Boolean(opts.otlp || any || env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT?.trim());
  if (!traces && !metrics) return undefined;
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return {
    ...(opts.otlp ? { endpoint: opts.otlp.replace(/\/+$/, '') } : {}),
    traces,
    metrics,
    serviceName: serviceName(env),
    ...(opts.version ? { serviceVersion: opts.version } : {}),
    metricIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : 60_000,
  };
}
