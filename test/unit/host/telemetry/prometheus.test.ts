import { describe, expect, it } from 'vitest';
import { Registry } from '../../../../src/host/telemetry/instruments.js';
import { prometheusName, prometheusText } from '../../../../src/host/telemetry/prometheus.js';
import { find, parsePrometheus } from '../../../helpers/prometheus-text.js';

describe('prometheusName', () => {
  it('maps OTel names as the OTel Prometheus exporter does: dots to underscores, unit suffix, _total on counters', () => {
    expect(prometheusName({ name: 'mcp.server.operation.duration', unit: 's', kind: 'histogram' })).toBe('mcp_server_operation_duration_seconds');
    expect(prometheusName({ name: 'pm.plugin.process.starts', unit: '{start}', kind: 'counter' })).toBe('pm_plugin_process_starts_total');
    expect(prometheusName({ name: 'pm.mcp.server.active_requests', unit: '{request}', kind: 'updowncounter' })).toBe('pm_mcp_server_active_requests');
  });
});

describe('prometheusText', () => {
  it('writes cumulative le buckets, _sum and _count per attribute set, parseable as Prometheus text', () => {
    const r = new Registry();
    const h = r.instrument({ name: 'x.duration', kind: 'histogram', unit: 's', description: 'd', boundaries: [0.1, 1] });
    h.record(0.05, { 'a.b': 'one' });
    h.record(0.1, { 'a.b': 'one' });
    h.record(5, { 'a.b': 'one' });
    h.record(0.5, { 'a.b': 'two "quoted"\nline' });
    const { samples, types } = parsePrometheus(prometheusText(r, { service_name: 'pm' }));
    expect(types.get('x_duration_seconds')).toBe('histogram');
    expect(find(samples, 'x_duration_seconds_bucket', { a_b: 'one' }).map((s) => [s.labels.le, s.value])).toEqual([['0.1', 2], ['1', 2], ['+Inf', 3]]);
    expect(find(samples, 'x_duration_seconds_count', { a_b: 'one' })[0]!.value).toBe(3);
    expect(find(samples, 'x_duration_seconds_sum', { a_b: 'one' })[0]!.value).toBeCloseTo(5.15);
    expect(find(samples, 'x_duration_seconds_count', { a_b: 'two "quoted"\nline' })[0]!.value).toBe(1);
    expect(find(samples, 'target_info', { service_name: 'pm' })[0]!.value).toBe(1);
  });

  it('writes counters with _total, up-down counters as gauges, and observed values summed over sources', () => {
    const r = new Registry();
    r.instrument({ name: 'c', kind: 'counter', unit: '{x}', description: 'c' }).add({ k: 'v' }, 2);
    r.instrument({ name: 'g', kind: 'updowncounter', unit: '{x}', description: 'g' }).add({}, 1);
    const info = { name: 'o.state', kind: 'gauge' as const, unit: '1', description: 'o' };
    r.observe(info, () => [{ attributes: { p: 'a' }, value: 1 }]);
    const remove = r.observe(info, () => [{ attributes: { p: 'a' }, value: 2 }, { attributes: { p: 'b' }, value: 5 }]);
    let parsed = parsePrometheus(prometheusText(r));
    expect(find(parsed.samples, 'c_total', { k: 'v' })[0]!.value).toBe(2);
    expect(parsed.types.get('g')).toBe('gauge');
    expect(find(parsed.samples, 'o_state_ratio', { p: 'a' })[0]!.value).toBe(3);
    remove();
    parsed = parsePrometheus(prometheusText(r));
    expect(find(parsed.samples, 'o_state_ratio').map((s) => s.value)).toEqual([1]);
  });
});
