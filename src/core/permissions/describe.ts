/**
 * The words for a PermissionPolicy: what `pm plugin-info` lists and what installs warn
 * about. Everything here reads the policy only, so it never claims more than the launcher
 * enforces (host/sandbox.ts builds the flags from the same object).
 */
import type { CapabilityName, FsGrant, PermissionPolicy } from './policy.js';

/** How a line's grant is held: enforced by the sandbox, not enforceable here, escaping it, or refused by pm. */
export type Enforcement = 'enforced' | 'not-enforced' | 'full-trust' | 'refused';

/** One displayed permission (plugin-info's `permissions[]`). */
export interface PermissionLine {
  permission: 'fs.read' | 'fs.write' | 'network' | 'env' | CapabilityName | 'memory';
  /** What the plugin gets, in words. */
  granted: string;
  enforcement: Enforcement;
  note: string;
}

const NO_MODEL = 'this Node has no permission model: pm does not start the plugin';

function grantWords(grants: FsGrant[]): string {
  return grants
    .filter((g) => g.source !== 'runtime')
    .map((g) => {
      const name = g.source === 'plugin-folder' ? 'its own folder' : g.source === 'data-folder' ? 'its data folder' : g.declared;
      return g.source === 'declared' && g.real !== g.path ? `${name} (really ${g.real})` : name;
    })
    .join(', ');
}

/** The permission lines of a policy, in the order plugin-info shows them. */
export function describePolicy(policy: PermissionPolicy): PermissionLine[] {
  const model = policy.permissionFlag;
  const fsNote = model ? `Node permission model (${model})` : NO_MODEL;
  const fsEnf: Enforcement = model ? 'enforced' : 'not-enforced';
  const out: PermissionLine[] = [
    { permission: 'fs.read', granted: grantWords(policy.fs.read), enforcement: fsEnf, note: fsNote },
    { permission: 'fs.write', granted: grantWords(policy.fs.write), enforcement: fsEnf, note: fsNote },
  ];
  for (const r of policy.fs.refused) {
    out.push({ permission: r.permission, granted: r.declared, enforcement: 'refused', note: `refused: ${r.reason}; the plugin does not start until it is removed` });
  }

  const n = policy.network;
  const declared = n.declared === 'any' ? 'any host' : n.declared.length ? n.declared.join(', ') : 'none';
  if (!n.enforced) {
    out.push({ permission: 'network', granted: `any host (declared: ${declared})`, enforcement: 'not-enforced', note: `not enforced: Node ${policy.platform.node} cannot restrict network access (needs Node 25+); the plugin can reach any host` });
  } else if (!n.allowed) {
    out.push({ permission: 'network', granted: 'none', enforcement: 'enforced', note: 'Node permission model: no network access' });
  } else {
    out.push({ permission: 'network', granted: `any host (declared: ${declared})`, enforcement: 'enforced', note: 'Node --allow-net is all-or-nothing: the declared hosts are not filtered' });
  }

  out.push({ permission: 'env', granted: policy.env.names.length ? policy.env.names.join(', ') : 'nothing', enforcement: 'enforced', note: 'the host passes only these variables to the plugin process' });
  for (const [k, c] of Object.entries(policy.capabilities) as [CapabilityName, PermissionPolicy['capabilities'][CapabilityName]][]) {
    if (c.declared) out.push({ permission: k, granted: 'yes', enforcement: 'full-trust', note: `full trust: a plugin with ${k} can run code outside the sandbox` });
    else if (c.enforced) out.push({ permission: k, granted: 'no', enforcement: 'enforced', note: 'refused by the permission model' });
    else out.push({ permission: k, granted: 'no', enforcement: 'not-enforced', note: model ? `Node ${policy.platform.node} has no ${k} permission flag, so it is not refused` : NO_MODEL });
  }
  out.push({ permission: 'memory', granted: `${policy.memoryMb} MiB heap`, enforcement: 'enforced', note: '--max-old-space-size: the V8 heap only, not buffers outside it' });
  return out;
}

/** What installing asks the user to accept: full-trust grants and paths pm refuses (stderr warnings). */
export function consentWarnings(policy: PermissionPolicy): string[] {
  const name = policy.plugin;
  const out: string[] = [];
  if (policy.fullTrust.length) out.push(`${name} asks for ${policy.fullTrust.join(', ')}: that is full trust, it can run code outside the sandbox ('pm plugin-info ${name}')`);
  for (const r of policy.fs.refused) {
    out.push(`${name} asks for ${r.permission} of "${r.declared}", which pm refuses: it ${r.reason}; the plugin does not start until that is removed`);
  }
  return out;
}
