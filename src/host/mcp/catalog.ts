import type { PromptSource } from '../prompts/types.js';
import type { ResourceDescriptor, ServeHost, ServerPromptDescriptor, ToolDescriptor } from './types.js';

/** What a tools/list entry carries on the wire. */
export interface WireTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface WirePrompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

/** Whether a resource URI is a template (RFC 6570 placeholders). */
export function isTemplate(uri: string): boolean {
  return /\{[^}]+\}/.test(uri);
}

/**
 * The server's view of the enabled plugins, built once from manifests and kept until the
 * next reload, so tools/list is a lookup and not a walk over every manifest.
 */
export class Catalog {
  readonly tools = new Map<string, ToolDescriptor>();
  readonly prompts = new Map<string, PromptSource>();
  /** Server plugins' prompts by wire name (proxied, not rendered by pm). */
  readonly serverPrompts = new Map<string, ServerPromptDescriptor>();
  toolList: WireTool[] = [];
  promptList: WirePrompt[] = [];
  resourceList: { uri: string; name: string; title?: string; description?: string; mimeType?: string }[] = [];
  templateList: { uriTemplate: string; name: string; title?: string; description?: string; mimeType?: string }[] = [];
  /** One string per list, to tell which lists a reload changed. */
  signatures = { tools: '', resources: '', prompts: '' };

  constructor(readonly separator: string) {}

  /** The wire name of `<plugin>.<name>`. */
  wireName(plugin: string, name: string): string {
    return `${plugin}${this.separator}${name}`;
  }

  /** Rebuilds every list from the host and returns which ones changed. */
  rebuild(host: ServeHost): { tools: boolean; resources: boolean; prompts: boolean } {
    this.tools.clear();
    this.prompts.clear();
    this.serverPrompts.clear();
    this.toolList = host.tools().map((t) => {
      const name = this.wireName(t.plugin, t.name);
      this.tools.set(name, t);
      const w: WireTool = { name, inputSchema: t.inputSchema ?? { type: 'object' } };
      if (t.title) w.title = t.title;
      if (t.description) w.description = t.description;
      if (t.outputSchema) w.outputSchema = t.outputSchema;
      if (t.annotations) w.annotations = t.annotations;
      return w;
    });
    this.promptList = host.prompts().map((p) => {
      const name = this.wireName(p.plugin, p.prompt.name);
      this.prompts.set(name, p);
      const w: WirePrompt = { name };
      if (p.prompt.title) w.title = p.prompt.title;
      if (p.prompt.description) w.description = p.prompt.description;
      if (p.prompt.arguments?.length) {
        w.arguments = p.prompt.arguments.map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), required: Boolean(a.required) }));
      }
      return w;
    });
    for (const p of host.serverPrompts?.() ?? []) {
      const name = this.wireName(p.plugin, p.name);
      this.serverPrompts.set(name, p);
      const w: WirePrompt = { name };
      if (p.prompt.title) w.title = p.prompt.title;
      if (p.prompt.description) w.description = p.prompt.description;
      if (p.prompt.arguments?.length) {
        w.arguments = p.prompt.arguments.map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), required: Boolean(a.required) }));
      }
      this.promptList.push(w);
    }
    const resources: ResourceDescriptor[] = host.resources();
    const meta = (r: ResourceDescriptor) => ({
      name: r.server ? this.wireName(r.plugin, r.name) : r.name,
      ...(r.title ? { title: r.title } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(r.mimeType ? { mimeType: r.mimeType } : {}),
    });
    this.resourceList = resources.filter((r) => !isTemplate(r.uri)).map((r) => ({ uri: r.uri, ...meta(r) }));
    this.templateList = resources.filter((r) => isTemplate(r.uri)).map((r) => ({ uriTemplate: r.uri, ...meta(r) }));
    const next = {
      tools: JSON.stringify(this.toolList),
      resources: JSON.stringify([this.resourceList, this.templateList]),
      prompts: JSON.stringify(this.promptList),
    };
    const changed = { tools: next.tools !== this.signatures.tools, resources: next.resources !== this.signatures.resources, prompts: next.prompts !== this.signatures.prompts };
    this.signatures = next;
    return changed;
  }
}
