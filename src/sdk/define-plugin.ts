import type { PluginDefinition } from './types.js';

/** Types a plugin's entry module; returns it unchanged (no runtime dependency on pm is needed). */
export function definePlugin<Config = Record<string, unknown>>(plugin: PluginDefinition<Config>): PluginDefinition<Config> {
  return plugin;
}
