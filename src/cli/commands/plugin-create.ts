import { Option, type Command } from 'commander';
import { relative } from 'node:path';
import { action } from '../action.js';
import type { GivenAnswers } from '../../core/scaffold/resolve-answers.js';
import { INITIAL_VERSION, PLUGIN_TYPES, TYPE_DESCRIPTIONS } from '../../core/scaffold/plugin-spec.js';

interface CreateFlags {
  description?: string;
  author?: string;
  license?: string;
  type?: string;
  lang?: string;
  tests: boolean;
  ci: boolean;
  dir?: string;
  yes?: boolean;
  force?: boolean;
  pmSpec?: string;
}

const HELP = `
Plugin types:
${PLUGIN_TYPES.map((t) => `  ${t.padEnd(9)} ${TYPE_DESCRIPTIONS[t]}`).join('\n')}

On a terminal, a wizard asks for every answer not given as a flag. Without one
(CI, pipes, --json) it never waits: the name is required, and so is --type unless
--yes takes the defaults (type tool, JavaScript, MIT, author from git config, tests
and CI).
A non-empty target folder is refused (exit 1) unless --force; nothing is written.

Examples:
  $ pm plugin-create                                 the wizard
  $ pm plugin-create hello --type tool --yes         no questions
  $ pm plugin-create notes --type full --lang ts --no-ci --dir ~/plugins
  $ pm plugin-create hello-ci --yes --pm-spec ../pmkit-1.0.0.tgz   pm from npm pack`;

/** Registers `pm plugin-create [name]`. */
export function register(program: Command): void {
  const cmd = program
    .command('plugin-create [name]')
    .description('create a plugin folder from a template (a wizard on a terminal)')
    .option('--description <text>', 'one line saying what the plugin does')
    .option('--author <author>', 'author, "Name <email>" (default: from git config)')
    .option('--license <spdx>', 'license, an SPDX identifier (default: MIT)')
    .addOption(new Option('--type <type>', 'plugin type').choices(PLUGIN_TYPES))
    .addOption(new Option('--lang <lang>', 'source language, JavaScript or TypeScript (default: js)').choices(['js', 'ts']))
    .option('--no-tests', 'do not generate tests')
    .option('--no-ci', 'do not generate the GitHub Actions workflow')
    .option('--dir <parent>', 'folder to create the plugin in (default: the current folder)')
    .option('-y, --yes', 'take the defaults for every answer not given; never ask')
    .option('--force', 'write into a non-empty folder, replacing same-named files')
    .option('--pm-spec <spec>', 'where package.json and the CI workflow get pm: an npm spec such as ../pmkit-1.0.0.tgz (default: pmkit@^<major>.0.0)')
    .addHelpText('after', HELP);
  cmd.action(action(async ({ out, global }, name: string | undefined, flags: CreateFlags) => {
    const { createPlugin } = await import('../../core/scaffold/create-plugin.js');
    const { resolveAnswers } = await import('../../core/scaffold/resolve-answers.js');
    const { gitAuthor } = await import('../../core/scaffold/git-author.js');
    const { checkPmSpec } = await import('../../core/scaffold/pm-spec.js');
    if (flags.pmSpec !== undefined) checkPmSpec(flags.pmSpec); // before the wizard asks anything
    const parent = flags.dir ?? process.cwd();
    const fromCli = (key: string) => cmd.getOptionValueSource(key) === 'cli';
    let given: GivenAnswers = {
      name,
      description: flags.description,
      author: flags.author,
      license: flags.license,
      type: flags.type,
      lang: flags.lang,
      tests: fromCli('tests') ? flags.tests : undefined,
      ci: fromCli('ci') ? flags.ci : undefined,
    };
    const defaultAuthor = flags.author === undefined ? await gitAuthor(parent).catch(() => '') : undefined;
    // The wizard only when a person can answer it; --json means a program is reading.
    if (process.stdin.isTTY && process.stdout.isTTY && !flags.yes && !global.json) {
      const { askPluginAnswers } = await import('../wizard/plugin-create-wizard.js');
      given = await askPluginAnswers(given, { parent, force: Boolean(flags.force), defaultAuthor: defaultAuthor ?? '' });
    }
    const answers = resolveAnswers(given, { yes: flags.yes, defaultAuthor });
    const created = await createPlugin({ ...answers, parent, force: flags.force, pmSpec: flags.pmSpec });
    out.result(created, () => {
      const c = out.c;
      const where = relative(process.cwd(), created.dir) || '.';
      const cdTo = where.includes(' ') ? JSON.stringify(where) : where;
      return [
        `${c.green('Created')} ${created.type} plugin ${c.bold(created.name)} (${created.lang === 'ts' ? 'TypeScript' : 'JavaScript'}) in ${created.dir}`,
        ...created.files.map((f) => `  ${f}`),
        '',
        'Next steps:',
        `  cd ${cdTo}`,
        '  pm plugin-validate     check the manifest, the files and the code',
        ...(answers.tests ? ['  pm plugin-test         validate, then run test/ against a real pm host'] : []),
        `  pm plugin-package      write ${created.name}-${INITIAL_VERSION}.tgz`,
        ...(created.files.some((f) => f.startsWith('dist/')) ? ['', 'dist/ is built from src/ by pm (plugin-create, plugin-test, plugin-package); no npm install needed.'] : []),
      ];
    });
  }));
}
