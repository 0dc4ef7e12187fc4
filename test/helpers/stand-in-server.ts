/**
 * A stand-in for a server plugin's process (ServerProcessLike, src/host/server/types.ts), in
 * memory: the host's server-plugin code runs against it as against the real ServerProcess, and
 * the test sees how often it "started". Integration tests with real servers use the real one.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { HostPlugin } from '../../src/host/manifest-types.js';
import type { CallOptions, PluginState } from '../../src/host/process/options.js';
import type { ServerCatalog, ServerListKind, ServerProcessEvents, ServerProcessLike } from '../../src/host/server/types.js';

export class StandInServer implements ServerProcessLike {
  state: PluginState = 'idle';
  starts = 0;
  readonly calls: { tool: string; args: Record<string, unknown> }[] = [];
  readonly name: string;

  constructor(plugin: HostPlugin, readonly events: ServerProcessEvents, public lists: ServerCatalog) {
    this.name = plugin.name;
  }

  private start(): void {
    if (this.state === 'running') return;
    this.state = 'running';
    this.starts++;
    this.events.onStarted?.(this.lists);
  }

  async catalog(): Promise<ServerCatalog> {
    this.start();
    return this.lists;
  }

  async callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    this.start();
    this.calls.push({ tool, args });
    options.onProgress?.({ progress: 1, total: 2, message: 'half way' });
    if (options.signal?.aborted) throw new Error('cancelled');
    // Echoes `text` back as it is (hook filters look at it), else names the call.
    return { content: [{ type: 'text', text: typeof args.text === 'string' ? args.text : `${tool} ${JSON.stringify(args)}` }] };
  }

  async readResource(uri: string) {
    this.start();
    return { contents: [{ uri, mimeType: 'text/plain', text: `contents of ${uri}` }] };
  }

  async getPrompt(name: string, args: Record<string, string>) {
    this.start();
    return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text: `${name} ${JSON.stringify(args)}` } }] };
  }

  async health() {
    this.start();
    return { ok: true };
  }

  stats() {
    return { name: this.name, state: this.state, starts: this.starts, crashes: 0, counters: { calls: this.calls.length }, latency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 } } as never;
  }

  async stop(): Promise<void> {
    this.state = 'idle';
  }

  /** The server changes a list and says so (as notifications/…/list_changed does). */
  change(kind: ServerListKind, lists: Partial<ServerCatalog>): void {
    this.lists = { ...this.lists, ...lists };
    this.events.onListChanged?.(kind);
  }
}

/** A tool as a server reports it. */
export function tool(name: string, description = `${name} tool`, properties: Record<string, object> = { text: { type: 'string' } }): Tool {
  return { name, description, inputSchema: { type: 'object', properties } };
}

/** A factory for the host that keeps each stand-in it makes, by plugin name. */
export function standIns(lists: Record<string, ServerCatalog>): { factory: (p: HostPlugin, e: ServerProcessEvents) => StandInServer; made: Map<string, StandInServer> } {
  const made = new Map<string, StandInServer>();
  return {
    made,
    factory: (p, e) => {
      const s = new StandInServer(p, e, lists[p.name] ?? { tools: [], resources: [], resourceTemplates: [], prompts: [] });
      made.set(p.name, s);
      return s;
    },
  };
}

/** A server plugin as the host gets it (no files needed: the stand-in never spawns). */
export function serverPlugin(name: string, dataRoot: string, extra: Partial<HostPlugin['manifest']> = {}): HostPlugin {
  return {
    name, kind: 'server', dir: `${dataRoot}/plugins/${name}`, dataDir: `${dataRoot}/data/${name}`, enabled: true, config: {},
    manifest: { name, version: '1.0.0', description: `${name} server`, server: { command: 'node', args: ['server.js'] }, ...extra },
  };
}
