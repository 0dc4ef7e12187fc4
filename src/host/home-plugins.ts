import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyConfigSchema } from '../core/store/config.js';
import { dataDir, pluginDir, readState } from '../core/store/state.js';
import type { HostManifest, HostPlugin } from './manifest-types.js';

/**
 * The installed plugins of PM_HOME as the host runs them, from the store's state.json:
 * installed ones from plugins/<name>, linked ones from their folder, config with the
 * schema's defaults applied. A plugin whose plugin.json cannot be read is skipped with a
 * warning, so one broken plugin cannot take the others down.
 */
export async function loadHomePlugins(home: string, warn: (message: string) => void = () => {}): Promise<HostPlugin[]> {
  const state = await readState(home);
  const out: HostPlugin[] = [];
  for (const name of Object.keys(state.plugins).sort()) {
    const rec = state.plugins[name]!;
    const dir = pluginDir(home, name, state);
    let manifest: HostManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as HostManifest;
    } catch (err) {
      warn(`skipping plugin ${name}: cannot read ${join(dir, 'plugin.json')}: ${(err as Error).message}`);
      continue;
    }
    let config = rec.config ?? {};
    if (manifest.config && typeof manifest.config === 'object') {
      try {
        config = (await applyConfigSchema(name, manifest.config, config)) as Record<string, unknown>;
      } catch (err) {
        warn(`plugin ${name}: ${(err as Error).message}; it gets its configuration without defaults`);
      }
    }
    out.push({ name, dir, dataDir: dataDir(home, name), manifest, config, enabled: rec.enabled !== false });
  }
  return out;
}
