import { describe, expect, it } from 'vitest';
import { serviceName, telemetryConfig } from '../../../../src/host/telemetry/config.js';

describe('telemetryConfig', () => {
  it('is off (undefined) when neither --otlp nor an OTLP endpoint variable is set', () => {
    expect(telemetryConfig({ env: {} })).toBeUndefined();
    expect(telemetryConfig({ env: { OTEL_SERVICE_NAME: 'x' } })).toBeUndefined();
  });

  it('turns both signals on for --otlp (trailing slash dropped) and for OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(telemetryConfig({ otlp: 'http://127.0.0.1:4318/', version: '1.2.3', env: {} })).toEqual({
      endpoint: 'http://127.0.0.1:4318', traces: true, metrics: true, serviceName: 'pm', serviceVersion: '1.2.3', metricIntervalMs: 60_000,
    });
    expect(telemetryConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRIC_EXPORT_INTERVAL: '5000' } })).toMatchObject({ traces: true, metrics: true, metricIntervalMs: 5000 });
  });

  it('follows the per-signal variables, OTEL_*_EXPORTER=none and OTEL_SDK_DISABLED', () => {
    expect(telemetryConfig({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces' } })).toMatchObject({ traces: true, metrics: false });
    expect(telemetryConfig({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_METRICS_EXPORTER: 'none' } })).toMatchObject({ traces: true, metrics: false });
    expect(telemetryConfig({ otlp: 'http://c', env: { OTEL_SDK_DISABLED: 'true' } })).toBeUndefined();
  });

  it('names the service from OTEL_SERVICE_NAME, else pm', () => {
    expect(serviceName({ OTEL_SERVICE_NAME: 'edge-pm' })).toBe('edge-pm');
    expect(serviceName({})).toBe('pm');
  });
});
