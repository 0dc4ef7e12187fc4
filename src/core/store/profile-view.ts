import { contextCost, type ContextCost, type CostedTool } from '../context-cost.js';
import { readPluginManifest } from '../manifest/read.js';
import { listedTools } from './plugin-tools.js';
import { getProfile, profileMatcher, type Profile } from './profiles.js';
import { pluginDir, readState } from './state.js';

/** `pm profile-show`'s result (the documented --json shape). */
export interface ProfileView {
  profile: Profile;
  /** The enabled plugins the profile serves, with the `<plugin>.<tool>` names it serves of each. */
  served: { plugin: string; tools: string[] }[];
  /** Estimated context cost of the served tools, per plugin and in total (core/context-cost.ts). */
  cost: ContextCost;
  /** What the profile names that is not served: plugins not installed or disabled, globs that match no tool. */
  notFound: { plugins: { plugin: string; reason: 'not installed' | 'disabled' | 'unreadable' }[]; tools: string[] };
}

/** What `pm serve --mcp --profile NAME` would serve now, from the manifests (starts nothing). */
export async function showProfile(name: string, opts: { home: string }): Promise<ProfileView> {
  const profile = await getProfile(name, opts);
  const state = await readState(opts.home);
  const match = profileMatcher(profile);
  const served: ProfileView['served'] = [];
  const costed: { plugin: string; tools: CostedTool[] }[] = [];
  const missing: ProfileView['notFound']['plugins'] = [];
  const usedGlobs = new Set<string>();
  for (const plugin of Object.keys(state.plugins).sort()) {
    const rec = state.plugins[plugin]!;
    let tools: CostedTool[];
    try {
      tools = await listedTools(opts.home, plugin, (await readPluginManifest(pluginDir(opts.home, plugin, state))).manifest);
    } catch {
      if (profile.plugins?.includes(plugin)) missing.push({ plugin, reason: 'unreadable' });
      continue;
    }
    const names = tools.map((t) => t.name);
    if (!match.plugin(plugin, names)) continue;
    if (rec.enabled === false) {
      missing.push({ plugin, reason: 'disabled' });
      continue;
    }
    const kept = tools.filter((t) => match.tool(plugin, t.name));
    for (const g of profile.tools ?? []) if (kept.some((t) => profileMatcher({ tools: [g] }).tool(plugin, t.name))) usedGlobs.add(g);
    served.push({ plugin, tools: kept.map((t) => `${plugin}.${t.name}`) });
    costed.push({ plugin, tools: kept });
  }
  for (const p of profile.plugins ?? []) if (!Object.hasOwn(state.plugins, p)) missing.push({ plugin: p, reason: 'not installed' });
  return {
    profile,
    served,
    cost: contextCost(costed),
    notFound: { plugins: missing.sort((a, b) => (a.plugin < b.plugin ? -1 : 1)), tools: (profile.tools ?? []).filter((g) => !usedGlobs.has(g)) },
  };
}
