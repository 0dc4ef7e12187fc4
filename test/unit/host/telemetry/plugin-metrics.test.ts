import { describe, expect, it } from 'vitest';
import type { PluginProcessStats } from '../../../../src/host/process/options.js';
import { observePlugins } from '../../../../src/host/telemetry/plugin-metrics.js';
import { registry } from '../../../../src/host/telemetry/pm-metrics.js';
import { prometheusText } from '../../../../src/host/telemetry/prometheus.js';
import { find, parsePrometheus } from '../../../helpers/prometheus-text.js';

const stat = (name: string, o: Partial<PluginProcessStats>): PluginProcessStats => ({
  name, state: 'idle', starts: 0, crashes: 0, counters: {}, latency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 }, ...o,
});

describe('observePlugins', () => {
  it('exports starts, crashes, restarts and the state of each plugin as read at scrape time, until removed', () => {
    let plugins = [stat('obs-a', { state: 'running', starts: 3, crashes: 2, counters: { restarts: 2 } }), stat('obs-b', { state: 'failed', starts: 1, crashes: 3 })];
    const off = observePlugins(() => plugins);
    let { samples, types } = parsePrometheus(prometheusText(registry));
    expect(types.get('pm_plugin_process_starts_total')).toBe('counter');
    expect(find(samples, 'pm_plugin_process_starts_total', { pm_plugin_name: 'obs-a' })[0]!.value).toBe(3);
    expect(find(samples, 'pm_plugin_process_crashes_total', { pm_plugin_name: 'obs-b' })[0]!.value).toBe(3);
    expect(find(samples, 'pm_plugin_process_restarts_total', { pm_plugin_name: 'obs-a' })[0]!.value).toBe(2);
    expect(find(samples, 'pm_plugin_state', { pm_plugin_name: 'obs-b' }).filter((s) => s.value === 1).map((s) => s.labels.pm_plugin_state)).toEqual(['failed']);
    plugins = [stat('obs-a', { state: 'idle', starts: 3 })];
    ({ samples } = parsePrometheus(prometheusText(registry)));
    expect(find(samples, 'pm_plugin_state', { pm_plugin_name: 'obs-a', pm_plugin_state: 'idle' })[0]!.value).toBe(1);
    off();
    ({ samples } = parsePrometheus(prometheusText(registry)));
    expect(find(samples, 'pm_plugin_process_starts_total', { pm_plugin_name: 'obs-a' })).toEqual([]);
  });
});
