/**
 * pm's instruments as OpenTelemetry metric data, for the OTLP exporter: a MetricProducer the SDK's
 * reader collects from at export time, so recording stays in pm's own instruments (one source for
 * /metrics and OTLP, no SDK on the hot path). Loaded only when OTLP metrics are configured.
 */
import { ValueType, type Attributes as OtelAttributes, type HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Registry } from './instruments.js';

const hr = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/** Reads every instrument (cumulative since it was made) and every observed value. */
export class RegistryProducer implements MetricProducer {
  constructor(private readonly registry: Registry, private readonly version?: string) {}

  async collect(): Promise<CollectionResult> {
    const now = hr(Date.now());
    const metrics: MetricData[] = [];
    for (const inst of this.registry.instruments) {
      if (inst.series.size === 0) continue;
      const { info } = inst;
      const descriptor = { name: info.name, description: info.description, unit: info.unit, valueType: ValueType.DOUBLE };
      const startTime = hr(inst.startTime);
      const base = { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE };
      const series = [...inst.series.values()];
      if (info.kind === 'histogram') {
        metrics.push({
          ...base, dataPointType: DataPointType.HISTOGRAM,
          dataPoints: series.map((s) => ({
            startTime, endTime: now, attributes: s.attributes as OtelAttributes,
            value: { buckets: { boundaries: [...info.boundaries!], counts: [...s.counts!] }, sum: s.sum, count: s.count, ...(s.count ? { min: s.min, max: s.max } : {}) },
          })),
        });
      } else {
        metrics.push({
          ...base, dataPointType: DataPointType.SUM, isMonotonic: info.kind === 'counter',
          dataPoints: series.map((s) => ({ startTime, endTime: now, attributes: s.attributes as OtelAttributes, value: s.sum })),
        });
      }
    }
    for (const { info, points } of this.registry.observed()) {
      if (points.length === 0) continue;
      const descriptor = { name: info.name, description: info.description, unit: info.unit, valueType: ValueType.DOUBLE };
      const dataPoints = points.map((p) => ({ startTime: now, endTime: now, attributes: p.attributes as OtelAttributes, value: p.value }));
      if (info.kind === 'counter') metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints });
      else metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints });
    }
    return {
      // The reader keeps its MeterProvider's resource; this one is not used.
      resourceMetrics: { resource: undefined as never, scopeMetrics: [{ scope: { name: 'pm', ...(this.version ? { version: this.version } : {}) }, metrics }] },
      errors: [],
    };
  }
}
