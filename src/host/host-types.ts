/** The shapes of the plugin host's API (host.ts), in one place. */
import type { Prompt } from '@modelcontextprotocol/sdk/types.js';
import type { ResourceContribution as ResourceDecl, ToolAnnotations } from '../core/manifest/types.js';
import type { ToolRef } from '../core/tool-ref.js';
import type { CallContext } from './call-context.js';
import type { DispatcherOptions, HandlerStats } from './hooks/dispatcher.js';
import type { HostPlugin } from './manifest-types.js';
import type { PluginProcessStats, SupervisorOptions } from './process/options.js';
import type { ServerProcessFactory } from './server-plugin.js';

export interface HostOptions extends Partial<SupervisorOptions>, Pick<DispatcherOptions, 'guardFailOpen'> {
  /** Per-handler hook timeout when the manifest gives none (default 5000 ms). */
  hookTimeoutMs?: number;
  /** Receives plugin logs and host warnings (default: stderr, `[plugin] message`). */
  log?: (entry: { plugin?: string; level: string; message: string }) => void;
  /** Write hook stats to <home>/stats/hooks.json on close (default: when a home is given). */
  persistStats?: boolean;
  /** Makes a server plugin's process (default: the real ServerProcess, loaded on first use; tests pass a stand-in). */
  serverProcess?: ServerProcessFactory;
  /** Told when a plugin's process crashes (or is marked failed) and when a server's tools differ from its pin (webhooks of pm serve). */
  onPluginEvent?: (e: PluginEvent) => void;
}

/** Something that happened to a plugin that the operator may want to hear of. */
export interface PluginEvent {
  plugin: string;
  kind: 'crashed' | 'failed' | 'tools-changed';
  message: string;
  /** tools-changed: the tool names added, removed and modified against the pin. */
  details?: Record<string, unknown>;
}

export interface CreateHostOptions {
  /** PM_HOME: plugins come from its state.json unless `plugins` is given; stats and pins are written here. */
  home?: string;
  plugins?: HostPlugin[];
  options?: HostOptions;
}

export interface ToolInfo extends ToolRef {
  /** `<plugin>.<tool>` */
  name: string;
  /** A server plugin's tool title (module plugins' titles come from the manifest). */
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  timeoutMs: number;
}

export interface ResourceInfo extends ResourceDecl {
  plugin: string;
}

/** A resource or template (`uri` holds `{…}`) by plugin: a server's as it last reported it; the MCP layer's descriptor adds to it. */
export interface ServerResourceInfo {
  plugin: string;
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

/** A server plugin's prompt under its safe name. */
export interface ServerPromptInfo {
  plugin: string;
  name: string;
  prompt: Prompt;
}

export interface CallToolOptions {
  signal?: AbortSignal;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
  /** The plugin making the call, for plugin-to-plugin routing (set by the host). */
  caller?: string;
  /** The MCP request being served: hooks see it; its signal cancels the call when `signal` is not given. */
  call?: CallContext;
}

export interface HostStats {
  plugins: PluginProcessStats[];
  hooks: HandlerStats[];
}

export interface ReloadResult {
  added: string[];
  removed: string[];
  changed: string[];
  /** Plugins whose new state could not be applied: stopped, not served ('*': none could be read). */
  failed: { plugin: string; message: string }[];
}
