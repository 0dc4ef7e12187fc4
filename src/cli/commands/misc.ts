import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode } from '../../core/errors.js';

/** Registers doctor and other cross-cutting commands. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check Node, the sandbox, PM_HOME and gpg')
    .action(action(async ({ out, home }) => {
      const { runDoctor } = await import('../../core/doctor/checks.js');
      const report = await runDoctor({ home });
      out.result(report, () => {
        const mark = { ok: out.c.green('ok  '), warn: out.c.yellow('warn'), fail: out.c.red('fail') };
        const lines = report.checks.map((c) => `${mark[c.status]} ${c.name}: ${c.detail}${c.hint ? `\n       hint: ${c.hint}` : ''}`);
        lines.push(report.ok ? 'All checks passed.' : 'Some checks failed: see the hints above.');
        return lines;
      });
      return report.ok ? ExitCode.ok : ExitCode.failure;
    }));
}
