/**
 * The plugin manifest (plugin.json), DESIGN §2. plugin.schema.json describes the same
 * shape; test/unit/core/manifest/types.test.ts keeps the two in step.
 */

/** A JSON Schema document (draft 2020-12) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** A JSON Schema whose instances are objects (tool arguments, plugin config). */
export interface JsonSchemaObject extends JsonSchema {
  type: 'object';
}

export interface Manifest {
  /** Points editors at plugin.schema.json (SCHEMA_URL). */
  $schema?: string;
  /** ^[a-z][a-z0-9-]{0,49}$ */
  name: string;
  /** semver */
  version: string;
  description: string;
  author?: string;
  /** SPDX identifier or expression. */
  license?: string;
  /** Entry module relative to the plugin folder; required when the plugin contributes tools, resources or hooks. */
  main?: string;
  /** A server plugin: the program pm starts and speaks MCP to over stdio. Exclusive with `main`. */
  server?: ServerSpec;
  /** Written by pm for plugins installed from npm:, pypi:, .mcpb, a registry or mcp-add. */
  source?: PluginSource;
  engines?: Engines;
  /** Other plugins this one calls, name → semver range. */
  dependencies?: Record<string, string>;
  categories?: string[];
  tags?: string[];
  contributes?: Contributes;
  permissions?: Permissions;
  /** JSON Schema of the plugin's settings. */
  config?: JsonSchemaObject;
}

/** How pm starts a server plugin (DESIGN §2 "Server plugins"); strings take the §2 substitutions. */
export interface ServerSpec {
  /** A program on PATH, or `${pluginDir}/bin/x`. */
  command: string;
  args?: string[];
  env?: Record<string, string>;
  /** Default `${pluginDir}`. */
  cwd?: string;
}

/** Where an installed server plugin came from. */
export interface PluginSource {
  type: 'npm' | 'pypi' | 'mcpb' | 'registry' | 'local';
  /** What the user asked for, e.g. `npm:pkg@^1.2`. */
  spec?: string;
  resolved?: string;
  integrity?: string;
  [key: string]: unknown;
}

export interface Engines {
  /** semver range of pm */
  pm?: string;
  /** semver range of Node */
  node?: string;
}

export interface Contributes {
  tools?: ToolContribution[];
  resources?: ResourceContribution[];
  prompts?: PromptContribution[];
  hooks?: HookContribution[];
  /** Custom events this plugin emits: `<plugin>:<event>`. */
  events?: string[];
}

export interface ToolContribution {
  /** ^[a-z][a-z0-9_-]*$; `<plugin>__<tool>` must fit in 64 characters. */
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations?: ToolAnnotations;
  /** Overrides the host's per-call timeout (default 30 s). */
  timeoutMs?: number;
}

/** MCP tool annotations (a type, not an interface: it must fit MCP's open annotation objects). */
export type ToolAnnotations = {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};

export interface ResourceContribution {
  /** A URI or RFC 6570 URI template, e.g. `notes://{id}`. */
  uri: string;
  name: string;
  description?: string;
  mimeType: string;
}

export interface PromptContribution {
  name: string;
  description?: string;
  arguments?: PromptArgument[];
  messages: PromptMessage[];
}

export interface PromptArgument {
  name: string;
  description?: string;
  required?: boolean;
}

export type PromptRole = 'system' | 'user' | 'assistant';

export interface PromptMessage {
  role: PromptRole;
  /** Path of a Handlebars template relative to the plugin folder. */
  template: string;
}

export interface HookContribution {
  /** A built-in event, one of this plugin's `contributes.events`, or a dependency's custom event. */
  event: string;
  /** Ascending; default 10. */
  priority?: number;
  match?: HookMatch;
  timeoutMs?: number;
  /** For a guard: allow the call when this handler throws or times out (default: deny). */
  failOpen?: boolean;
}

export interface HookMatch {
  /** Glob over `<plugin>.<tool>`, e.g. `notes.*`. */
  tool?: string;
}

export interface Permissions {
  fs?: FsPermissions;
  /** Host names (`api.example.org`, `*.example.org`, `host:port`). */
  network?: string[];
  /** Environment variable names passed to the plugin's process. */
  env?: string[];
  childProcess?: boolean;
  worker?: boolean;
  addons?: boolean;
  memoryMb?: number;
}

export interface FsPermissions {
  /** `$DATA`, `$DATA/sub`, absolute or `~/` paths. */
  read?: string[];
  write?: string[];
}
