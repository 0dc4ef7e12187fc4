import type { CallToolResult, GetPromptResult, Prompt, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolRef } from '../../core/tool-ref.js';
import type { ToolShape } from '../../core/tool-shape.js';
import type { CallContext } from '../call-context.js';
import type { ServerResourceInfo } from '../host-types.js';
import type { PromptSource } from '../prompts/types.js';

export type { CallContext };

/** A tool as the manifest declares it, with the plugin it belongs to. */
export interface ToolDescriptor extends ToolShape {
  plugin: string;
}

/** A resource (or resource template, when `uri` holds `{placeholders}`) from a manifest. */
export interface ResourceDescriptor extends ServerResourceInfo {
  /** A server plugin's resource: its name is shown as `<plugin><separator><name>`. */
  server?: boolean;
}

/** A server plugin's prompt under pm's (safe) name for it, proxied to the server on prompts/get. */
export interface ServerPromptDescriptor {
  plugin: string;
  name: string;
  prompt: Prompt;
}

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** A tool result: the MCP SDK's CallToolResult (pm has no result type of its own). */
export type ToolResult = CallToolResult;

/** A resource read: the MCP SDK's ReadResourceResult. */
export type ResourceResult = ReadResourceResult;

/** What a hook dispatch gives back: the (filtered) value, or the guard's veto. */
export interface HookOutcome<T> {
  value: T;
  denied?: { reason: string; by?: string };
}

/** One connection's part of every request's CallContext. */
export interface ConnectionInfo {
  /** The transport: `stdio`, `http`, `test`. */
  source: string;
  /** Set by transports that have sessions (HTTP); stdio connections get an id of their own. */
  sessionId?: string;
}

/**
 * The narrow part of the host that the MCP server needs. The real host is adapted to it
 * in host-adapter.ts; tests of the protocol layer may give a fake.
 */
export interface ServeHost {
  /** Tools of every enabled plugin, from manifests: starts no process. */
  tools(): ToolDescriptor[];
  resources(): ResourceDescriptor[];
  prompts(): PromptSource[];
  /**
   * Calls `<plugin>.<tool>`: tool:before-call guards and filters, the plugin in its sandbox,
   * tool:after-call filters. A guard's veto is thrown as PmError TOOL_DENIED with
   * `data: { plugin, reason }`; timeouts and crashes are thrown as PmErrors too.
   */
  callTool(ref: ToolRef, args: Record<string, unknown>, opts: { call: CallContext; onProgress?: (p: ProgressUpdate) => void }): Promise<ToolResult>;
  /** Reads a resource from the plugin that declares it, then resource:after-read filters. */
  readResource(uri: string, opts: { call: CallContext }): Promise<ResourceResult>;
  /** Runs a built-in hook event through the dispatcher, for the request `call` when there is one. */
  dispatch<T>(event: string, value: T, call?: CallContext): Promise<HookOutcome<T>>;
  /** Re-reads the state and manifests; returns whether anything the server lists changed. */
  reload(): Promise<void>;
  /** Server plugins' prompts (module plugins' come from prompts()). */
  serverPrompts?(): ServerPromptDescriptor[];
  /** prompts/get of a server plugin's prompt, by pm's name for it. */
  getServerPrompt?(plugin: string, name: string, args: Record<string, string>, opts: { call: CallContext }): Promise<GetPromptResult>;
  /** Starts, once, the server plugins that have no pinned tools yet; true when a list changed. */
  pinUnpinned?(): Promise<boolean>;
  /** Calls `listener` when a server plugin's lists changed (its list_changed, a pin recorded). */
  onListsChanged?(listener: (plugin: string, kinds: ('tools' | 'resources' | 'prompts')[]) => void): void;
  /** Records one tool call's outcome for `pm stats` and the audit log. */
  recordCall?(ref: ToolRef, ms: number, ok: boolean, call: CallContext): void;
}

/** The host as `pm serve` runs it: the MCP surface plus lifecycle and stats. */
export interface RuntimeHost extends ServeHost {
  /** This run's per-tool stats (for logs and tests). */
  statsSnapshot(): unknown;
  /** Writes per-tool and per-hook-handler stats under <home>/stats/. */
  persistStats(): Promise<void>;
  /** The enabled plugins being served. */
  pluginNames(): string[];
  /** Folders of linked plugins (for --watch). */
  linkedDirs(): string[];
  /** Restarts the plugin whose folder is `dir` (after its files changed). */
  restartPluginAt(dir: string): Promise<void>;
  /** Stops every plugin gracefully. */
  close(): Promise<void>;
}
