import type { Command } from 'commander';
import { action } from '../action.js';
import { shellQuote } from '../../core/shell-quote.js';

/** Registers plugin-permissions. */
export function register(program: Command): void {
  program
    .command('plugin-permissions')
    .description('show the effective permissions of an installed plugin and the exact sandbox (bwrap command line) pm would start it in')
    .argument('<name>', 'installed plugin')
    .action(action(async ({ out, home }, name: string) => {
      const { pluginPermissions } = await import('../../host/plugin-permissions.js');
      const p = await pluginPermissions(name, { home });
      out.result(p, () => {
        const c = out.c;
        const mark = { enforced: c.green('enforced'), 'not-enforced': c.yellow('NOT ENFORCED'), 'full-trust': c.red('FULL TRUST'), refused: c.red('REFUSED') };
        const lines = [`${c.bold(p.name)} (${p.kind} plugin): ${p.policy.sandbox.reason}`, 'permissions:'];
        lines.push(...p.permissions.map((l) => `  ${l.permission.padEnd(12)} ${l.granted} [${mark[l.enforcement]}] ${l.note}`));
        if ('refused' in p.launch) lines.push(`does not start here: ${p.launch.refused.message}`);
        else lines.push(`starts as (in ${p.launch.cwd}):`, `  ${[p.launch.file, ...p.launch.argv].map(shellQuote).join(' ')}`);
        return lines;
      });
    }));
}
