import { join } from 'node:path';
import { formatToolRef, type ToolRef } from '../../core/tool-ref.js';
import type { CallContext } from '../call-context.js';
import { Histogram, type LatencySummary } from '../metrics.js';
import type { RunToolStats } from '../stats-runs.js';

/** Where the last server run's tool stats live (beside the host's hooks.json). */
export function toolStatsPath(home: string): string {
  return join(home, 'stats', 'tools.json');
}

/** Per-tool calls, errors and latency of one server run, as `pm stats` shows them. */
export interface ToolStatsEntry extends LatencySummary {
  calls: number;
  errors: number;
  /** Calls per MCP client name (as the client named itself in initialize). */
  clients?: Record<string, number>;
}

/** Records every MCP tool call's duration and outcome, per `<plugin>.<tool>`. */
export class ToolStats {
  private readonly byTool = new Map<string, { h: Histogram; errors: number; clients: Map<string, number> }>();

  /** Records one call; `ok` is false for tool errors (bad arguments, blocked, failed). */
  record(ref: ToolRef, ms: number, ok: boolean, call?: CallContext): void {
    const tool = formatToolRef(ref);
    let e = this.byTool.get(tool);
    if (!e) this.byTool.set(tool, (e = { h: new Histogram(), errors: 0, clients: new Map() }));
    e.h.record(ms);
    if (!ok) e.errors++;
    const client = call?.client?.name;
    if (client !== undefined) e.clients.set(client, (e.clients.get(client) ?? 0) + 1);
  }

  /** Counts and raw histograms by tool name, for the run file that later runs merge with. */
  toRun(): Record<string, RunToolStats> {
    const out: Record<string, RunToolStats> = {};
    for (const [name, { h, errors, clients }] of this.byTool) {
      out[name] = { calls: h.count, errors, ...(clients.size ? { clients: Object.fromEntries(clients) } : {}), histogram: h.toJSON() };
    }
    return out;
  }

  /** Summaries by tool name, sorted. */
  toJSON(): Record<string, ToolStatsEntry> {
    const out: Record<string, ToolStatsEntry> = {};
    for (const name of [...this.byTool.keys()].sort()) {
      const { h, errors, clients } = this.byTool.get(name)!;
      out[name] = { calls: h.count, errors, ...h.summary(), ...(clients.size ? { clients: Object.fromEntries([...clients].sort(([a], [b]) => a.localeCompare(b))) } : {}) };
    }
    return out;
  }
}
