import type { Manifest } from '../manifest/types.js';
import type { Finding, Findings } from '../warn.js';

/** What `pm plugin-validate --json` prints. */
export interface ValidationReport {
  /** No errors (warnings allowed; under --strict they are errors). */
  ok: boolean;
  /** The plugin folder, absolute. */
  dir: string;
  /** The manifest as read, when plugin.json parsed as an object (even if it has errors). */
  manifest?: Manifest;
  errors: Finding[];
  warnings: Finding[];
}

/** One entry of the plugin folder, found without following links. */
export interface PluginFile {
  /** Path relative to the plugin folder, with / separators. */
  path: string;
  abs: string;
  kind: 'file' | 'dir' | 'link' | 'other';
  size: number;
}

/** What loading an entry in the sandbox showed, against what the manifest declares. */
export interface EntryInspection {
  /** The entry loaded and exported an object. */
  loaded: boolean;
  /** Why it did not load. */
  error?: string;
  /** Declared in plugin.json but not implemented by the entry. */
  missing: { tools: string[]; resources: string[]; hooks: string[] };
  /** Implemented by the entry but not declared. */
  undeclared: { tools: string[]; resources: string[]; hooks: string[] };
  /** A server plugin: the tools the started server reported (checkServerTools compares them with the pin). */
  tools?: ReportedTool[];
}

/** A tool as a server's tools/list reports it (the fields a pin records). */
export interface ReportedTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
}

/**
 * Loads a plugin's entry in the sandbox and compares it with its manifest, or for a server
 * plugin starts the server and lists its tools; host/inspect-entry provides it.
 */
export type InspectEntry = (dir: string, manifest: Manifest) => Promise<EntryInspection>;

/** What each plugin check gets. Checks report through `findings` and may read `manifest` and `files`. */
export interface PluginCheckContext {
  /** Absolute plugin folder. */
  dir: string;
  strict: boolean;
  findings: Findings;
  /** Set by the manifest check when plugin.json parsed as an object. */
  manifest?: Manifest;
  /** Every entry under dir (except .git), walked once on first call. */
  files(): Promise<PluginFile[]>;
  /** Loads the entry in the sandbox, or starts a server, for the implementation checks (injected: core does not import host/). */
  inspectEntry?: InspectEntry;
  /** A check sets this to skip the checks after it (e.g. no plugin.json: not a plugin folder). */
  stop?: boolean;
}

/** One check of a plugin folder; validatePlugin runs a list of them in order. */
export type PluginCheck = (ctx: PluginCheckContext) => void | Promise<void>;
