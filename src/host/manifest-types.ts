import type { PluginKind } from '../core/manifest/read.js';
import type { Manifest } from '../core/manifest/types.js';

/** A plugin as the host runs it: its one Manifest (core/manifest) plus where it lives. */
export interface HostPlugin {
  name: string;
  /** How the host runs it: 'module' (pm's runner) or 'server' (an MCP server over stdio); readPluginManifest derives it. */
  kind: PluginKind;
  /** The installed plugin folder (read-only for the plugin). */
  dir: string;
  /** The plugin's writable data folder (created on first start). */
  dataDir: string;
  manifest: Manifest;
  /** The user's configuration for this plugin (`pm plugin-config`). */
  config?: Record<string, unknown>;
  /** Values of the secrets its manifest references as `${secret.NAME}` (server plugins; never logged). */
  secrets?: Record<string, string>;
  /** Disabled plugins are known but never started and contribute nothing. */
  enabled?: boolean;
  /** The development folder of a linked plugin (`pm plugin-link`; watched by `serve --watch`). */
  linked?: string;
  /** When `pm plugin-enable` last asked a running host to restart this plugin (clears a failed mark). */
  restartRequestedAt?: string;
  /** The user's full-trust grant (`pm plugin-trust --full`): a server plugin may then start where no OS sandbox runs. */
  fullTrust?: { since: string };
}
