/** Public types for plugin authors (package `pmkit`). The entry module's shape is DESIGN §2. */

// MCP's own result types (the SDK's), not a copy: a plugin's results are what the client receives.
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** An MCP content block of a tool result (the MCP SDK's ContentBlock). */
export type { ContentBlock };

/** MCP's CallToolResult (the MCP SDK's type). A tool may also return a string (wrapped as text) or a JSON value. */
export type { CallToolResult };

/** Writes to the host's log (stderr), never to stdout. */
export interface PluginLogger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** What activate() and every handler receive. */
export interface PluginContext<Config = Record<string, unknown>> {
  name: string;
  version: string;
  /** The user's configuration (`pm plugin-config`), validated against the manifest's `config` schema. */
  config: Config;
  /** The plugin's writable folder (the only one, unless plugin.json grants more). */
  dataDir: string;
  log: PluginLogger;
  hooks: {
    /** Emits a custom event declared in `contributes.events`; resolves when its handlers ran. */
    emit(event: string, value?: unknown): Promise<void>;
  };
  tools: {
    /** Calls `<plugin>.<tool>` of a plugin listed in `dependencies`. */
    call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  };
  /** Aborted when the plugin is being stopped (or, in a handler, when that call is cancelled). */
  signal: AbortSignal;
}

/** A tool's context: the call's cancellation signal and progress reporting. */
export interface ToolContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  progress(progress: number, total?: number, message?: string): void;
}

export type ToolHandler<Args = any, Config = Record<string, unknown>> = (
  args: Args,
  ctx: ToolContext<Config>,
) => CallToolResult | string | unknown | Promise<CallToolResult | string | unknown>;

/** A resource handler gets the URI template's variables and returns text, a blob or MCP contents, or null when no such resource exists (the client gets -32002). */
export type ResourceHandler<Config = Record<string, unknown>> = (
  params: Record<string, string>,
  ctx: PluginContext<Config> & { uri: string },
) => ResourceResult | string | null | undefined | Promise<ResourceResult | string | null | undefined>;

export type ResourceResult =
  | { text: string; mimeType?: string }
  | { blob: string; mimeType?: string }
  | { contents: { uri: string; mimeType?: string; text?: string; blob?: string }[] };

/** The MCP request a hook runs for: who asked, over which connection, with which request id. */
export interface HookCallInfo {
  /** `stdio`, `http` (or `test` under pmkit/testing). */
  transport?: string;
  /** The MCP session: the Mcp-Session-Id over HTTP, one id per connection on stdio. */
  sessionId?: string;
  /** The client as it named itself in `initialize`. */
  client?: { name: string; version?: string };
  /** The JSON-RPC id of the client's request. */
  requestId?: string | number;
  /** Set when the client asked for progress. */
  progressToken?: string | number;
}

/** A hook handler's context: the event, its own priority, the tool name for tool events. */
export interface HookContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  event: string;
  priority: number;
  tool?: string;
  /** The MCP request being served; absent for events no request caused (plugin:*, server:*, `pm hook-run`). */
  call?: HookCallInfo;
  [key: string]: unknown;
}

/**
 * A hook handler. `filter`: return a new value or undefined to keep it. `guard`: return
 * `{ deny: "reason" }` to veto, undefined to allow (or a new value, for tool:before-call).
 * `action`: the return value is ignored.
 */
export type HookHandler<Config = Record<string, unknown>> = (value: any, ctx: HookContext<Config>) => unknown;

/** The default export of a plugin's entry module. */
export interface PluginDefinition<Config = Record<string, unknown>> {
  activate?(ctx: PluginContext<Config>): void | Promise<void>;
  deactivate?(): void | Promise<void>;
  healthCheck?(): { ok: boolean; detail?: string } | Promise<{ ok: boolean; detail?: string }>;
  tools?: Record<string, ToolHandler<any, Config>>;
  resources?: Record<string, ResourceHandler<Config>>;
  hooks?: Record<string, HookHandler<Config>>;
}
