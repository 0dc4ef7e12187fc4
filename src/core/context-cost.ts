/**
 * How much of a model's context a plugin's tools take: every tool in tools/list is sent to the
 * model with its name, description and schemas. The estimate is deliberately simple and
 * documented (docs/servers.md): ceil(characters / 4) of the JSON a client receives for the tool.
 * Four characters per token is the usual rule of thumb for English and JSON with BPE tokenizers.
 */
import type { ToolShape } from './tool-shape.js';

/** A tool as the manifest or a pin declares it (the fields tools/list carries). */
export type CostedTool = ToolShape;

/** Characters per token in the estimate. */
export const CHARS_PER_TOKEN = 4;

/** The estimated tokens of a text: ceil(length / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The tools/list entry a client receives for `<plugin><separator><tool>` (the shape of host/mcp/catalog.ts). */
export function wireToolJson(plugin: string, tool: CostedTool, separator = '__'): string {
  return JSON.stringify({
    name: `${plugin}${separator}${tool.name}`,
    ...(tool.title ? { title: tool.title } : {}),
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema ?? { type: 'object' },
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
  });
}

/** One plugin's share: its tools and their estimated tokens. */
export interface PluginCost {
  plugin: string;
  tools: number;
  tokens: number;
}

/** Per plugin and in total, in the order given. */
export interface ContextCost {
  plugins: PluginCost[];
  total: { tools: number; tokens: number };
}

/** The estimated context cost of the given plugins' tools. */
export function contextCost(plugins: readonly { plugin: string; tools: readonly CostedTool[] }[], separator = '__'): ContextCost {
  const out = plugins.map((p) => ({
    plugin: p.plugin,
    tools: p.tools.length,
    tokens: p.tools.reduce((sum, t) => sum + estimateTokens(wireToolJson(p.plugin, t, separator)), 0),
  }));
  return { plugins: out, total: { tools: out.reduce((s, p) => s + p.tools, 0), tokens: out.reduce((s, p) => s + p.tokens, 0) } };
}

/** "12 tools, ~1,340 tokens" for people. */
export function formatCost(c: { tools: number; tokens: number }): string {
  return `${c.tools} tool${c.tools === 1 ? '' : 's'}, ~${c.tokens.toLocaleString('en-US')} tokens`;
}
