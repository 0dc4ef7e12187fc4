/**
 * `pm plugin-tools-accept`: the difference between a server plugin's pinned tools and the ones
 * it reported since, and the adoption of the new list (DESIGN §2 "Pinning").
 */
import { PmError } from '../errors.js';
import { manifestKind, readPluginManifest } from '../manifest/read.js';
import { appendAudit } from './audit.js';
import { withStoreLock } from './lock.js';
import { acceptChanged, diffTools, readPin, writePin, type PinnedTool, type ToolPin, type ToolsDiff } from './pins.js';
import { pluginDir, readState, requireInstalled, writeState } from './state.js';
import { recoverStore } from './transaction.js';

/** What plugin-tools-accept shows before asking (the documented --json shape). */
export interface ToolsChange {
  plugin: string;
  pinned: { pinnedAt: string; pluginVersion: string; hash: string; tools: number };
  reported: { detectedAt: string; hash: string; tools: number };
  diff: ToolsDiff;
  /** The added tools and the modified ones as the server now describes them. */
  added: PinnedTool[];
  modified: { before: PinnedTool; after: PinnedTool }[];
}

/** The result of accepting: the new pin. */
export interface ToolsAccepted extends ToolsChange {
  accepted: { pinnedAt: string; hash: string; tools: number };
  /** A running pm serve restarts the plugin to serve the accepted tools. */
  restartRequested: boolean;
}

async function pinWithChange(home: string, name: string): Promise<{ pin: ToolPin & { changed: NonNullable<ToolPin['changed']> }; version: string; change: ToolsChange }> {
  const state = await readState(home);
  requireInstalled(state, name);
  const { manifest } = await readPluginManifest(pluginDir(home, name, state));
  if (manifestKind(manifest) !== 'server') {
    throw new PmError('NOT_A_SERVER_PLUGIN', `${name} is a module plugin: its tools are declared in its plugin.json, not pinned`, { data: { plugin: name } });
  }
  if (manifest.contributes?.tools) {
    throw new PmError('TOOLS_DECLARED', `${name} declares its tools in plugin.json; the declared list is its pin, so there is nothing to accept`, {
      hint: 'a new version of the plugin changes its declared tools (pm plugin-update)', data: { plugin: name },
    });
  }
  const pin = await readPin(home, name);
  if (!pin) {
    throw new PmError('PIN_MISSING', `${name} has no pinned tool list yet`, {
      hint: 'its first start records one: pm serve --mcp starts it once for tools/list', data: { plugin: name },
    });
  }
  if (!pin.changed) {
    throw new PmError('TOOLS_NOT_CHANGED', `${name}'s server reported its pinned tools at its last start; there is no change to accept`, {
      hint: `see the pin with 'pm plugin-info ${name}'`, data: { plugin: name, hash: pin.hash },
    });
  }
  const before = new Map(pin.tools.map((t) => [t.name, t]));
  const after = new Map(pin.changed.tools.map((t) => [t.name, t]));
  const diff = diffTools(pin.tools, pin.changed.tools);
  return {
    pin: pin as ToolPin & { changed: NonNullable<ToolPin['changed']> },
    version: manifest.version,
    change: {
      plugin: name,
      pinned: { pinnedAt: pin.pinnedAt, pluginVersion: pin.pluginVersion, hash: pin.hash, tools: pin.tools.length },
      reported: { detectedAt: pin.changed.detectedAt, hash: pin.changed.hash, tools: pin.changed.tools.length },
      diff,
      added: diff.added.map((n) => after.get(n)!),
      modified: diff.modified.map((n) => ({ before: before.get(n)!, after: after.get(n)! })),
    },
  };
}

/**
 * The change waiting for acceptance. Throws NOT_INSTALLED, NOT_A_SERVER_PLUGIN, TOOLS_DECLARED,
 * PIN_MISSING, PIN_CORRUPT or TOOLS_NOT_CHANGED.
 */
export async function pendingToolsChange(name: string, opts: { home: string }): Promise<ToolsChange> {
  return (await pinWithChange(opts.home, name)).change;
}

/**
 * Adopts the reported tools as the pin, if they are still the ones with hash `expectHash` (what
 * the user was shown; TOOLS_CHANGED_AGAIN otherwise), and asks a running pm serve to restart the plugin.
 */
export async function acceptToolsChange(name: string, opts: { home: string; expectHash?: string; lockTimeoutMs?: number }): Promise<ToolsAccepted> {
  return withStoreLock(opts.home, async () => {
    await recoverStore(opts.home);
    const { pin, version, change } = await pinWithChange(opts.home, name);
    if (opts.expectHash !== undefined && pin.changed.hash !== opts.expectHash) {
      throw new PmError('TOOLS_CHANGED_AGAIN', `${name}'s server reported other tools again since the difference was shown; nothing was accepted`, {
        hint: `run 'pm plugin-tools-accept ${name}' again to see the new difference`, data: { plugin: name, shown: opts.expectHash, now: pin.changed.hash },
      });
    }
    const next = acceptChanged(pin, version);
    await writePin(opts.home, next);
    // The new stamp makes a running pm serve re-register the plugin with the accepted pin.
    const state = await readState(opts.home);
    const rec = requireInstalled(state, name);
    await writeState(opts.home, { ...state, plugins: { ...state.plugins, [name]: { ...rec, restartRequestedAt: new Date().toISOString() } } });
    await appendAudit(opts.home, { action: 'tools-accept', plugin: name, version: rec.version, integrity: rec.integrity, signer: rec.signer?.fingerprint ?? 'unsigned', from: pin.hash, to: next.hash, diff: change.diff });
    return { ...change, accepted: { pinnedAt: next.pinnedAt, hash: next.hash, tools: next.tools.length }, restartRequested: true };
  }, { timeoutMs: opts.lockTimeoutMs });
}
