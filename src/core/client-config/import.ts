import { dirname } from 'node:path';
import { PmError } from '../errors.js';
import { addLocalServer } from '../sources/mcp-add.js';
import type { StageServerOptions } from '../sources/stage-server.js';
import { secretValues, setSecret } from '../store/secrets.js';
import { planImport, type ImportPlan, type ImportSkip } from './import-plan.js';
import { readClientConfig } from './read-config.js';

export interface ClientImportOptions extends Pick<StageServerOptions, 'yes' | 'onConsent' | 'confirm' | 'lockTimeoutMs'> {
  home: string;
  config?: string;
  /** --dry-run / --print: list what would be imported, install nothing. */
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  userHome?: string;
}

export interface ImportedServer {
  server: string;
  plugin: string;
  command: string[];
  /** The plugin's env as written: secret-like values replaced by `${secret.NAME}`. */
  env: Record<string, string>;
  /** The pm secrets the values went to. */
  secrets: string[];
  notes: string[];
  installed: boolean;
}

export interface ClientImportResult {
  client: string;
  path: string;
  imported: ImportedServer[];
  skipped: (ImportSkip & { code?: string })[];
}

/** The secret name for an env value: the variable's own name, or `<PLUGIN>_<NAME>` when that holds another value. */
async function secretNames(home: string, plans: ImportPlan[]): Promise<Map<ImportPlan, Record<string, string>>> {
  const keys = [...new Set(plans.flatMap((p) => Object.keys(p.secretEnv)))];
  const { values } = await secretValues(home, keys);
  const claimed = new Map<string, string>(Object.entries(values));
  const out = new Map<ImportPlan, Record<string, string>>();
  for (const p of plans) {
    const names: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.secretEnv)) {
      const own = claimed.get(k);
      const name = own === undefined || own === v ? k : `${p.plugin.toUpperCase().replace(/-/g, '_')}_${k}`;
      claimed.set(name, v);
      names[k] = name;
    }
    out.set(p, names);
  }
  return out;
}

/**
 * `pm client-setup --import <client>`: adds each stdio server of the client's config as a local
 * server plugin through mcp-add's core (unsigned, source local); secret-like env values go to pm's
 * secrets and the plugin refers to them as `${secret.NAME}`. pm's own entry and remote servers are skipped.
 */
export async function importClientServers(client: string, o: ClientImportOptions): Promise<ClientImportResult> {
  const cfg = await readClientConfig(client, { config: o.config, env: o.env, platform: o.platform, userHome: o.userHome });
  const { plans, skipped } = planImport(cfg.doc.servers);
  const names = await secretNames(o.home, plans);
  const result: ClientImportResult = { client: cfg.fmt.client, path: cfg.path, imported: [], skipped };
  for (const p of plans) {
    const secretOf = names.get(p)!;
    const env = { ...p.env, ...Object.fromEntries(Object.keys(p.secretEnv).map((k) => [k, `\${secret.${secretOf[k]}}`])) };
    const item: ImportedServer = { server: p.server, plugin: p.plugin, command: p.argv, env, secrets: Object.values(secretOf), notes: p.notes, installed: false };
    if (o.dryRun) { result.imported.push(item); continue; }
    try {
      // Relative paths in the entry meant the folder the client started in; the config's folder is the best guess.
      await addLocalServer(p.plugin, p.argv, {
        home: o.home, cwd: dirname(cfg.path), env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        yes: o.yes, onConsent: o.onConsent, confirm: o.confirm, lockTimeoutMs: o.lockTimeoutMs, enable: true,
      });
    } catch (err) {
      // Without --yes and a terminal nothing can be accepted: stop before the next server asks too.
      if (err instanceof PmError && err.code === 'CONSENT_REQUIRED') throw err;
      if (!(err instanceof PmError)) throw err;
      result.skipped.push({ server: p.server, reason: err.message, code: err.code });
      continue;
    }
    for (const [k, v] of Object.entries(p.secretEnv)) await setSecret(secretOf[k]!, v, { home: o.home, lockTimeoutMs: o.lockTimeoutMs });
    result.imported.push({ ...item, installed: true });
  }
  return result;
}
