/**
 * The MCP Registry's server.json (schema 2025-12-11), the part pm reads and writes.
 * The official schema is vendored in test/fixtures/mcp-registry-schema for the tests.
 */

/** The `$schema` pm writes: the one schema version pm's export targets. */
export const SERVER_JSON_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** The registry's server name rule (reverse-DNS namespace, one slash). */
export const SERVER_JSON_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;

/** The registry's limit on `description`. */
export const SERVER_JSON_DESCRIPTION_MAX = 100;

/** An input the client asks the user for (server.json `Input`). */
export interface ServerJsonInput {
  description?: string;
  isRequired?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  value?: string;
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  choices?: string[];
  variables?: Record<string, ServerJsonInput>;
}

/** An environment variable or header (server.json `KeyValueInput`). */
export interface ServerJsonKeyValue extends ServerJsonInput {
  name: string;
}

/** A command-line argument (server.json `PositionalArgument` / `NamedArgument`). */
export type ServerJsonArgument =
  | (ServerJsonInput & { type: 'positional'; valueHint?: string; isRepeated?: boolean })
  | (ServerJsonInput & { type: 'named'; name: string; isRepeated?: boolean });

/** How a client gets and runs the server (server.json `Package`). */
export interface ServerJsonPackage {
  registryType: string;
  registryBaseUrl?: string;
  identifier: string;
  version?: string;
  fileSha256?: string;
  runtimeHint?: string;
  transport: { type: string; url?: string };
  runtimeArguments?: ServerJsonArgument[];
  packageArguments?: ServerJsonArgument[];
  environmentVariables?: ServerJsonKeyValue[];
}

/** A server.json document (server.json `ServerDetail`), as much as pm uses. */
export interface ServerJson {
  $schema?: string;
  name: string;
  description: string;
  title?: string;
  version: string;
  repository?: { url: string; source: string; id?: string; subfolder?: string };
  websiteUrl?: string;
  packages?: ServerJsonPackage[];
  remotes?: unknown[];
  _meta?: Record<string, unknown>;
}
