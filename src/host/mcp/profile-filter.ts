import { PmError } from '../../core/errors.js';
import { profileMatcher, type Profile } from '../../core/store/profiles.js';
import { formatToolRef } from '../../core/tool-ref.js';
import type { CallContext, ResourceDescriptor, RuntimeHost } from './types.js';

/** The plugin-and-URI test of a resource template (`{x}` is one path segment), as the host resolves reads. */
function resourcePattern(uri: string): RegExp {
  const src = uri.split(/\{[A-Za-z_][A-Za-z0-9_]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${src}$`);
}

/**
 * `pm serve --mcp --profile NAME`: the host as the MCP server sees it, narrowed to the
 * profile's plugins and tools. What is left out is neither listed nor callable nor readable;
 * every plugin still runs its hooks (a policy guard outside the profile keeps guarding).
 */
export function filterByProfile(host: RuntimeHost, profile: Pick<Profile, 'plugins' | 'tools'>): RuntimeHost {
  const match = profileMatcher(profile);
  // Recomputed from the host's lists, which change on reload.
  const pluginsIn = (): Set<string> => {
    const byPlugin = new Map<string, string[]>();
    for (const t of host.tools()) byPlugin.set(t.plugin, [...(byPlugin.get(t.plugin) ?? []), t.name]);
    for (const n of host.pluginNames()) if (!byPlugin.has(n)) byPlugin.set(n, []);
    return new Set([...byPlugin].filter(([p, tools]) => match.plugin(p, tools)).map(([p]) => p));
  };
  const owner = (uri: string, resources: ResourceDescriptor[]) => resources.find((r) => resourcePattern(r.uri).test(uri))?.plugin;
  return {
    ...host,
    tools: () => host.tools().filter((t) => match.tool(t.plugin, t.name)),
    resources: () => {
      const inProfile = pluginsIn();
      return host.resources().filter((r) => inProfile.has(r.plugin));
    },
    prompts: () => {
      const inProfile = pluginsIn();
      return host.prompts().filter((p) => inProfile.has(p.plugin));
    },
    ...(host.serverPrompts ? { serverPrompts: () => { const inProfile = pluginsIn(); return host.serverPrompts!().filter((p) => inProfile.has(p.plugin)); } } : {}),
    ...(host.getServerPrompt ? {
      getServerPrompt: async (plugin: string, name: string, args: Record<string, string>, opts: { call: CallContext }) => {
        if (!pluginsIn().has(plugin)) throw new PmError('PROMPT_NOT_FOUND', `${plugin}.${name} is not in this server's profile`, { data: { prompt: `${plugin}.${name}` } });
        return host.getServerPrompt!(plugin, name, args, opts);
      },
    } : {}),
    pluginNames: () => [...pluginsIn()].sort(),
    callTool: async (ref, args, opts) => {
      if (!match.tool(ref.plugin, ref.tool)) {
        throw new PmError('TOOL_NOT_FOUND', `${formatToolRef(ref)} is not in this server's profile`, { data: { tool: formatToolRef(ref) } });
      }
      return host.callTool(ref, args, opts);
    },
    readResource: async (uri, opts) => {
      // The host reads from the first plugin whose resource matches: that one must be in the profile.
      const plugin = owner(uri, host.resources());
      if (plugin !== undefined && !pluginsIn().has(plugin)) {
        throw new PmError('RESOURCE_NOT_FOUND', `no plugin of this server's profile provides the resource ${uri}`, { data: { uri } });
      }
      return host.readResource(uri, opts);
    },
  };
}
