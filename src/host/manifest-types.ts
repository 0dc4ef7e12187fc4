/**
 * The parts of plugin.json the host reads. Structural on purpose: the full manifest type
 * and its schema live in src/core/manifest/; any validated manifest satisfies this.
 */

export interface ToolDecl {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  /** Per-call timeout for this tool (default: the host's, 30 s). */
  timeoutMs?: number;
}

export interface ResourceDecl {
  uri: string;
  name?: string;
  description?: string;
  mimeType?: string;
}

export interface HookDecl {
  event: string;
  priority?: number;
  match?: { tool?: string };
  timeoutMs?: number;
  /** For guards: let the call through when this handler throws or times out (default: deny). */
  failOpen?: boolean;
}

export interface PermissionsDecl {
  fs?: { read?: string[]; write?: string[] };
  network?: string[];
  env?: string[];
  childProcess?: boolean;
  worker?: boolean;
  addons?: boolean;
  /** Heap cap for the plugin's process in MiB. */
  memoryMb?: number;
}

export interface HostManifest {
  name: string;
  version: string;
  description?: string;
  main?: string;
  dependencies?: Record<string, string>;
  contributes?: {
    tools?: ToolDecl[];
    resources?: ResourceDecl[];
    prompts?: unknown[];
    hooks?: HookDecl[];
    events?: string[];
  };
  permissions?: PermissionsDecl;
  config?: Record<string, unknown>;
}

/** A plugin as the host runs it. */
export interface HostPlugin {
  name: string;
  /** The installed plugin folder (read-only for the plugin). */
  dir: string;
  /** The plugin's writable data folder (created on first start). */
  dataDir: string;
  manifest: HostManifest;
  /** The user's configuration for this plugin (`pm plugin-config`). */
  config?: Record<string, unknown>;
  /** Disabled plugins are known but never started and contribute nothing. */
  enabled?: boolean;
  /** The development folder of a linked plugin (`pm plugin-link`; watched by `serve --watch`). */
  linked?: string;
}
