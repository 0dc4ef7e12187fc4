/**
 * The substitutions of a server plugin's `server` block (DESIGN §2 "Server plugins"):
 * `${pluginDir}`, `${dataDir}`, `${config.KEY}` and `${secret.NAME}`, nothing else. No
 * shell, no `$HOME`: a string is the program's argument exactly as written, with only
 * these four replaced.
 */
import { PmError } from '../errors.js';
import type { ServerSpec } from '../manifest/types.js';

/** What a `${...}` may refer to; `config` is already merged with the schema's defaults. */
export interface SubstitutionValues {
  pluginDir: string;
  dataDir: string;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  /** The plugin's name, for the hints (optional). */
  plugin?: string;
}

/** A server command with every substitution done: what the spawn gets. */
export interface ResolvedServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Every string of the spec with the path it is reported under (`server.args[1]`). */
function* fields(spec: ServerSpec): Generator<[string, string]> {
  yield ['server.command', spec.command];
  for (const [i, a] of (spec.args ?? []).entries()) yield [`server.args[${i}]`, a];
  for (const [k, v] of Object.entries(spec.env ?? {})) yield [`server.env.${k}`, v];
  if (spec.cwd !== undefined) yield ['server.cwd', spec.cwd];
}

/** The names of the secrets `spec` references as `${secret.NAME}`, each once, in order of appearance. */
export function referencedSecrets(spec: ServerSpec): string[] {
  const names = new Set<string>();
  for (const [, text] of fields(spec)) {
    for (const m of text.matchAll(PLACEHOLDER)) if (m[1]!.startsWith('secret.')) names.add(m[1]!.slice('secret.'.length));
  }
  return [...names];
}

/** A config value as text: strings as they are, anything else as JSON (numbers, booleans, lists). */
function configText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function expand(text: string, where: string, v: SubstitutionValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'pluginDir') return v.pluginDir;
    if (name === 'dataDir') return v.dataDir;
    if (name.startsWith('config.') && name.length > 'config.'.length) {
      const key = name.slice('config.'.length);
      const value = Object.hasOwn(v.config, key) ? v.config[key] : undefined;
      if (value === undefined || value === null) {
        throw new PmError('SERVER_CONFIG_MISSING', `${where} uses ${whole}, but the plugin's configuration has no value for "${key}" and its schema no default`, {
          hint: `set it with 'pm plugin-config ${v.plugin ?? '<name>'} ${key} <value>'`, data: { field: where, key },
        });
      }
      return configText(value);
    }
    if (name.startsWith('secret.') && name.length > 'secret.'.length) {
      const secret = name.slice('secret.'.length);
      const value = Object.hasOwn(v.secrets, secret) ? v.secrets[secret] : undefined;
      if (value === undefined) {
        throw new PmError('SECRET_MISSING', `${where} uses ${whole}, but no secret ${secret} is set`, {
          hint: `pm secret-set ${secret}`, data: { field: where, secret },
        });
      }
      return value;
    }
    throw new PmError('SERVER_SUBSTITUTION_UNKNOWN', `${where} uses ${whole}, which pm does not substitute`, {
      hint: 'only ${pluginDir}, ${dataDir}, ${config.KEY} and ${secret.NAME} are substituted (no shell, no environment variables)',
      data: { field: where, placeholder: whole },
    });
  });
}

/** Expands the substitutions of `spec`; cwd defaults to the plugin folder. Throws a PmError naming the first one that cannot be done. */
export function substituteServerSpec(spec: ServerSpec, values: SubstitutionValues): ResolvedServerCommand {
  const command = expand(spec.command, 'server.command', values);
  const args = (spec.args ?? []).map((a, i) => expand(a, `server.args[${i}]`, values));
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(spec.env ?? {})) env[k] = expand(val, `server.env.${k}`, values);
  const cwd = spec.cwd === undefined ? values.pluginDir : expand(spec.cwd, 'server.cwd', values);
  return { command, args, env, cwd };
}
