import type { JsonSchema, Manifest } from '../manifest/types.js';
import type { ServerJsonArgument, ServerJsonInput, ServerJsonKeyValue } from './server-json.js';

/** What the export left out, and why (shown as warnings; listed in docs/formats.md). */
export interface Dropped {
  where: string;
  reason: string;
}

const SUBST = /\$\{([^}]*)\}/g;
const WHOLE = /^\$\{(secret|config)\.([A-Za-z0-9_.-]+)\}$/;

/** A `${config.KEY}` as a server.json input: description, default, choices and required from the config schema. */
function configInput(m: Manifest, key: string): ServerJsonInput {
  const prop = (m.config?.properties as Record<string, JsonSchema> | undefined)?.[key] ?? {};
  const required = Array.isArray(m.config?.required) && (m.config.required as unknown[]).includes(key);
  const t = prop.type;
  const format = t === 'number' || t === 'integer' ? 'number' : t === 'boolean' ? 'boolean' : undefined;
  const def = prop.default;
  return {
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    ...(required && def === undefined ? { isRequired: true } : {}),
    ...(format ? { format } : {}),
    ...(['string', 'number', 'boolean'].includes(typeof def) ? { default: String(def) } : {}),
    ...(Array.isArray(prop.enum) && prop.enum.every((v) => ['string', 'number', 'boolean'].includes(typeof v)) ? { choices: prop.enum.map(String) } : {}),
  };
}

/** A `${secret.NAME}` as a server.json input: required and secret, never a value. */
function secretInput(name: string): ServerJsonInput {
  return { description: `pm secret ${name}`, isRequired: true, isSecret: true };
}

/**
 * One plugin.json string as a server.json input: a whole `${secret.X}`/`${config.X}` becomes
 * the input itself, a template becomes `value` with `{X}` variables, a literal a `default`;
 * `${pluginDir}`/`${dataDir}` have no meaning outside pm, so such a string is left out (undefined).
 */
export function inputOf(m: Manifest, text: string): ServerJsonInput | undefined {
  const whole = WHOLE.exec(text);
  if (whole) return whole[1] === 'secret' ? secretInput(whole[2]!) : configInput(m, whole[2]!);
  const refs = [...text.matchAll(SUBST)].map((x) => x[1]!);
  if (!refs.length) return { default: text };
  const variables: Record<string, ServerJsonInput> = {};
  let unmappable = false;
  const value = text.replace(SUBST, (all, ref: string) => {
    const [kind, ...rest] = ref.split('.');
    const name = rest.join('.');
    if (kind === 'secret' && name) variables[name] = secretInput(name);
    else if (kind === 'config' && name) variables[name] = configInput(m, name);
    else unmappable = true;
    return `{${name || ref}}`;
  });
  if (unmappable) return undefined;
  return { value, variables, ...(Object.values(variables).some((v) => v.isSecret) ? { isSecret: true } : {}) };
}

/** The server's `env` as server.json `environmentVariables`, with what could not be carried over. */
export function environmentVariables(m: Manifest, dropped: Dropped[]): ServerJsonKeyValue[] {
  const out: ServerJsonKeyValue[] = [];
  for (const [name, text] of Object.entries(m.server?.env ?? {})) {
    const input = inputOf(m, text);
    if (input) out.push({ name, ...input });
    else dropped.push({ where: `server.env.${name}`, reason: 'it uses ${pluginDir} or ${dataDir}, which only pm knows' });
  }
  return out;
}

const FLAG = /^--?[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The server's own arguments (after `skip` launcher arguments pm wrote) as server.json
 * `packageArguments`: `--flag <value>` pairs become named arguments, the rest positional; a
 * flag whose value cannot be carried over is left out with it.
 */
export function packageArguments(m: Manifest, skip: number, dropped: Dropped[]): ServerJsonArgument[] {
  const out: ServerJsonArgument[] = [];
  const args = (m.server?.args ?? []).slice(skip);
  for (let i = 0; i < args.length; i++) {
    const text = args[i]!;
    const next = args[i + 1];
    if (FLAG.test(text) && next !== undefined && !next.startsWith('-')) {
      const input = inputOf(m, next);
      i++;
      if (!input) {
        dropped.push({ where: `server.args[${i - 1 + skip}..${i + skip}]`, reason: `${text} takes a path under \${pluginDir} or \${dataDir}, which only pm knows` });
        continue;
      }
      // A literal value is fixed, not asked for: `value`, not `default`.
      out.push({ type: 'named', name: text, ...fixedOrAsked(input) } as ServerJsonArgument);
      continue;
    }
    const input = inputOf(m, text);
    if (!input) {
      dropped.push({ where: `server.args[${i + skip}]`, reason: 'it uses ${pluginDir} or ${dataDir}, which only pm knows' });
      continue;
    }
    const fixed = fixedOrAsked(input);
    const whole = WHOLE.exec(text);
    out.push({ type: 'positional', ...fixed, ...(whole && fixed.value === undefined ? { valueHint: whole[2]! } : {}) } as ServerJsonArgument);
  }
  return out;
}

/** A literal argument is part of the command line (`value`); an input stays asked for. */
function fixedOrAsked(input: ServerJsonInput): ServerJsonInput {
  return input.default !== undefined && Object.keys(input).length === 1 ? { value: input.default } : input;
}
