/**
 * The words for a PermissionPolicy: what `pm plugin-info` lists and what installs warn
 * about. Everything here reads the policy only, so it never claims more than the launcher
 * enforces (host/sandbox.ts and host/launch/bwrap build the flags and argv from the same object).
 */
import type { CapabilityName, FsGrant, PermissionPolicy } from './policy.js';

/** How a line's grant is held: enforced by the sandbox, not enforceable here, escaping it, or refused by pm. */
export type Enforcement = 'enforced' | 'not-enforced' | 'full-trust' | 'refused';

/** One displayed permission (plugin-info's `permissions[]`). */
export interface PermissionLine {
  permission: 'sandbox' | 'fs.read' | 'fs.write' | 'network' | 'env' | CapabilityName | 'memory' | 'processes';
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
      const name = g.source === 'plugin-folder' ? 'its own folder' : g.source === 'data-folder' ? 'its data folder' : g.source === 'command' ? `${g.declared} (named by its command line)` : g.declared;
      return g.source === 'declared' && g.real !== g.path ? `${name} (really ${g.real})` : name;
    })
    .join(', ');
}

/** The sandbox line: which layer holds the process, in words. */
function layerLine(policy: PermissionPolicy): PermissionLine {
  const s = policy.sandbox;
  if (s.layer === 'bwrap') return { permission: 'sandbox', granted: 'bubblewrap', enforcement: 'enforced', note: policy.kind === 'module' ? `${s.reason}; Node's permission model inside as a second layer` : s.reason };
  if (s.layer === 'node-permissions') return { permission: 'sandbox', granted: 'Node permission model', enforcement: 'enforced', note: s.reason };
  if (s.fullTrust && s.startable) return { permission: 'sandbox', granted: 'unsandboxed: full trust', enforcement: 'full-trust', note: s.reason };
  return { permission: 'sandbox', granted: 'none', enforcement: 'not-enforced', note: s.reason };
}

function fsNote(policy: PermissionPolicy): { note: string; enforcement: Enforcement } {
  const model = policy.permissionFlag;
  if (policy.sandbox.layer === 'bwrap') {
    const inner = policy.kind === 'module' && model ? ` and Node's permission model (${model})` : '';
    return { note: `bubblewrap: nothing else of the file system is bound in${inner}`, enforcement: 'enforced' };
  }
  if (policy.kind === 'server') return { note: 'not enforced: the server runs with your rights', enforcement: 'not-enforced' };
  return model ? { note: `Node permission model (${model})`, enforcement: 'enforced' } : { note: NO_MODEL, enforcement: 'not-enforced' };
}

function networkLine(policy: PermissionPolicy): PermissionLine {
  const n = policy.network;
  const declared = n.declared === 'any' ? 'any host' : n.declared.length ? n.declared.join(', ') : 'none';
  const bwrap = policy.sandbox.layer === 'bwrap';
  if (!n.enforced) {
    const why = policy.kind === 'server' ? 'the server runs unsandboxed' : `Node ${policy.platform.node} cannot restrict network access (needs Node 25+)`;
    return { permission: 'network', granted: `any host (declared: ${declared})`, enforcement: 'not-enforced', note: `not enforced: ${why}; the plugin can reach any host` };
  }
  if (!n.allowed) return { permission: 'network', granted: 'none', enforcement: 'enforced', note: bwrap ? 'bubblewrap: an empty network namespace, not even loopback to the host' : 'Node permission model: no network access' };
  if (bwrap) return { permission: 'network', granted: 'any host (filtering by host not enforced)', enforcement: 'enforced', note: `bubblewrap shares the host's network; the declared hosts (${declared}) are not filtered` };
  return { permission: 'network', granted: `any host (declared: ${declared})`, enforcement: 'enforced', note: 'Node --allow-net is all-or-nothing: the declared hosts are not filtered' };
}

