import type { Command } from 'commander';
import { action } from '../action.js';

/** Registers plugin-uninstall. */
export function register(program: Command): void {
  program
    .command('plugin-uninstall')
    .description('remove an installed plugin (its data stays unless --purge)')
    .argument('<name>', 'installed plugin')
    .option('--purge', 'also remove its data folder (data/<name>)')
    .option('--force', 'uninstall even though other plugins depend on it')
    .action(action(async ({ out, home }, name: string, o: { purge?: boolean; force?: boolean }) => {
      const { uninstallPlugin } = await import('../../core/store/uninstall.js');
      const r = await uninstallPlugin(name, { home, purge: o.purge, force: o.force });
      if (r.brokenDependents.length) out.warn(`${r.brokenDependents.join(', ')} now miss${r.brokenDependents.length > 1 ? '' : 'es'} ${name}`);
      out.result(r, () => `Uninstalled ${r.name}@${r.version}${r.purged ? ' and removed its data' : ' (data kept; --purge removes it)'}`);
    }));
}
