import { withStoreLock } from './lock.js';
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
  installedAt: string;
  updatedAt: string;
}

/** Finishes an interrupted change first (waiting for the lock) so readers see a consistent store. */
export async function recoverIfNeeded(home: string, lockTimeoutMs?: number): Promise<void> {
  if (await needsRecovery(home)) await withStoreLock(home, async () => { await recoverStore(home); }, { timeoutMs: lockTimeoutMs });
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
    installedAt: p.installedAt,
    updatedAt: p.updatedAt,
  };
}

/** Installed plugins sorted by name. */
export async function listPlugins(opts: { home: string; lockTimeoutMs?: number }): Promise<PluginListEntry[]> {
  await recoverIfNeeded(opts.home, opts.lockTimeoutMs);
  const state = await readState(opts.home);
  return Object.values(state.plugins).sort((a, b) => a.name.localeCompare(b.name)).map(row);
}
