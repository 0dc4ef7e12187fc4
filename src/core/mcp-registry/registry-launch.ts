import type { ServerJsonArgument, ServerJsonInput, ServerJsonKeyValue } from './server-json.js';

/** What a server.json package asks of its environment and command line, in pm's terms. */
export interface RegistryLaunch {
  env: Record<string, string>;
  args: string[];
  /** Inputs pm could not fill in (the user gives them with --env / --arg). */
  notes: string[];
}

const PLAIN = /^[^{}]*$/;

/** A value with `{X}` variables as a pm string: secret variables become `${secret.X}`, others their default; undefined when one has neither. */
function template(input: ServerJsonInput): string | undefined {
  if (input.value === undefined) return undefined;
  if (PLAIN.test(input.value)) return input.value;
  let missing = false;
  const out = input.value.replace(/\{([A-Za-z0-9_.-]+)\}/g, (all, name: string) => {
    const v = input.variables?.[name];
    if (v?.isSecret) return `\${secret.${name.replace(/[^A-Za-z0-9_]/g, '_')}}`;
    if (v?.default !== undefined && PLAIN.test(v.default)) return v.default;
    missing = true;
    return all;
  });
  return missing || !PLAIN.test(out.replace(/\$\{secret\.[A-Za-z0-9_]+\}/g, '')) ? undefined : out;
}

/** One env input as a pm env value: a secret becomes `${secret.NAME}` (set with pm secret-set), a value or default is kept. */
function envValue(e: ServerJsonKeyValue): string | undefined {
  const t = template(e);
  if (t !== undefined) return t;
  if (e.isSecret) return `\${secret.${e.name}}`;
  if (e.default !== undefined && PLAIN.test(e.default)) return e.default;
  return undefined;
}

/** The env and arguments of a server.json package as pm's server spec takes them. */
export function registryLaunch(env: ServerJsonKeyValue[] = [], args: ServerJsonArgument[] = []): RegistryLaunch {
  const out: RegistryLaunch = { env: {}, args: [], notes: [] };
  for (const e of env) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) {
      out.notes.push(`environment variable "${e.name}" is not a valid name; left out`);
      continue;
    }
    const v = envValue(e);
    if (v !== undefined) out.env[e.name] = v;
    else if (e.isRequired) out.notes.push(`${e.name} is required and has no default: give it with --env ${e.name}=<value>`);
  }
  for (const a of args) {
    const v = template(a) ?? (a.default !== undefined && PLAIN.test(a.default) ? a.default : undefined);
    if (v === undefined) {
      if (a.isRequired || a.type === 'positional') out.notes.push(`argument ${a.type === 'named' ? a.name : a.valueHint ?? '(positional)'} has no value: give it with --arg`);
      continue;
    }
    if (a.type === 'named') out.args.push(a.name, v);
    else out.args.push(v);
  }
  return out;
}
