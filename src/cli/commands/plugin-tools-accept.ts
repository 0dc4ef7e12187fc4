import type { Command } from 'commander';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';
import { canPrompt } from './sign-shared.js';
import type { ToolsChange } from '../../core/store/tools-accept.js';

const HELP = `
A server plugin's tools are pinned on its first start (or declared in plugin.json). When a later
start reports other tools, pm keeps serving the pinned ones and marks the plugin "tools changed";
this command shows the difference and, once you confirm, adopts the new list. --dry-run only shows
it; --yes adopts without asking (needed without a terminal, as in CI). See docs/servers.md.`

/** The difference as lines for a person: counts, then each added, removed and modified tool. */
function diffLines(c: ToolsChange): string[] {
  const lines = [
    `${c.plugin}: the server reported ${c.reported.tools} tools on ${c.reported.detectedAt}; ${c.pinned.tools} are pinned (since ${c.pinned.pinnedAt}, ${c.pinned.hash})`,
  ];
  for (const t of c.added) lines.push(`  + ${t.name}${t.description ? ` — ${t.description}` : ''}`);
  for (const n of c.diff.removed) lines.push(`  - ${n}`);
  for (const m of c.modified) {
    lines.push(`  ~ ${m.after.name}`);
    if (m.before.description !== m.after.description) lines.push(`      description: ${JSON.stringify(m.before.description ?? null)} → ${JSON.stringify(m.after.description ?? null)}`);
    for (const k of ['title', 'inputSchema', 'outputSchema', 'annotations'] as const) {
      if (JSON.stringify(m.before[k]) !== JSON.stringify(m.after[k])) lines.push(`      ${k} changed`);
    }
  }
  return lines;
}

/** Registers plugin-tools-accept. */
export function register(program: Command): void {
  program
    .command('plugin-tools-accept')
    .description("show how a server plugin's reported tools differ from its pinned ones, and adopt them after confirmation")
    .argument('<name>', 'installed server plugin')
    .option('--yes', 'adopt without asking (required without a terminal)')
    .option('--dry-run', 'show the difference and change nothing')
    .addHelpText('after', HELP)
    .action(action(async ({ out, home }, name: string, o: { yes?: boolean; dryRun?: boolean }) => {
      const { pendingToolsChange, acceptToolsChange } = await import('../../core/store/tools-accept.js');
      const change = await pendingToolsChange(name, { home });
      if (o.dryRun) {
        out.result(change, () => diffLines(change));
        return;
      }
      if (!o.yes) {
        if (!canPrompt()) throw usageError('plugin-tools-accept needs confirmation; nothing was changed', `review the difference with 'pm plugin-tools-accept ${name} --dry-run', then run again with --yes`);
        process.stderr.write(diffLines(change).join('\n') + '\n');
        const { confirm } = await import('@inquirer/prompts');
        const ok = await confirm({ message: `Serve these tools of ${name} from now on?`, default: false }, { output: process.stderr });
        if (!ok) {
          out.info('not accepted; nothing changed');
          return 1;
        }
      }
      const r = await acceptToolsChange(name, { home, expectHash: change.reported.hash });
      out.result(r, () => [
        ...(o.yes ? diffLines(change) : []),
        `Accepted: ${r.plugin} now serves ${r.accepted.tools} pinned tools (${r.accepted.hash})`,
        'a running pm serve restarts the plugin to serve them',
      ]);
    }));
}
