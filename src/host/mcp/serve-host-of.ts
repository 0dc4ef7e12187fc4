import type { Host } from '../host.js';
import type { PromptSource } from '../prompts/types.js';
import type { ServeHost } from './types.js';

/**
 * The MCP server's view of a running host: lists from the manifests (no process starts),
 * calls, reads and hook dispatches through the host. Shared by `pm serve` and pmkit/testing,
 * so tests see exactly what a client sees.
 */
export function serveHostOf(host: Host, view: { prompts(): PromptSource[]; titles?(): Map<string, string> }): Omit<ServeHost, 'reload'> {
  return {
    tools: () => {
      const titles = view.titles?.();
      return host.listTools().map((t) => ({
        plugin: t.plugin,
        name: t.tool,
        ...(titles?.has(t.name) ? { title: titles.get(t.name) } : t.title ? { title: t.title } : {}),
        ...(t.description ? { description: t.description } : {}),
        inputSchema: t.inputSchema,
        ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
        ...(t.annotations ? { annotations: t.annotations } : {}),
      }));
    },
    resources: () => [
      ...host.listResources().map((r) => ({
        plugin: r.plugin,
        uri: r.uri,
        name: r.name ?? r.uri,
        ...(r.description ? { description: r.description } : {}),
        ...(r.mimeType ? { mimeType: r.mimeType } : {}),
      })),
      ...host.listServerResources().map((r) => ({ ...r, server: true })),
    ],
    serverPrompts: () => host.listServerPrompts(),
    getServerPrompt: (plugin, name, args, o) => host.getPrompt(plugin, name, args, { call: o.call }),
    pinUnpinned: () => host.pinUnpinned(),
    onListsChanged: (listener) => void host.onListsChanged(listener),
    prompts: () => view.prompts(),
    callTool: (ref, args, o) => host.callTool(ref, args, { call: o.call, onProgress: o.onProgress }),
    readResource: async (uri, o) => ({ ...(await host.readResource(uri, { call: o.call })) }),
    dispatch: async (event, value, call) => {
      const r = await host.hooks.dispatch(event, value, undefined, call ? { call } : undefined);
      return r.denied ? { value: r.value, denied: { reason: r.denied.reason, by: r.denied.plugin } } : { value: r.value };
    },
  };
}
