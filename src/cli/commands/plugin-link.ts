import type { Command } from 'commander';
import { action } from '../action.js';

/** Registers plugin-link. */
export function register(program: Command): void {
  program
    .command('plugin-link')
    .description('use a development folder in place (no copy): edits show up without reinstalling')
    .argument('<dir>', 'plugin folder holding plugin.json')
    .option('--disabled', 'link without enabling it')
    .action(action(async ({ out, home }, dir: string, o: { disabled?: boolean }) => {
      const { linkPlugin } = await import('../../core/store/link.js');
      const r = await linkPlugin(dir, { home, enable: !o.disabled });
      out.result(r, () => `Linked ${r.name}@${r.version} to ${r.path}${r.previousVersion ? ` (replaces installed ${r.previousVersion})` : ''}, ${r.enabled ? 'enabled' : 'disabled'}`);
    }));
}
