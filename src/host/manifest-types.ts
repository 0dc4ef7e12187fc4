/**
 * The parts of plugin.json the host reads. Tools and resources are looser than the
 * manifest's own types on purpose (tests and the SDK build them by hand); hooks and
 * permissions are the manifest's types as they are.
 */
import type { HookContribution, Permissions } from '../core/manifest/types.js';

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

/** A hook entry of plugin.json (the manifest's own type). */
export type HookDecl = HookContribution;

/** The permissions block of plugin.json (the manifest's own type). */
export type PermissionsDecl = Permissions;

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
