/**
 * Which layer confines a plugin's process (DESIGN §5): bubblewrap where it runs, else Node's
 * permission model for module plugins, else nothing (a server plugin then needs full trust).
 */
import type { OsSandboxFacts } from '../runtime/os-sandbox.js';

/** The outermost layer that confines a plugin process. */
export type SandboxLayer = 'bwrap' | 'node-permissions' | 'none';

/** A plugin's layer, why, and whether the process may start under it. */
export interface SandboxDecision {
  layer: SandboxLayer;
  reason: string;
  hint?: string;
  /** The user's recorded full-trust grant (`pm plugin-trust <name> --full`), when there is one. */
  fullTrust?: { since: string };
  /** Whether the launcher starts the process; when false, `reason` says why not. */
  startable: boolean;
}

/** Decides the layer of one plugin process from what this platform offers. */
export function decideLayer(kind: 'module' | 'server', os: OsSandboxFacts | undefined, nodePermissions: boolean, fullTrust?: { since: string }): SandboxDecision {
  const trust = fullTrust ? { fullTrust } : {};
  if (os?.available) return { layer: 'bwrap', reason: 'bubblewrap: namespaces, only the granted folders bound in', startable: true, ...trust };
  const why = os ? os.reason : 'no OS sandbox was probed';
  const hint = os?.hint ? { hint: os.hint } : {};
  if (kind === 'module') {
    if (nodePermissions) return { layer: 'node-permissions', reason: `Node's permission model only (${why})`, startable: true, ...hint, ...trust };
    return { layer: 'none', reason: `no sandbox: ${why}, and this Node has no permission model`, startable: false, ...hint, ...trust };
  }
  if (fullTrust) return { layer: 'none', reason: `unsandboxed: full trust (granted ${fullTrust.since}; ${why})`, startable: true, ...hint, ...trust };
  return { layer: 'none', reason: `no OS sandbox (${why}): a server plugin starts only with full trust`, startable: false, ...hint };
}
