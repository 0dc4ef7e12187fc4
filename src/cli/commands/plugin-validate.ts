import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode } from '../../core/errors.js';
import type { Finding } from '../../core/warn.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Registers `pm plugin-validate [dir]`. */
export function register(program: Command): void {
  program
    .command('plugin-validate')
    .argument('[dir]', 'plugin folder', '.')
    .description('check a plugin folder: manifest, files and a static scan of its code (a TypeScript plugin is rebuilt first when its sources changed)')
    .option('--strict', 'treat warnings (unknown fields, eval, undeclared env…) as errors')
    .addHelpText('after', `
Exit codes: 0 valid, 3 invalid. --json prints { ok, dir, manifest, errors, warnings }.

Examples:
  $ pm plugin-validate                 the plugin in the current folder
  $ pm plugin-validate . --strict       warnings fail too`)
    .action(action(async ({ out }, dir: string, flags: { strict?: boolean }) => {
      const { validatePlugin } = await import('../../core/validate/validate-plugin.js');
      const { formatFinding } = await import('../../core/manifest/format.js');
      const { inspectEntry } = await import('../../host/inspect-entry.js');
      const report = await validatePlugin(dir, { strict: Boolean(flags.strict), inspectEntry, build: true });
      out.result(report, () => {
        const line = (f: Finding) => (f.severity === 'error' ? out.c.red('error   ') : out.c.yellow('warning ')) + formatFinding(f);
        const lines = [...report.errors.map(line), ...report.warnings.map(line)];
        const m = report.manifest;
        const id = m && typeof m.name === 'string' ? `${m.name}${typeof m.version === 'string' ? `@${m.version}` : ''}` : report.dir;
        if (report.ok) {
          lines.push(out.c.green('✔ ') + `${id} is valid` + (report.warnings.length ? ` (${plural(report.warnings.length, 'warning')})` : ''));
        } else {
          lines.push(out.c.red('✖ ') + plural(report.errors.length, 'error') + (report.warnings.length ? `, ${plural(report.warnings.length, 'warning')}` : ''));
        }
        return lines;
      });
      return report.ok ? ExitCode.ok : ExitCode.validation;
    }));
}