/** The permission lines of a policy, in the order plugin-info shows them. */
export function describePolicy(policy: PermissionPolicy): PermissionLine[] {
  const model = policy.permissionFlag;
  const bwrap = policy.sandbox.layer === 'bwrap';
  const { note, enforcement } = fsNote(policy);
  const out: PermissionLine[] = [
    layerLine(policy),
    { permission: 'fs.read', granted: grantWords(policy.fs.read), enforcement, note },
    { permission: 'fs.write', granted: grantWords(policy.fs.write), enforcement, note },
  ];
  for (const r of policy.fs.refused) {
    out.push({ permission: r.permission, granted: r.declared, enforcement: 'refused', note: `refused: ${r.reason}; the plugin does not start until it is removed` });
  }
  out.push(networkLine(policy));
  out.push({ permission: 'env', granted: policy.env.names.length ? policy.env.names.join(', ') : 'nothing', enforcement: 'enforced', note: 'the host passes only these variables to the plugin process' });
  if (policy.kind === 'module') {
    for (const [k, c] of Object.entries(policy.capabilities) as [CapabilityName, PermissionPolicy['capabilities'][CapabilityName]][]) {
      if (c.declared && bwrap) out.push({ permission: k, granted: 'yes', enforcement: 'enforced', note: `escapes Node's permission model; still inside the bubblewrap sandbox` });
      else if (c.declared) out.push({ permission: k, granted: 'yes', enforcement: 'full-trust', note: `full trust: a plugin with ${k} can run code outside the sandbox` });
      else if (c.enforced) out.push({ permission: k, granted: 'no', enforcement: 'enforced', note: 'refused by the permission model' });
      else out.push({ permission: k, granted: 'no', enforcement: 'not-enforced', note: model ? `Node ${policy.platform.node} has no ${k} permission flag, so it is not refused` : NO_MODEL });
    }
  } else if (bwrap) {
    out.push({ permission: 'childProcess', granted: 'yes, inside the sandbox', enforcement: 'enforced', note: "any program may start children; they stay in the server's sandbox" });
  }
  if (bwrap) {
    const granted = policy.kind === 'module' ? `${policy.memoryMb} MiB heap, ${policy.dataLimitMb} MiB in all` : `${policy.dataLimitMb} MiB`;
    out.push({ permission: 'memory', granted, enforcement: 'enforced', note: `${policy.kind === 'module' ? '--max-old-space-size and ' : ''}RLIMIT_DATA: allocations past it fail` });
    out.push({ permission: 'processes', granted: `${policy.maxProcesses} (threads included)`, enforcement: 'enforced', note: 'RLIMIT_NPROC in its own user namespace (the kernel does not apply it when pm runs as root)' });
  } else if (policy.kind === 'module') {
    out.push({ permission: 'memory', granted: `${policy.memoryMb} MiB heap`, enforcement: 'enforced', note: '--max-old-space-size: the V8 heap only, not buffers outside it' });
  } else {
    out.push({ permission: 'memory', granted: 'unlimited', enforcement: 'not-enforced', note: 'not enforced: the server runs unsandboxed' });
  }
  return out;
}

/** What installing asks the user to accept: full-trust grants and paths pm refuses (stderr warnings). */
export function consentWarnings(policy: PermissionPolicy): string[] {
  const name = policy.plugin;
  const out: string[] = [];
  if (policy.kind === 'server' && !policy.sandbox.startable) out.push(`${name} is a server plugin and ${policy.sandbox.reason}: grant it with 'pm plugin-trust ${name} --full' if you trust it with your rights`);
  if (policy.fullTrust.length) out.push(`${name} asks for ${policy.fullTrust.join(', ')}: that is full trust, it can run code outside the sandbox ('pm plugin-info ${name}')`);
  for (const r of policy.fs.refused) {
    out.push(`${name} asks for ${r.permission} of "${r.declared}", which pm refuses: it ${r.reason}; the plugin does not start until that is removed`);
  }
  return out;
}
