import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode, usageError } from '../../core/errors.js';
import type { Finding } from '../../core/warn.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Registers `pm plugin-test [dir]`. */
export function register(program: Command): void {
  program
    .command('plugin-test')
    .argument('[dir]', 'plugin folder', '.')
    .description("validate a plugin, then run its tests (test/**/*.test.{js,mjs,ts}) with Node's test runner against a real pm host")
    .option('--reporter <name>', 'spec, tap or junit', 'spec')
    .option('--output <file>', "write the reporter's output to a file (e.g. JUnit for CI)")
    .option('--coverage', "collect code coverage (node's --experimental-test-coverage)")
    .option('--test-name-pattern <regex>', 'run only the tests whose name matches')
    .option('--watch', 're-run the tests when files change')
    .addHelpText('after', `
Tests import 'pmkit/testing' with nothing installed in the plugin folder; TypeScript plugins
are transpiled first and TypeScript tests in memory. Each run gets a temporary PM_HOME.

A server plugin (plugin.json "server") is started, initialized and its tools listed first (and
compared with contributes.tools when declared); its test files are optional.

Exit codes: 0 valid and every test passed, 1 a test failed, 3 the plugin is invalid (or a server did not start).
--json prints { ok, dir, name, files, counts: { tests, pass, fail, skipped, todo, cancelled }, exitCode }
(the runner's report then goes to stderr); an invalid plugin gives { error: { code: "PLUGIN_INVALID", data: { report } } }.

Examples:
  $ pm plugin-test                                   the plugin in the current folder
  $ pm plugin-test . --reporter junit --output reports/junit.xml
  $ pm plugin-test --test-name-pattern "schema"`)
    .action(action(async ({ out, global }, dir: string, o: { reporter: string; output?: string; coverage?: boolean; testNamePattern?: string; watch?: boolean }) => {
      if (!['spec', 'tap', 'junit'].includes(o.reporter)) throw usageError(`unknown reporter "${o.reporter}"`, 'use --reporter spec, tap or junit');
      if (o.watch && global.json) throw usageError('--watch and --json do not go together', 'drop one of them');
      const { runPluginTests } = await import('../../testing/plugin-test.js');
      const { formatFinding } = await import('../../core/manifest/format.js');
      const line = (f: Finding) => (f.severity === 'error' ? out.c.red('error   ') : out.c.yellow('warning ')) + formatFinding(f);
      // An invalid plugin throws PLUGIN_INVALID (exit 3); under --json its error carries the report in data.report.
      const result = await runPluginTests(dir, {
        reporter: o.reporter as 'spec' | 'tap' | 'junit',
        output: o.output,
        coverage: o.coverage,
        testNamePattern: o.testNamePattern,
        watch: o.watch,
        stdio: global.json ? 'pipe' : 'inherit',
        onValidated: (r) => {
          for (const f of r.errors) out.info(line(f));
          for (const f of r.warnings) out.info(line(f));
        },
        onTranspiled: (files) => out.info(`transpiled ${plural(files.length, 'TypeScript file')}`),
      });
      if (global.json) {
        if (result.stdout) process.stderr.write(result.stdout);
        if (result.stderr) process.stderr.write(result.stderr);
      }
      // A watch run ends when the user stops it; its counts are per re-run, already shown by the reporter.
      if (o.watch) return ExitCode.ok;
      const c = result.counts;
      out.result(result, () => {
        const smoke = result.server ? `the server started and listed ${plural(result.server.tools.length, 'tool')}${result.server.tools.length ? ` (${result.server.tools.join(', ')})` : ''}` : '';
        if (result.server && result.files.length === 0) return [`${out.c.green('✔')} ${result.name}: ${smoke}; no test files (test/**/*.test.{js,mjs,ts})`];
        if (smoke) out.info(smoke);
        const figures = `${plural(c.tests, 'test')}: ${c.pass} passed, ${c.fail} failed, ${c.skipped} skipped${c.todo ? `, ${c.todo} todo` : ''}${c.cancelled ? `, ${c.cancelled} cancelled` : ''}`;
        const where = result.output ? ` (report: ${result.output})` : '';
        return [result.ok ? `${out.c.green('✔')} ${result.name}: ${figures}${where}` : `${out.c.red('✖')} ${result.name}: ${figures}${where}`];
      });
      return result.ok ? ExitCode.ok : ExitCode.failure;
    }));
}
