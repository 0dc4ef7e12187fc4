/**
 * Plugin process figures for /metrics and OTLP, read from the processes' own stats when exported:
 * starts, crashes and restarts (counters) and the state (one gauge per state, 1 for the current).
 */
import type { PluginProcessStats, PluginState } from '../process/options.js';
import type { InstrumentInfo } from './instruments.js';
import { registry } from './pm-metrics.js';

const STATES: PluginState[] = ['idle', 'starting', 'running', 'stopping', 'failed'];

export const PLUGIN_STARTS: InstrumentInfo = { name: 'pm.plugin.process.starts', kind: 'counter', unit: '{start}', description: 'Plugin processes started (module and server plugins).' };
export const PLUGIN_CRASHES: InstrumentInfo = { name: 'pm.plugin.process.crashes', kind: 'counter', unit: '{crash}', description: 'Plugin processes that exited unexpectedly, were killed after a timeout, or failed to start.' };
export const PLUGIN_RESTARTS: InstrumentInfo = { name: 'pm.plugin.process.restarts', kind: 'counter', unit: '{restart}', description: 'Plugin process starts that followed a crash.' };
export const PLUGIN_STATE: InstrumentInfo = { name: 'pm.plugin.state', kind: 'gauge', unit: '{state}', description: 'Plugin process state: 1 for the state the plugin is in, 0 for the others (idle, starting, running, stopping, failed).' };

/** Exports the figures of the plugins `stats` lists until the returned function is called (a host that closes). */
export function observePlugins(stats: () => PluginProcessStats[]): () => void {
  const of = (value: (p: PluginProcessStats) => number) => () => stats().map((p) => ({ attributes: { 'pm.plugin.name': p.name }, value: value(p) }));
  const offs = [
    registry.observe(PLUGIN_STARTS, of((p) => p.starts)),
    registry.observe(PLUGIN_CRASHES, of((p) => p.crashes)),
    registry.observe(PLUGIN_RESTARTS, of((p) => p.counters.restarts ?? 0)),
    registry.observe(PLUGIN_STATE, () => stats().flatMap((p) => STATES.map((state) => ({ attributes: { 'pm.plugin.name': p.name, 'pm.plugin.state': state }, value: p.state === state ? 1 : 0 })))),
  ];
  return () => offs.forEach((off) => off());
}

/** observePlugins over a host's stats; weak, so a host nobody closes can still be collected. */
export function observeHost(host: { stats(): { plugins: PluginProcessStats[] } }): () => void {
  const ref = new WeakRef(host);
  return observePlugins(() => ref.deref()?.stats().plugins ?? []);
}
