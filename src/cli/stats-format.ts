import type { HandlerStats } from '../host/hooks/dispatcher.js';
import type { StatsReport } from '../host/mcp/stats.js';
import { table } from './table.js';

/** Latency as `pm stats` and `pm hook-stats` both show it: milliseconds, one decimal. */
export const latencyMs = (x: number): string => `${x.toFixed(1)} ms`;

/** The `--since` option text both stats commands share. */
export const SINCE_HELP = "window: runs that wrote figures within 30m, 24h, 7d…, or 'all' kept days (30) (default: 24h)";

/** One line saying which runs the figures merge. */
export function windowLine(r: Pick<StatsReport, 'window' | 'runs' | 'from' | 'to'>): string {
  const span = r.window === 'all' ? 'all kept days' : `the last ${r.window}`;
  return `${r.runs} run${r.runs === 1 ? '' : 's'} in ${span}${r.from ? ` (${r.from} to ${r.to})` : ''}`;
}

/** The hook handler table, same columns in both commands. */
export function handlerTable(handlers: HandlerStats[]): string[] {
  return table([
    ['EVENT', 'PLUGIN', 'CALLS', 'ERRORS', 'TIMEOUTS', 'DENIED', 'SKIPPED', 'P50', 'P95', 'P99', 'MAX'],
    ...handlers.map((h) => [h.event, h.plugin, String(h.calls), String(h.errors), String(h.timeouts), String(h.denied), String(h.skipped),
      latencyMs(h.latency.p50), latencyMs(h.latency.p95), latencyMs(h.latency.p99), latencyMs(h.latency.max)]),
  ]);
}
