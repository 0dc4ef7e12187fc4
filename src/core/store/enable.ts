import { PmError } from '../errors.js';
import { appendAudit } from './audit.js';
import { announceStoreChange } from './events.js';
import { withStoreLock } from './lock.js';
import { readState, requireInstalled, writeState } from './state.js';
import { recoverStore } from './transaction.js';

export interface EnableOptions {
  home: string;
  /** Disable even though enabled plugins depend on it. */
  force?: boolean;
  lockTimeoutMs?: number;
}

export interface EnableResult {
  name: string;
  version: string;
  enabled: boolean;
  /** False when the plugin was already in the asked state. */
  changed: boolean;
  /** True when enabling an enabled plugin asked a running `pm serve` to restart it. */
  restartRequested?: boolean;
}

/** Enables or disables an installed plugin; enabling needs its dependencies enabled. */
export async function setEnabled(name: string, enabled: boolean, opts: EnableOptions): Promise<EnableResult> {
  const r = await withStoreLock(opts.home, async (): Promise<EnableResult> => {
    await recoverStore(opts.home);
    const state = await readState(opts.home);
    const rec = requireInstalled(state, name);
    if (rec.enabled === enabled) {
      if (!enabled) return { name, version: rec.version, enabled, changed: false };
      // Enabling again is how a user retries a plugin marked failed: a running pm serve sees the
      // new stamp in state.json, restarts the plugin and so clears the mark.
      await writeState(opts.home, { ...state, plugins: { ...state.plugins, [name]: { ...rec, restartRequestedAt: new Date().toISOString() } } });
      return { name, version: rec.version, enabled, changed: false, restartRequested: true };
    }
    if (enabled) {
      const off = Object.keys(rec.dependencies ?? {}).filter((d) => !state.plugins[d]?.enabled);
      if (off.length) {
        const missing = off.filter((d) => !state.plugins[d]);
        throw new PmError('DEPENDENCY_DISABLED', `${name} needs ${off.join(', ')}, which ${off.length > 1 ? 'are' : 'is'} ${missing.length ? 'not installed or ' : ''}disabled`, {
          hint: off.map((d) => (state.plugins[d] ? `pm plugin-enable ${d}` : `pm plugin-install <${d} package>`)).join(' && ') + `, then enable ${name}`,
          data: { plugin: name, dependencies: off },
        });
      }
    } else if (!opts.force) {
      const users = Object.values(state.plugins).filter((p) => p.enabled && p.name !== name && Object.hasOwn(p.dependencies ?? {}, name));
      if (users.length) {
        throw new PmError('HAS_DEPENDENTS', `${name} is needed by the enabled plugin${users.length > 1 ? 's' : ''} ${users.map((u) => u.name).join(', ')}`, {
          hint: `disable ${users.map((u) => u.name).join(', ')} first, or add --force`,
          data: { plugin: name, dependents: users.map((u) => u.name) },
        });
      }
    }
    await writeState(opts.home, { ...state, plugins: { ...state.plugins, [name]: { ...rec, enabled } } });
    await appendAudit(opts.home, { action: enabled ? 'enable' : 'disable', plugin: name, version: rec.version, integrity: rec.integrity, signer: rec.signer?.fingerprint ?? 'unsigned' });
    return { name, version: rec.version, enabled, changed: true };
  }, { timeoutMs: opts.lockTimeoutMs });
  // Asking for the state a plugin is already in changes nothing, so announces nothing.
  if (r.changed) await announceStoreChange(opts.home, enabled ? 'enable' : 'disable', { name: r.name, version: r.version });
  return r;
}
