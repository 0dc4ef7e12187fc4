import type { Command } from 'commander';
import { action } from '../action.js';
import { handlerTable, latencyMs, SINCE_HELP, windowLine } from '../stats-format.js';
import { table } from '../table.js';

/** Registers stats. */
export function register(program: Command): void {
  program
    .command('stats')
    .description('per-tool and per-hook-handler calls, errors and latency, merged over the runs of a window (default: the last 24h)')
    .option('--since <duration>', SINCE_HELP, '24h')
    .action(action(async ({ out, home }, opts: { since: string }) => {
      const { readStats } = await import('../../host/mcp/stats.js');
      const report = await readStats({ home, since: opts.since });
      out.result(report, () => {
        if (report.runs === 0) return `No stats in the last ${opts.since}: 'pm serve' writes them every minute and when it stops, 'pm hook-run' when it ends.`;
        const lines: string[] = [windowLine(report)];
        const names = Object.keys(report.tools);
        lines.push(out.c.bold('Tools'));
        if (!names.length) lines.push('  no tool calls');
        else {
          const rows = [['TOOL', 'CALLS', 'ERRORS', 'P50', 'P95', 'P99', 'MAX']];
          for (const n of names) {
            const s = report.tools[n]!;
            rows.push([n, String(s.calls), String(s.errors), latencyMs(s.p50), latencyMs(s.p95), latencyMs(s.p99), latencyMs(s.max)]);
          }
          lines.push(...table(rows).map((l) => '  ' + l));
        }
        lines.push(out.c.bold('Hook handlers'));
        if (!report.handlers.length) lines.push('  no hook handlers');
        else lines.push(...handlerTable(report.handlers).map((l) => '  ' + l));
        if (report.plugins.length) {
          lines.push(out.c.bold('Plugin processes'));
          const rows = [['PLUGIN', 'STATE', 'STARTS', 'CRASHES']];
          for (const p of report.plugins) rows.push([p.name, p.state, String(p.starts), String(p.crashes)]);
          lines.push(...table(rows).map((l) => '  ' + l));
        }
        return lines;
      });
    }));
}
