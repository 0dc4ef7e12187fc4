/**
 * The contract between the host and a server plugin's process (DESIGN §2 "Server plugins"):
 * pm is the server's MCP client over stdio. host.ts codes against this interface only.
 */
import type {
  CallToolResult, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallOptions, PluginProcessStats, PluginState } from '../process/options.js';

/** What a running server reports of itself (tools/list, resources/list, templates, prompts/list, all pages). */
export interface ServerCatalog {
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

/** Which of the server's lists a `notifications/*\/list_changed` said changed. */
export type ServerListKind = 'tools' | 'resources' | 'prompts';

/** Callbacks the host gives a server process. */
export interface ServerProcessEvents {
  /** The server sent list_changed (after start, the host re-reads the list with `catalog()`). */
  onListChanged?(kind: ServerListKind): void;
  /** The process started and initialized; `catalog` is what it reported at this start. */
  onStarted?(catalog: ServerCatalog): void;
  /** The process exited unexpectedly (it is restarted with backoff, or marked failed). */
  onCrashed?(info: { code: number | null; signal: NodeJS.Signals | null; failed: boolean; message: string }): void;
}

/** A supervised server plugin process: lazy start, initialize, ping, timeouts, restarts, idle stop. */
export interface ServerProcessLike {
  readonly name: string;
  readonly state: PluginState;
  /** Starts the server if needed and returns its current lists. */
  catalog(): Promise<ServerCatalog>;
  /** tools/call by the server's own tool name; progress and cancellation pass through. */
  callTool(tool: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult>;
  getPrompt(name: string, args: Record<string, string>, options?: CallOptions): Promise<GetPromptResult>;
  /** `ping`, starting the server if needed. */
  health(): Promise<{ ok: boolean; detail?: string }>;
  stats(withHistogram?: boolean): PluginProcessStats;
  /** Graceful: close stdin, then SIGTERM after the grace time, then SIGKILL. */
  stop(): Promise<void>;
}
