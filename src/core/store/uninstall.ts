import { PmError } from '../errors.js';
import { dependentsOf } from '../resolve/dependencies.js';
import { appendAudit } from './audit.js';
import { announceStoreChange } from './events.js';
import { withStoreLock } from './lock.js';
import { readState, requireInstalled, type StoreState } from './state.js';
import { commitChange, newTxId, recoverStore } from './transaction.js';

export interface UninstallOptions {
  home: string;
  /** Also remove data/<name>. */
  purge?: boolean;
  /** Uninstall even though installed plugins depend on it. */
  force?: boolean;
  lockTimeoutMs?: number;
}

export interface UninstallResult {
  name: string;
  version: string;
  purged: boolean;
  /** Plugins left without this dependency (only with --force). */
  brokenDependents: string[];
}

/** Removes an installed (or linked) plugin; refused while others depend on it unless forced. */
export async function uninstallPlugin(name: string, opts: UninstallOptions): Promise<UninstallResult> {
  const r = await withStoreLock(opts.home, async (): Promise<UninstallResult> => {
    await recoverStore(opts.home);
    const state = await readState(opts.home);
    const rec = requireInstalled(state, name);
    const deps = dependentsOf(name, Object.values(state.plugins).map((p) => ({ name: p.name, version: p.version, dependencies: p.dependencies ?? {} })));
    if (deps.length && !opts.force) {
      throw new PmError('HAS_DEPENDENTS', `${name} is needed by ${deps.map((d) => `${d.name}@${d.version} (${d.dependencies[name]})`).join(', ')}`, {
        hint: `uninstall ${deps.map((d) => d.name).join(', ')} first, or add --force to leave ${deps.length > 1 ? 'them' : 'it'} broken`,
        data: { plugin: name, dependents: deps.map((d) => d.name) },
      });
    }
    const next: StoreState = { ...state, plugins: { ...state.plugins } };
    delete next.plugins[name];
    // A linked plugin has no folder under plugins/; the op then only drops its record.
    await commitChange(opts.home, newTxId(), next, [{ name, purgeData: Boolean(opts.purge) }]);
    await appendAudit(opts.home, { action: 'uninstall', plugin: name, version: rec.version, integrity: rec.integrity, signer: rec.signer?.fingerprint ?? 'unsigned', purge: Boolean(opts.purge) });
    return { name, version: rec.version, purged: Boolean(opts.purge), brokenDependents: deps.map((d) => d.name) };
  }, { timeoutMs: opts.lockTimeoutMs });
  await announceStoreChange(opts.home, 'uninstall', { name: r.name, version: r.version });
  return r;
}
