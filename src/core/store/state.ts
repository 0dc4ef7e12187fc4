import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import type { PluginSource as ServerPluginSource } from '../manifest/types.js';
import { storePaths } from './paths.js';

/** Where an installed plugin came from. */
export type PluginSource =
  | { type: 'dir'; path: string }
  | { type: 'tgz'; path: string }
  | { type: 'url'; url: string }
  | { type: 'link'; path: string }
  | { type: 'marketplace'; marketplace: string; url?: string }
  /** A server plugin fetched from npm/PyPI or registered with mcp-add: the manifest's `source`, copied. */
  | ServerPluginSource;

/** Who signed the installed package; null when it was installed unsigned. */
export interface SignerInfo {
  fingerprint: string;
  userIds: string[];
}

/** One installed plugin as recorded in state.json. */
export interface InstalledPlugin {
  name: string;
  version: string;
  /** `sha512-<base64>` of the installed .tgz; null for folder and linked installs. */
  integrity: string | null;
  source: PluginSource;
  signer: SignerInfo | null;
  enabled: boolean;
  installedAt: string;
  updatedAt: string;
  /** The development folder of a `plugin-link`ed plugin; absent otherwise. */
  linked?: string;
  /** Bytes of the installed files. */
  size: number;
  /** The manifest's plugin dependencies, kept here so resolution needs no file reads. */
  dependencies: Record<string, string>;
  /** Explicitly set configuration values (defaults are applied on read). */
  config: Record<string, unknown>;
  /** Set by `pm plugin-enable` of an enabled plugin: a running `pm serve` restarts it (clearing a failed mark). */
  restartRequestedAt?: string;
  /** `pm plugin-trust <name> --full`: the user lets this server plugin run unsandboxed where no OS sandbox runs. */
  fullTrust?: { since: string };
}

/** state.json: the single source of truth about what is installed. */
export interface StoreState {
  schemaVersion: 1;
  plugins: Record<string, InstalledPlugin>;
  /** Id of the last committed change; recovery compares it with the journal. */
  lastTx?: string;
}

/** An empty store. */
export function emptyState(): StoreState {
  return { schemaVersion: 1, plugins: {} };
}

/** Reads state.json (an empty state when the store is new); throws STATE_CORRUPT if it cannot be parsed. */
export async function readState(home: string): Promise<StoreState> {
  const file = storePaths(home).state;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as StoreState;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.plugins !== 'object' || parsed.plugins === null) {
      throw new Error('missing "plugins"');
    }
    return parsed;
  } catch (err) {
    throw new PmError('STATE_CORRUPT', `${file} cannot be read: ${(err as Error).message}`, {
      hint: `restore it from a backup, or move it aside and reinstall your plugins; 'pm doctor' checks the store`,
      data: { file },
    });
  }
}

/** Writes state.json atomically (temp + fsync + rename). Call only while holding the store lock. */
export async function writeState(home: string, state: StoreState): Promise<void> {
  await writeJsonAtomic(storePaths(home).state, state);
}

/** The installed files of a plugin: plugins/<name>, or the development folder of a linked plugin. */
export function pluginDir(home: string, name: string, state?: StoreState): string {
  const linked = state?.plugins[name]?.linked;
  return linked ?? join(storePaths(home).plugins, name);
}

/** The writable data folder of a plugin: data/<name>. */
export function dataDir(home: string, name: string): string {
  return join(storePaths(home).data, name);
}

/** The installed record of `name`, or a NOT_INSTALLED error naming what is installed. */
export function requireInstalled(state: StoreState, name: string): InstalledPlugin {
  const p = state.plugins[name];
  if (!p) {
    const names = Object.keys(state.plugins);
    throw new PmError('NOT_INSTALLED', `plugin "${name}" is not installed`, {
      hint: names.length ? `installed plugins: ${names.sort().join(', ')} ('pm plugin-list')` : `install it with 'pm plugin-install <dir|tgz|url>'`,
      data: { plugin: name },
    });
  }
  return p;
}
