import type { Command } from 'commander';
import { action } from '../action.js';
import { table } from '../table.js';

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

/** Registers stats. */
export function register(program: Command): void {
  program
    .command('stats')
    .description('per-tool and per-hook-handler calls, errors and latency of the last pm serve run')
    .action(action(async ({ out, home }) => {
      const { readStats } = await import('../../host/mcp/stats.js');
      const report = await readStats({ home });
      out.result(report, () => {
        if (!report.tools && !report.hooks) return "No stats yet: they are written by 'pm serve --mcp' every minute and when it stops.";
        const lines: string[] = [];
        if (report.tools) {
          const t = report.tools;
          lines.push(out.c.bold(`Tools`) + ` (server started ${t.startedAt}, written ${t.writtenAt})`);
          const names = Object.keys(t.tools);
          if (!names.length) lines.push('  no tool calls');
          else {
            const rows = [['TOOL', 'CALLS', 'ERRORS', 'P50', 'P95', 'P99']];
            for (const n of names) {
              const s = t.tools[n];
              rows.push([n, String(s.calls), String(s.errors), ms(s.p50), ms(s.p95), ms(s.p99)]);
            }
            lines.push(...table(rows).map((l) => '  ' + l));
          }
        }
        if (report.hooks) {
          const h = report.hooks;
          lines.push(out.c.bold('Hook handlers') + ` (written ${h.writtenAt})`);
          if (!h.handlers.length) lines.push('  no hook handlers');
          else {
            const rows = [['EVENT', 'PLUGIN', 'CALLS', 'ERRORS', 'TIMEOUTS', 'DENIED', 'P50', 'P95', 'P99']];
            for (const s of h.handlers) {
              rows.push([s.event, s.plugin, String(s.calls), String(s.errors), String(s.timeouts), String(s.denied), ms(s.latency.p50), ms(s.latency.p95), ms(s.latency.p99)]);
            }
            lines.push(...table(rows).map((l) => '  ' + l));
          }
          if (h.plugins.length) {
            lines.push(out.c.bold('Plugin processes'));
            const rows = [['PLUGIN', 'STATE', 'STARTS', 'CRASHES']];
            for (const p of h.plugins) rows.push([p.name, p.state, String(p.starts), String(p.crashes)]);
            lines.push(...table(rows).map((l) => '  ' + l));
          }
        }
        return lines;
      });
    }));
}
