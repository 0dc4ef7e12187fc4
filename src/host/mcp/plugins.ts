import { loadHomePlugins } from '../home-plugins.js';
import type { HostPlugin } from '../manifest-types.js';
import type { PromptSource, PromptSpec } from '../prompts/types.js';

/** An enabled plugin as the server runs it (the host's view, with `linked` for --watch). */
export type ServedPlugin = HostPlugin;

/** The enabled plugins of PM_HOME with their manifests (see loadHomePlugins). */
export function loadEnabledPlugins(home: string, warn: (msg: string) => void = () => {}, opts: { applyConfig?: boolean } = {}): Promise<ServedPlugin[]> {
  return loadHomePlugins(home, warn, { ...opts, enabledOnly: true });
}

/** The prompts the given plugins contribute. */
export function promptSourcesOf(plugins: HostPlugin[]): PromptSource[] {
  return plugins.flatMap((p) => ((p.manifest.contributes?.prompts ?? []) as PromptSpec[]).map((prompt) => ({ plugin: p.name, dir: p.dir, prompt })));
}
