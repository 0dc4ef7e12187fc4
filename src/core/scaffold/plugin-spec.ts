/** The plugin types plugin-create can scaffold, in the order the wizard offers them. */
export const PLUGIN_TYPES = ['tool', 'prompt', 'hook', 'resource', 'full'] as const;
export type PluginType = (typeof PLUGIN_TYPES)[number];

/** Source languages of a generated plugin. */
export const PLUGIN_LANGS = ['js', 'ts'] as const;
export type PluginLang = (typeof PLUGIN_LANGS)[number];

/** What each type gives the author, shown by the wizard and in --help. */
export const TYPE_DESCRIPTIONS: Record<PluginType, string> = {
  tool: 'a tool an AI client can call',
  prompt: 'chat prompt templates, no code',
  hook: 'a hook that filters every tool result',
  resource: 'a resource an AI client can read',
  full: 'a tool, a resource, a prompt and a hook',
};

/** Plugin names (DESIGN §2): also folder names, tool prefixes and URI schemes. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9-]{0,49}$/;

/** Says what is wrong with a plugin name, or undefined when it is valid. */
export function pluginNameProblem(name: string): string | undefined {
  if (name === '') return 'a plugin name is required';
  if (name.length > 50) return `is ${name.length} characters long; the limit is 50`;
  const upper = /[A-Z]/.exec(name);
  if (upper) return `has an uppercase letter "${upper[0]}"; use lowercase letters, digits and -`;
  if (!/^[a-z]/.test(name)) return 'must start with a lowercase letter (a-z)';
  const bad = [...name].find((ch) => !/[a-z0-9-]/.test(ch));
  if (bad !== undefined) return `has "${bad}", which is not allowed; use lowercase letters, digits and -`;
  return PLUGIN_NAME_PATTERN.test(name) ? undefined : 'must match ^[a-z][a-z0-9-]{0,49}$';
}

/** Every answer plugin-create needs: what the wizard asks, or flags give. */
export interface ScaffoldAnswers {
  name: string;
  description: string;
  /** "Name <email>", or empty when unknown. */
  author: string;
  /** An SPDX identifier. */
  license: string;
  type: PluginType;
  lang: PluginLang;
  tests: boolean;
  ci: boolean;
}

/** The type --yes picks when --type is not given. */
export const DEFAULT_TYPE: PluginType = 'tool';
export const DEFAULT_LICENSE = 'MIT';

/** The default description for a plugin of a type. */
export function defaultDescription(type: PluginType): string {
  return `A pm plugin: ${TYPE_DESCRIPTIONS[type]}`;
}

/** The version a new plugin starts at. */
export const INITIAL_VERSION = '0.1.0';
