import { join } from 'node:path';
import { Histogram, type LatencySummary } from '../metrics.js';

/** Where the last server run's tool stats live (beside the host's hooks.json). */
export function toolStatsPath(home: string): string {
  return join(home, 'stats', 'tools.json');
}

/** Per-tool calls, errors and latency of one server run, as `pm stats` shows them. */
export interface ToolStatsEntry extends LatencySummary {
  calls: number;
  errors: number;
}

/** Records every MCP tool call's duration and outcome, per `<plugin>.<tool>`. */
export class ToolStats {
  private readonly byTool = new Map<string, { h: Histogram; errors: number }>();

  /** Records one call; `ok` is false for tool errors (bad arguments, blocked, failed). */
  record(tool: string, ms: number, ok: boolean): void {
    let e = this.byTool.get(tool);
    if (!e) this.byTool.set(tool, (e = { h: new Histogram(), errors: 0 }));
    e.h.record(ms);
    if (!ok) e.errors++;
  }

  /** Summaries by tool name, sorted. */
  toJSON(): Record<string, ToolStatsEntry> {
    const out: Record<string, ToolStatsEntry> = {};
    for (const name of [...this.byTool.keys()].sort()) {
      const { h, errors } = this.byTool.get(name)!;
      out[name] = { calls: h.count, errors, ...h.summary() };
    }
    return out;
  }
}
