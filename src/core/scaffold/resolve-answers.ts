import { usageError } from '../errors.js';
import {
  DEFAULT_LICENSE, DEFAULT_TYPE, PLUGIN_LANGS, PLUGIN_TYPES, defaultDescription, pluginNameProblem,
  type PluginLang, type PluginType, type ScaffoldAnswers,
} from './plugin-spec.js';

/** Answers as they arrive from flags or the wizard: anything may be missing. */
export type GivenAnswers = Partial<Omit<ScaffoldAnswers, 'type' | 'lang'>> & { type?: string; lang?: string };

/**
 * Completes the answers without asking anyone: name is always required, type unless
 * `yes`; everything else has a default (author from `defaultAuthor`). Throws a usage
 * error naming the flag that is missing or wrong.
 */
export function resolveAnswers(given: GivenAnswers, options: { yes?: boolean; defaultAuthor?: string } = {}): ScaffoldAnswers {
  const name = given.name;
  if (name === undefined || name === '') {
    throw usageError('missing the plugin name', 'pass it as the first argument: pm plugin-create <name> (run on a terminal for the wizard)', { missing: 'name' });
  }
  const problem = pluginNameProblem(name);
  if (problem) {
    throw usageError(`invalid plugin name "${name}": ${problem}`, 'use 1-50 lowercase letters, digits and -, starting with a letter (e.g. my-notes)', { name });
  }
  let type = given.type;
  if (type === undefined) {
    if (!options.yes) {
      throw usageError('missing --type', `pass --type ${PLUGIN_TYPES.join('|')}, or --yes to take the default (${DEFAULT_TYPE})`, { missing: 'type' });
    }
    type = DEFAULT_TYPE;
  }
  if (!(PLUGIN_TYPES as readonly string[]).includes(type)) {
    throw usageError(`unknown plugin type "${type}"`, `pass --type ${PLUGIN_TYPES.join('|')}`, { type });
  }
  const lang = given.lang ?? 'js';
  if (!(PLUGIN_LANGS as readonly string[]).includes(lang)) {
    throw usageError(`unknown language "${lang}"`, 'pass --lang js or --lang ts', { lang });
  }
  // An SPDX expression ("MIT OR Apache-2.0" too); plugin-validate judges it, not the scaffolder.
  const license = given.license?.trim() || DEFAULT_LICENSE;
  return {
    name,
    description: given.description?.trim() || defaultDescription(type as PluginType),
    author: (given.author ?? options.defaultAuthor ?? '').trim(),
    license,
    type: type as PluginType,
    lang: lang as PluginLang,
    tests: given.tests ?? true,
    ci: given.ci ?? true,
  };
}
