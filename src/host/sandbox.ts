import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PmError } from '../core/errors.js';
import type { HostManifest } from './manifest-types.js';

/** Default heap cap for a plugin process, in MiB. */
export const DEFAULT_MEMORY_MB = 256;

export interface SandboxPaths {
  /** Real path of the plugin folder. */
  pluginDir: string;
  /** Real path of the plugin's data folder. */
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
}

/** What a plugin is granted, for `plugin-info`, install prompts and docs. */
export interface PermissionReport {
  fsRead: string[];
  fsWrite: string[];
  env: string[];
  /** `enforced` only on a Node with `--allow-net` (25+). */
  network: { hosts: string[]; enforced: boolean };
  childProcess: boolean;
  worker: boolean;
  addons: boolean;
  memoryMb: number;
  /** True when the plugin asks for anything that escapes the sandbox (child processes, workers, addons). */
  fullTrust: boolean;
}

function inside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** Resolves one declared fs path (`$DATA`, `$DATA/x`, `~/x`, `$HOME/x`, or absolute) and refuses what is not the user's. */
export function resolvePermissionPath(declared: string, paths: Pick<SandboxPaths, 'dataDir' | 'pmHome' | 'userHome'>, plugin = 'plugin'): string {
  const userHome = paths.userHome ?? homedir();
  let p: string;
  if (declared === '$DATA' || declared.startsWith('$DATA/')) p = join(paths.dataDir, declared.slice(5));
  else if (declared === '~' || declared.startsWith('~/')) p = join(userHome, declared.slice(1));
  else if (declared === '$HOME' || declared.startsWith('$HOME/')) p = join(userHome, declared.slice(5));
  else if (isAbsolute(declared)) p = resolve(declared);
  else {
    throw new PmError('PERMISSION_PATH_REFUSED', `${plugin}: permission path "${declared}" is relative`, {
      kind: 'validation', hint: 'use $DATA, $DATA/<sub>, ~/<path> or an absolute path under your home folder',
    });
  }
  // Node's flag parser splits on commas and treats * as a wildcard: neither may sneak in.
  if (p.includes(',') || p.includes('*')) {
    throw new PmError('PERMISSION_PATH_REFUSED', `${plugin}: permission path "${declared}" contains "," or "*"`, { kind: 'validation', hint: 'name one concrete folder per entry' });
  }
  if (inside(p, paths.dataDir)) return p;
  if (paths.pmHome && inside(p, paths.pmHome)) {
    throw new PmError('PERMISSION_PATH_REFUSED', `${plugin}: permission path "${declared}" points into PM_HOME (${paths.pmHome}), which holds keys and other plugins' data`, {
      kind: 'validation', hint: 'use $DATA for the plugin\'s own files',
    });
  }
  if (!inside(p, userHome) || p === userHome) {
    throw new PmError('PERMISSION_PATH_REFUSED', `${plugin}: permission path "${declared}" is not a folder under your home (${userHome})`, {
      kind: 'validation', hint: 'plugins may be granted $DATA or folders under your home folder, nothing wider',
    });
  }
  return p;
}

/** The grants a manifest asks for, resolved against the plugin's folders. */
export function permissionReport(manifest: HostManifest, paths: Pick<SandboxPaths, 'pluginDir' | 'dataDir' | 'pmHome' | 'userHome'>, opts: SandboxOptions = {}): PermissionReport {
  const flags = opts.nodeFlags ?? process.allowedNodeEnvironmentFlags;
  const perm = manifest.permissions ?? {};
  const fsRead = [paths.pluginDir, paths.dataDir];
  for (const d of perm.fs?.read ?? []) {
    const p = resolvePermissionPath(d, paths, manifest.name);
    if (!fsRead.includes(p)) fsRead.push(p);
  }
  const fsWrite = [paths.dataDir];
  for (const d of perm.fs?.write ?? []) {
    const p = resolvePermissionPath(d, paths, manifest.name);
    if (!fsWrite.includes(p)) fsWrite.push(p);
  }
  const childProcess = perm.childProcess === true;
  const worker = perm.worker === true;
  const addons = perm.addons === true;
  return {
    fsRead,
    fsWrite,
    env: [...(perm.env ?? [])],
    network: { hosts: [...(perm.network ?? [])], enforced: flags.has('--allow-net') },
    childProcess,
    worker,
    addons,
    memoryMb: perm.memoryMb ?? opts.defaultMemoryMb ?? DEFAULT_MEMORY_MB,
    fullTrust: childProcess || worker || addons,
  };
}

/** The Node flags that put a plugin's process in its sandbox (DESIGN §5). */
export function sandboxExecArgv(manifest: HostManifest, paths: SandboxPaths, opts: SandboxOptions = {}): string[] {
  const flags = opts.nodeFlags ?? process.allowedNodeEnvironmentFlags;
  const permission = flags.has('--permission') ? '--permission' : flags.has('--experimental-permission') ? '--experimental-permission' : undefined;
  if (!permission) {
    throw new PmError('SANDBOX_UNAVAILABLE', `Node ${process.versions.node} has no permission model, so plugins cannot be sandboxed`, {
      hint: 'install Node 20.10 or newer',
    });
  }
  const report = permissionReport(manifest, paths, opts);
  const argv: string[] = [permission];
  for (const p of [...paths.runnerFiles, ...report.fsRead]) argv.push(`--allow-fs-read=${p}`);
  for (const p of report.fsWrite) argv.push(`--allow-fs-write=${p}`);
  // Full-trust grants, only when declared; a flag this Node lacks is simply not needed (the API is not gated).
  if (report.childProcess && flags.has('--allow-child-process')) argv.push('--allow-child-process');
  if (report.worker && flags.has('--allow-worker')) argv.push('--allow-worker');
  if (report.addons && flags.has('--allow-addons')) argv.push('--allow-addons');
  if (report.network.hosts.length > 0 && flags.has('--allow-net')) argv.push('--allow-net');
  argv.push(`--max-old-space-size=${report.memoryMb}`);
  // The permission model's "experimental" banner would otherwise land in the plugin's log on every start.
  if (flags.has('--disable-warning')) argv.push('--disable-warning=ExperimentalWarning');
  return argv;
}

/** The child's environment: only the variables the manifest lists, taken from `source` when set. */
export function sandboxEnv(manifest: HostManifest, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of manifest.permissions?.env ?? []) {
    const v = source[name];
    if (v !== undefined) env[name] = v;
  }
  return env;
}

/** Whether `p` is inside `dir` (both absolute). */
export function isInside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}
