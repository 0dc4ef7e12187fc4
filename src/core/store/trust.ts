/**
 * `pm plugin-trust <name> --full` (DESIGN §5): where no OS sandbox runs, a server plugin starts
 * only with this grant, recorded in state.json with its date; `--revoke` takes it back.
 */
import { appendAudit } from './audit.js';
import { withStoreLock } from './lock.js';
import { PmError } from '../errors.js';
import { readPluginManifest } from '../manifest/read.js';
import { pluginDir, readState, requireInstalled, writeState } from './state.js';
import { recoverStore } from './transaction.js';

export interface TrustResult {
  name: string;
  version: string;
  /** The grant now recorded, or null after a revoke. */
  fullTrust: { since: string } | null;
  /** False when the plugin already had (or lacked) the grant. */
  changed: boolean;
}

/** Records (`full: true`) or revokes the user's full-trust grant for an installed plugin. */
export async function setFullTrust(name: string, full: boolean, opts: { home: string; now?: Date }): Promise<TrustResult> {
  return withStoreLock(opts.home, async () => {
    await recoverStore(opts.home);
    const state = await readState(opts.home);
    const rec = requireInstalled(state, name);
    const { manifest } = await readPluginManifest(pluginDir(opts.home, name, state));
    if (full && !manifest.server) {
      throw new PmError('USAGE', `${name} is a module plugin: it runs under Node's permission model where bubblewrap does not run, and needs no trust grant`, { hint: 'plugin-trust is for server plugins', data: { plugin: name } });
    }
    if (full === Boolean(rec.fullTrust)) return { name, version: rec.version, fullTrust: rec.fullTrust ?? null, changed: false };
    const { fullTrust: _old, ...rest } = rec;
    const fullTrust = full ? { since: (opts.now ?? new Date()).toISOString() } : null;
    await writeState(opts.home, { ...state, plugins: { ...state.plugins, [name]: fullTrust ? { ...rest, fullTrust } : rest } });
    await appendAudit(opts.home, { action: full ? 'trust' : 'untrust', plugin: name, version: rec.version, integrity: rec.integrity, signer: rec.signer?.fingerprint ?? 'unsigned' });
    return { name, version: rec.version, fullTrust, changed: true };
  });
}
