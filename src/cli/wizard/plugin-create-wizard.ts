import { confirm, input, select } from '@inquirer/prompts';
import { join } from 'node:path';
import { PmError } from '../../core/errors.js';
import { targetProblem } from '../../core/scaffold/create-plugin.js';
import { DEFAULT_LICENSE, PLUGIN_TYPES, TYPE_DESCRIPTIONS, defaultDescription, pluginNameProblem, type PluginType } from '../../core/scaffold/plugin-spec.js';
import { spdxProblem } from '../../core/scaffold/spdx-license.js';
import type { GivenAnswers } from '../../core/scaffold/resolve-answers.js';
import { liveInput } from './live-input.js';

/** Why a name cannot be used in `parent`, checked at every keystroke. */
function nameCheck(parent: string, force: boolean): (name: string) => string | undefined {
  return (name) => {
    const problem = pluginNameProblem(name);
    if (problem) return `the name ${problem}`;
    const where = targetProblem(join(parent, name));
    if (where === 'not-a-folder') return `${join(parent, name)} exists and is not a folder; pick another name`;
    if (where === 'not-empty' && !force) return `${join(parent, name)} is not empty; pick another name (or run again with --force)`;
    return undefined;
  };
}

/**
 * Asks, on a terminal, every plugin-create question that flags did not answer, in the
 * order name, type, description, author, license, language, tests, CI. Ctrl-C cancels
 * before anything is written.
 */
export async function askPluginAnswers(given: GivenAnswers, options: { parent: string; force: boolean; defaultAuthor: string }): Promise<GivenAnswers> {
  const a: GivenAnswers = { ...given };
  try {
    const check = nameCheck(options.parent, options.force);
    // A name given on the command line that cannot be used is asked again, not refused after every other question.
    if (a.name === undefined || check(a.name) !== undefined) {
      a.name = await liveInput({ message: 'Plugin name:', default: a.name || undefined, check });
    }
    // The type comes before the description, whose default depends on it.
    a.type ??= await select({
      message: 'Plugin type:',
      choices: PLUGIN_TYPES.map((t) => ({ value: t, name: `${t.padEnd(9)} ${TYPE_DESCRIPTIONS[t]}` })),
    });
    const type = (PLUGIN_TYPES as readonly string[]).includes(a.type) ? (a.type as PluginType) : undefined;
    a.description ??= await input({ message: 'Description (one line):', default: type && defaultDescription(type) });
    a.author ??= await input({ message: 'Author:', default: options.defaultAuthor || undefined });
    a.license ??= await liveInput({ message: 'License (SPDX):', default: DEFAULT_LICENSE, check: spdxProblem });
    a.lang ??= await select({
      message: 'Language:',
      choices: [
        { value: 'js', name: 'JavaScript' },
        { value: 'ts', name: 'TypeScript (pm builds it; no npm install needed)' },
      ],
    });
    a.tests ??= await confirm({ message: 'Add tests (run by pm plugin-test)?', default: true });
    a.ci ??= await confirm({ message: 'Add a GitHub Actions workflow that runs pm plugin-test?', default: true });
  } catch (err) {
    if ((err as Error)?.name === 'ExitPromptError') {
      throw new PmError('CANCELLED', 'plugin-create cancelled; nothing was written', {
        hint: 'run it again, or give the answers as flags (pm plugin-create <name> --type tool --yes)',
      });
    }
    throw err;
  }
  return a;
}
