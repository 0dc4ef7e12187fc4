import type { Command } from 'commander';
import { action } from '../action.js';
import { table } from '../table.js';
import { handlerTable, SINCE_HELP, windowLine } from '../stats-format.js';

const ms = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(1)} ms`);

/** Registers hook-list, hook-handlers, hook-run and hook-stats. */
export function register(program: Command): void {
  program
    .command('hook-list')
    .description('list every hook event: kind, who emits it, number of handlers')
    .action(action(async ({ out, home }) => {
      const { listHookEvents } = await import('../../host/hook-commands.js');
      const events = await listHookEvents({ home });
      out.result({ events }, () => table([
        ['EVENT', 'KIND', 'HANDLERS', 'EMITTED BY'],
        ...events.map((e) => [e.event, e.kind, String(e.handlers), e.emittedBy.join(', ')]),
      ]));
    }));

  program
    .command('hook-handlers <event>')
    .description('list the handlers of one event in the order they run')
    .action(action(async ({ out, home }, event: string) => {
      const { listHookHandlers } = await import('../../host/hook-commands.js');
      const r = await listHookHandlers({ home, event });
      out.result(r, () => r.handlers.length === 0
        ? `${r.event} (${r.kind}): no handlers`
        : [`${r.event} (${r.kind}), in run order:`, ...table([
          ['#', 'PLUGIN', 'PRIORITY', 'MATCH'],
          ...r.handlers.map((h, i) => [String(i + 1), h.plugin, String(h.priority), h.match ?? '*']),
        ])]);
    }));

  program
    .command('hook-run <event>')
    .description('dispatch an event through the enabled plugins and show each handler\'s outcome')
    .option('--data <json>', 'the value to dispatch, as JSON (default: null)')
    .option('--tool <plugin.tool>', 'the tool name handlers\' match globs see (default: the data\'s "tool" field)')
    .action(action(async ({ out, home }, event: string, opts: { data?: string; tool?: string }) => {
      const { parseHookData, runHook } = await import('../../host/hook-commands.js');
      const data = parseHookData(opts.data);
      const r = await runHook({ home, event, data, tool: opts.tool });
      out.result(r, () => {
        const lines = [`${r.event} (${r.kind}) → ${JSON.stringify(r.value)}`];
        if (r.denied) lines.push(out.c.red(`denied by ${r.denied.plugin}: ${r.denied.reason}`));
        if (r.handlers.length === 0) lines.push('no handlers');
        else lines.push(...table([
          ['PLUGIN', 'PRIORITY', 'OUTCOME', 'TIME', 'DETAIL'],
          ...r.handlers.map((h) => [h.plugin, String(h.priority), h.outcome, h.outcome === 'skipped' ? '-' : ms(h.ms),
            h.error ?? h.reason ?? (h.outcome === 'skipped' ? `match ${h.match}` : '')]),
        ]));
        return lines;
      });
    }));

  program
    .command('hook-stats')
    .description('hook handler calls, errors and latency, merged over the host runs (pm serve, pm hook-run) of a window (default: the last 24h)')
    .option('--since <duration>', SINCE_HELP, '24h')
    .action(action(async ({ out, home }, opts: { since: string }) => {
      const { hookStats } = await import('../../host/hook-commands.js');
      const s = await hookStats({ home, since: opts.since });
      out.result(s, () => {
        if (s.runs === 0) return `No hook stats in the last ${opts.since}: pm serve and pm hook-run save them when they stop.`;
        if (s.handlers.length === 0) return `No hook handlers ran: ${windowLine(s)}.`;
        return [`Hook stats: ${windowLine(s)}`, ...handlerTable(s.handlers)];
      });
    }));
}
