import type { Command } from 'commander';
import { action } from '../action.js';

/** Registers `pm plugin-build [dir]`. */
export function register(program: Command): void {
  program
    .command('plugin-build')
    .argument('[dir]', 'plugin folder', '.')
    .description("build a TypeScript plugin's src/ into dist/ (transpile only: no type check, no npm install)")
    .addHelpText('after', `
plugin-validate, plugin-test, plugin-package and a folder install build first too when the sources
changed. Exit codes: 0 built (or a JavaScript plugin: nothing to build), 3 a syntax error (file:line:column).

Examples:
  $ pm plugin-build                    the plugin in the current folder
  $ pm plugin-build . --json           { dir, typescript, written }`)
    .action(action(async ({ out }, dir: string) => {
      const { buildPlugin } = await import('../../core/build/build-plugin.js');
      const r = await buildPlugin(dir);
      out.result(r, () => (r.typescript ? [`built ${r.written.length} file${r.written.length === 1 ? '' : 's'}: ${r.written.join(', ')}`] : [`nothing to build: ${r.dir} is a JavaScript plugin`]));
    }));
}
