import { isPmError } from '../errors.js';
import { detectOsSandbox } from '../runtime/os-sandbox.js';
import { acquireStoreLock } from './lock.js';
import { readState, type InstalledPlugin, type PluginSource } from './state.js';
import { needsRecovery, recoverStore } from './transaction.js';

/** One row of plugin-list (the documented --json shape). */
export interface PluginListEntry {
  name: string;
  version: string;
  enabled: boolean;
  /** Signer fingerprint, or null when unsigned. */
  signer: string | null;
  signerUserIds: string[];
  source: PluginSource;
  linked: boolean;
  /** The user's full-trust grant (`pm plugin-trust --full`), or null. */
  fullTrust: { since: string } | null;
  /** True when that grant is in use: no OS sandbox runs here, so the server starts unsandboxed. */
  unsandboxed: boolean;
  installedAt: string;
  updatedAt: string;
}

/**
 * Finishes a change a crashed pm left behind, so readers see a consistent store. When a live pm
 * holds the lock its change is in flight, not interrupted: readers then just read state.json.
 */
export async function recoverIfNeeded(home: string): Promise<void> {
  if (!(await needsRecovery(home))) return;
  let lock;
  try {
    lock = await acquireStoreLock(home, { timeoutMs: 0 });
  } catch (err) {
    if (isPmError(err) && err.code === 'STORE_LOCKED') return;
    throw err;
  }
  try {
    await recoverStore(home);
  } finally {
    await lock.release();
  }
}

function row(p: InstalledPlugin): PluginListEntry {
  return {
    name: p.name,
    version: p.version,
    enabled: p.enabled,
    signer: p.signer?.fingerprint ?? null,
    signerUserIds: p.signer?.userIds ?? [],
    source: p.source,
    linked: p.linked !== undefined,
    fullTrust: p.fullTrust ?? null,
    unsandboxed: p.fullTrust !== undefined && !detectOsSandbox().available,
    installedAt: p.installedAt,
    updatedAt: p.updatedAt,
  };
}

/** Installed plugins sorted by name. */
export async function listPlugins(opts: { home: string }): Promise<PluginListEntry[]> {
  await recoverIfNeeded(opts.home);
  const state = await readState(opts.home);
  return Object.values(state.plugins).sort((a, b) => a.name.localeCompare(b.name)).map(row);
}
