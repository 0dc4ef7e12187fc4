import { PLUGIN_NAME } from '../store/paths.js';
import { MIN_SECRET_LENGTH } from '../store/secrets.js';
import { looksLikePm } from './check-entry.js';
import type { RawServer } from './servers-doc.js';

/** A client's stdio server as pm will add it: the plugin name, its command line, and its env split into literals and secrets. */
export interface ImportPlan {
  server: string;
  plugin: string;
  argv: string[];
  /** Env values kept as they are. */
  env: Record<string, string>;
  /** Env values that look like secrets (keys with TOKEN, KEY, SECRET, PASSWORD): stored with pm's secrets. */
  secretEnv: Record<string, string>;
  /** What pm leaves out of the entry (cwd, disabled flags…), for the summary. */
  notes: string[];
}

export interface ImportSkip {
  server: string;
  reason: string;
}

const SECRET_KEY = /TOKEN|KEY|SECRET|PASSWORD/i;
const ENTRY_KEYS = new Set(['type', 'command', 'args', 'env']);

/** A client's server name as a plugin name: lower-case, other characters as '-', `mcp-` in front when it must start with a letter. */
export function pluginNameFor(server: string): string | undefined {
  const derived = server.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  if (PLUGIN_NAME.test(derived)) return derived;
  const prefixed = `mcp-${derived}`.slice(0, 50).replace(/-+$/, '');
  return PLUGIN_NAME.test(prefixed) ? prefixed : undefined;
}

/** Sorts a client's servers into what pm imports and what it skips (pm itself, remote servers, entries without a command). */
export function planImport(servers: Record<string, RawServer>): { plans: ImportPlan[]; skipped: ImportSkip[] } {
  const plans: ImportPlan[] = [];
  const skipped: ImportSkip[] = [];
  const taken = new Set<string>();
  for (const [server, entry] of Object.entries(servers)) {
    if (!entry || typeof entry !== 'object') { skipped.push({ server, reason: 'not an object' }); continue; }
    const remote = entry.url ?? entry.serverUrl ?? entry.httpUrl;
    if (remote !== undefined || (typeof entry.type === 'string' && entry.type !== 'stdio')) {
      skipped.push({ server, reason: `a remote server (${typeof remote === 'string' ? remote : String(entry.type)}): pm adds servers it starts on stdio` });
      continue;
    }
    if (looksLikePm(server, entry)) { skipped.push({ server, reason: 'pm itself' }); continue; }
    if (typeof entry.command !== 'string' || entry.command.trim() === '') { skipped.push({ server, reason: 'has no "command"' }); continue; }
    const plugin = pluginNameFor(server);
    if (!plugin || taken.has(plugin)) { skipped.push({ server, reason: plugin ? `its plugin name "${plugin}" is taken by another server of this file` : 'no plugin name can be made from its name' }); continue; }
    taken.add(plugin);
    const args = Array.isArray(entry.args) ? entry.args.map(String) : [];
    const env: Record<string, string> = {};
    const secretEnv: Record<string, string> = {};
    const rawEnv = entry.env && typeof entry.env === 'object' ? (entry.env as Record<string, unknown>) : {};
    const clientOnly = Object.entries(rawEnv).find(([, v]) => /\$\{(input|env|workspaceFolder|userHome)\b/.test(String(v)));
    if (clientOnly) {
      skipped.push({ server, reason: `env ${clientOnly[0]} is ${String(clientOnly[1])}, which only the client fills in: add it with pm mcp-add ${plugin} --env '${clientOnly[0]}=\${secret.NAME}' after pm secret-set NAME` });
      continue;
    }
    for (const [k, v] of Object.entries(rawEnv)) {
      const value = String(v);
      if (SECRET_KEY.test(k) && !value.includes('${') && value.length >= MIN_SECRET_LENGTH) secretEnv[k] = value;
      else env[k] = value;
    }
    const notes = Object.keys(entry).filter((k) => !ENTRY_KEYS.has(k)).map((k) => `"${k}" is not carried over`);
    plans.push({ server, plugin, argv: [entry.command, ...args], env, secretEnv, notes });
  }
  return { plans, skipped };
}
