import { readPluginManifest } from '../core/manifest/read.js';
import { dataDir, pluginDir, readState } from '../core/store/state.js';
import { referencedSecrets as secretsOfSpec } from '../core/server/substitute.js';
import { secretValues } from '../core/store/secrets.js';
import type { HostPlugin } from './manifest-types.js';

export interface LoadHomePluginsOptions {
  /** Leave disabled plugins out (the MCP server serves only enabled ones). */
  enabledOnly?: boolean;
  /** Apply the config schema's defaults (default true; prompt listing skips it). */
  applyConfig?: boolean;
}

/**
 * The installed plugins of PM_HOME as the host runs them, from the store's state.json:
 * installed ones from plugins/<name>, linked ones from their folder, config with the
 * schema's defaults applied. A plugin whose plugin.json cannot be read is skipped with a
 * warning, so one broken plugin cannot take the others down.
 */
export async function loadHomePlugins(home: string, warn: (message: string) => void = () => {}, opts: LoadHomePluginsOptions = {}): Promise<HostPlugin[]> {
  const state = await readState(home);
  const out: HostPlugin[] = [];
  for (const name of Object.keys(state.plugins).sort()) {
    const rec = state.plugins[name]!;
    const enabled = rec.enabled !== false;
    if (opts.enabledOnly && !enabled) continue;
    const dir = pluginDir(home, name, state);
    let read: Awaited<ReturnType<typeof readPluginManifest>>;
    try {
      read = await readPluginManifest(dir);
    } catch (err) {
      warn(`skipping plugin ${name}: ${(err as Error).message}`);
      continue;
    }
    const { manifest, kind } = read;
    let config = rec.config ?? {};
    if (opts.applyConfig !== false && manifest.config && typeof manifest.config === 'object') {
      try {
        // Loaded only when a plugin declares settings: it brings ajv.
        const { applyConfigSchema } = await import('../core/store/config.js');
        config = (await applyConfigSchema(name, manifest.config, config)) as Record<string, unknown>;
      } catch (err) {
        warn(`plugin ${name}: ${(err as Error).message}; it gets its configuration without defaults`);
      }
    }
    let secrets: Record<string, string> | undefined;
    try {
      secrets = await referencedSecrets(home, name, manifest, warn);
    } catch (err) {
      warn(`skipping plugin ${name}: ${(err as Error).message}`);
      continue;
    }
    out.push({ name, kind, dir, dataDir: dataDir(home, name), manifest, config, enabled, ...(secrets ? { secrets } : {}), ...(rec.linked ? { linked: rec.linked } : {}), ...(rec.restartRequestedAt ? { restartRequestedAt: rec.restartRequestedAt } : {}), ...(rec.fullTrust ? { fullTrust: rec.fullTrust } : {}) });
  }
  return out;
}

/** Only the secrets the plugin's server spec references (never all of them); unset ones are warned about. */
async function referencedSecrets(home: string, name: string, manifest: HostPlugin['manifest'], warn: (message: string) => void): Promise<Record<string, string> | undefined> {
  const names = manifest.server ? secretsOfSpec(manifest.server) : [];
  if (!names.length) return undefined;
  const { values, missing } = await secretValues(home, names);
  if (missing.length) warn(`plugin ${name} references ${missing.length === 1 ? 'a secret that is' : 'secrets that are'} not set: ${missing.join(', ')}; set ${missing.length === 1 ? 'it' : 'them'} with pm secret-set ${missing[0]}`);
  return values;
}
