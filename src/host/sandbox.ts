/**
 * How a plugin's process is confined (DESIGN §5): the Node flags and environment built from
 * the PermissionPolicy of core/permissions, the same object plugin-info describes.
 */
import { PmError } from '../core/errors.js';
import { detectOsSandbox, type OsSandboxFacts } from '../core/runtime/os-sandbox.js';
import { DEFAULT_MEMORY_MB, resolvePolicy, type DeclaredPermissions, type PermissionPolicy, type PlatformFacts, type PolicyManifest } from '../core/permissions/policy.js';

export { DEFAULT_MEMORY_MB };

export interface SandboxPaths {
  /** The plugin folder. */
  pluginDir: string;
  /** The plugin's data folder. */
  dataDir: string;
  /** The runner's own files, which the child must read to start. */
  runnerFiles: string[];
  /** PM_HOME: declared paths inside it (other than the plugin's data) are refused. */
  pmHome?: string;
  /** The user's home folder: declared paths must lie under it or under $DATA. */
  userHome?: string;
}

export interface SandboxOptions {
  /** Node flags the child's Node accepts (default: this process's). */
  nodeFlags?: ReadonlySet<string>;
  /** Heap cap when the manifest gives none. */
  defaultMemoryMb?: number;
  /** The OS sandbox on offer (default: this machine's, probed once). */
  osSandbox?: OsSandboxFacts;
  /** The user's full-trust grant (state.json), for a server plugin where no OS sandbox runs. */
  fullTrust?: { since: string };
}

/** The policy a launcher applies for `manifest` in `paths` (the runner files granted read-only). */
export function sandboxPolicy(manifest: PolicyManifest, paths: SandboxPaths, opts: SandboxOptions = {}): PermissionPolicy {
  const platform: PlatformFacts = {
    node: process.versions.node, os: process.platform, nodeFlags: opts.nodeFlags ?? process.allowedNodeEnvironmentFlags, osSandbox: opts.osSandbox ?? detectOsSandbox(),
  };
  return resolvePolicy(manifest, { pluginDir: paths.pluginDir, dataDir: paths.dataDir, pmHome: paths.pmHome, userHome: paths.userHome, runtimeFiles: paths.runnerFiles }, {
    platform, defaultMemoryMb: opts.defaultMemoryMb, ...(opts.fullTrust ? { fullTrust: opts.fullTrust } : {}),
  });
}

/** The Node flags that enforce `policy`; throws when it cannot be enforced here (no permission model, a refused path). */
export function policyExecArgv(policy: PermissionPolicy): string[] {
  if (!policy.permissionFlag) {
    throw new PmError('SANDBOX_UNAVAILABLE', `Node ${policy.platform.node} has no permission model, so plugins cannot be sandboxed`, { hint: 'install Node 20.10 or newer' });
  }
  const [refused] = policy.fs.refused;
  if (refused) {
    throw new PmError('PERMISSION_PATH_REFUSED', `${policy.plugin}: permission path "${refused.declared}" ${refused.reason}`, {
      hint: refused.hint, data: { plugin: policy.plugin, permission: refused.permission, path: refused.declared },
    });
  }
  const argv: string[] = [policy.permissionFlag];
  // The path as written and its real path: Node checks the one the plugin names, then follows links.
  const paths = (grants: PermissionPolicy['fs']['read']) => [...new Set(grants.flatMap((g) => [g.path, g.real]))];
  for (const p of paths(policy.fs.read)) argv.push(`--allow-fs-read=${p}`);
  for (const p of paths(policy.fs.write)) argv.push(`--allow-fs-write=${p}`);
  // Full-trust grants, only when declared and only where this Node has the flag.
  for (const c of Object.values(policy.capabilities)) if (c.declared && c.flag) argv.push(c.flag);
  if (policy.network.nodeGated && policy.network.allowed) argv.push('--allow-net');
  argv.push(`--max-old-space-size=${policy.memoryMb}`);
  // The permission model's "experimental" banner would otherwise land in the plugin's log on every start.
  if (policy.quietWarnings) argv.push('--disable-warning=ExperimentalWarning');
  return argv;
}

/** The Node flags that put a plugin's process in its sandbox (DESIGN §5). */
export function sandboxExecArgv(manifest: PolicyManifest, paths: SandboxPaths, opts: SandboxOptions = {}): string[] {
  return policyExecArgv(sandboxPolicy(manifest, paths, opts));
}

/** The child's environment from a policy: only the variables it names, taken from `source` when set. */
export function policyEnv(policy: PermissionPolicy, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return pick(policy.env.names, source);
}

/** The child's environment: only the variables the manifest lists (policy.env.names), taken from `source` when set. */
export function sandboxEnv(manifest: { permissions?: Pick<DeclaredPermissions, 'env'> }, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return pick(manifest.permissions?.env ?? [], source);
}

function pick(names: string[], source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const v = source[name];
    if (v !== undefined) env[name] = v;
  }
  return env;
}
