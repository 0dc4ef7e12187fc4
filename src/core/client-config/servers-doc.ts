import { PmError } from '../errors.js';
import type { ClientFormat } from './clients.js';
import { parseJsonServers } from './json-doc.js';
import { parseTomlServers } from './toml-doc.js';

/** One server as a client config holds it (command/args/env, or url for a remote one). */
export type RawServer = Record<string, unknown>;

/** A client config file's text with its server table, and edits that keep the rest of the text as it was. */
export interface ServersDoc {
  servers: Record<string, RawServer>;
  /** The whole text with `name` set to `entry` (added or replaced). */
  set(name: string, entry: RawServer): string;
  /** The whole text without `name`. */
  remove(name: string): string;
}

/** The CLIENT_CONFIG_INVALID refusal for a file a client could not read either. */
export function invalidConfig(path: string, why: string): PmError {
  return new PmError('CLIENT_CONFIG_INVALID', `${path} ${why}; it was left untouched`, { hint: 'fix the file (the client cannot read it either), or give another one with --config', data: { path } });
}

/** Parses a client config (JSON with comments, or TOML for Codex); throws CLIENT_CONFIG_INVALID for one that is not. */
export function parseServersDoc(text: string, fmt: ClientFormat, path: string): ServersDoc {
  return fmt.format === 'toml' ? parseTomlServers(text, fmt.table, path) : parseJsonServers(text, fmt.table, path);
}
