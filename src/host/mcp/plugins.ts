import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDir, pluginDir, readState } from '../../core/store/state.js';
import type { HostPlugin } from '../manifest-types.js';
import type { PromptSource, PromptSpec } from '../prompts/types.js';

/** An enabled plugin as the server runs it: the host's view plus whether it is linked. */
export interface ServedPlugin extends HostPlugin {
  /** The development folder of a linked plugin (watched with --watch). */
  linked?: string;
}

/**
 * The enabled plugins of PM_HOME with their manifests: installed ones from plugins/<name>,
 * linked ones from their development folder; config with the schema's defaults applied.
 */
export async function loadEnabledPlugins(home: string, warn: (msg: string) => void = () => {}, opts: { applyConfig?: boolean } = {}): Promise<ServedPlugin[]> {
  const state = await readState(home);
  const out: ServedPlugin[] = [];
  for (const name of Object.keys(state.plugins).sort()) {
    const rec = state.plugins[name];
    if (!rec.enabled) continue;
    const dir = pluginDir(home, name, state);
    let manifest: HostPlugin['manifest'];
    try {
      manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    } catch (err) {
      // One broken plugin must not take every other plugin's tools away.
      warn(`skipping plugin ${name}: cannot read ${join(dir, 'plugin.json')}: ${(err as Error).message}`);
      continue;
    }
    let config = rec.config ?? {};
    const schema = (manifest as { config?: Record<string, unknown> }).config;
    if (opts.applyConfig !== false && schema && typeof schema === 'object') {
      try {
        // Loaded only when a plugin declares settings: it brings ajv.
        const { applyConfigSchema } = await import('../../core/store/config.js');
        config = await applyConfigSchema(name, schema, config);
      } catch (err) {
        warn(`plugin ${name}: ${(err as Error).message}; it gets its configuration without defaults`);
      }
    }
    out.push({ name, dir, dataDir: dataDir(home, name), manifest, config, enabled: true, ...(rec.linked ? { linked: rec.linked } : {}) });
  }
  return out;
}

/** The prompts the given plugins contribute. */
export function promptSourcesOf(plugins: HostPlugin[]): PromptSource[] {
  return plugins.flatMap((p) => ((p.manifest.contributes?.prompts ?? []) as PromptSpec[]).map((prompt) => ({ plugin: p.name, dir: p.dir, prompt })));
}
