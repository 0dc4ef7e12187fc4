/**
 * What a plugin may do, decided once (DESIGN §5): manifest permissions + its folders +
 * the facts of this platform → one plain PermissionPolicy. describe.ts turns it into the
 * lines users see; host/sandbox.ts turns the same object into the process's flags.
 */
import { homedir } from 'node:os';
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isWithin, realPathNearest } from '../fs/real-path.js';
import type { Permissions } from '../manifest/types.js';
import { detectOsSandbox, type OsSandboxFacts } from '../runtime/os-sandbox.js';
import { decideLayer, type SandboxDecision } from './layer.js';

/** Default heap cap for a plugin process, in MiB. */
export const DEFAULT_MEMORY_MB = 256;

/** Default memory cap of a server plugin (RLIMIT_DATA), in MiB: any runtime, with no heap cap of its own. */
export const DEFAULT_SERVER_MEMORY_MB = 1024;

/** What Node needs beside its heap (code, young generation, buffers), in MiB: Node 24's V8 alone reserves ~580 MiB of RLIMIT_DATA to start. */
const NODE_HEADROOM_MB = 1024;

/** Default cap on a sandboxed plugin's processes and threads (RLIMIT_NPROC inside its user namespace). */
export const DEFAULT_MAX_PROCESSES = 128;

/** The permissions block as manifest readers hold it (`network: true` from old stores means any host). */
export type DeclaredPermissions = Omit<Permissions, 'network'> & { network?: string[] | boolean };

/** The manifest fields a policy reads. */
export interface PolicyManifest {
  name: string;
  permissions?: DeclaredPermissions;
  /** Present for a server plugin (any program speaking MCP over stdio). */
  server?: unknown;
  /** Where pm installed it from (`local`: the user's own command line, `pm mcp-add`). */
  source?: { type?: string };
}

/** The folders a policy is resolved against. */
export interface PolicyPaths {
  /** The plugin folder (read-only for the plugin). */
  pluginDir: string;
  /** The plugin's data folder (read-write). */
  dataDir: string;
  /** PM_HOME: nothing inside it but the data folder may be granted. */
  pmHome?: string;
  /** The user's home folder: declared paths must lie under it or under $DATA (default: os.homedir()). */
  userHome?: string;
  /** pm's own files the process must read to start (the runner), granted read-only. */
  runtimeFiles?: string[];
}

/** What this platform can enforce. */
export interface PlatformFacts {
  /** Node version, e.g. "20.20.2". */
  node: string;
  os: NodeJS.Platform;
  /** The Node flags the plugin's Node accepts. */
  nodeFlags: ReadonlySet<string>;
  /** The OS sandbox this machine offers; absent: none. */
  osSandbox?: OsSandboxFacts;
}

/** The facts of the Node running pm (plugins run on the same Node) and of this machine's OS sandbox. */
export function currentPlatform(): PlatformFacts {
  return { node: process.versions.node, os: process.platform, nodeFlags: process.allowedNodeEnvironmentFlags, osSandbox: detectOsSandbox() };
}

export interface PolicyOptions {
  platform?: PlatformFacts;
  /** Heap cap when the manifest gives none (the host's setting). */
  defaultMemoryMb?: number;
  /** The user's full-trust grant for this plugin (state.json), if any. */
  fullTrust?: { since: string };
}

/** One granted path: `path` as declared (expanded), `real` with links resolved; both are granted. */
export interface FsGrant {
  source: 'runtime' | 'plugin-folder' | 'data-folder' | 'declared' | 'command';
  declared: string;
  path: string;
  real: string;
}

/** A declared path pm will not grant; the plugin does not start while it is declared. */
export interface RefusedPath {
  permission: 'fs.read' | 'fs.write';
  declared: string;
  reason: string;
  hint: string;
}

/** A capability Node's permission model gates with one flag. */
export interface Capability {
  declared: boolean;
  /** The flag that grants it on this Node, if this Node has one. */
  flag?: string;
  /** Whether an undeclared use is refused on this platform. */
  enforced: boolean;
}

export type CapabilityName = 'childProcess' | 'worker' | 'addons';

/** Exactly what is enforced for one plugin on this platform, and what is declared but not enforceable here. */
export interface PermissionPolicy {
  plugin: string;
  kind: 'module' | 'server';
  platform: { node: string; os: NodeJS.Platform };
  /** The layer that confines the process (bubblewrap, Node's permission model, or none), and why. */
  sandbox: SandboxDecision;
  /** The flag that turns on Node's permission model; undefined: this Node has none and pm refuses to start plugins. */
  permissionFlag?: '--permission' | '--experimental-permission';
  fs: { read: FsGrant[]; write: FsGrant[]; refused: RefusedPath[]; enforced: boolean };
  network: {
    /** Hosts the manifest names, or 'any'. */
    declared: string[] | 'any';
    /** Whether access is restricted at all: bubblewrap's network namespace, or Node 25+'s `--allow-net`. */
    enforced: boolean;
    /** Whether the process may reach the network: when enforced, all-or-nothing; when not, always. */
    allowed: boolean;
    /** Per-host filtering does not exist yet. */
    perHost: false;
    /** Whether Node's permission model gates it too (`--allow-net`, Node 25+, module plugins). */
    nodeGated: boolean;
  };
  /** The only environment variables the process gets (the host builds its environment). */
  env: { names: string[]; enforced: true };
  capabilities: Record<CapabilityName, Capability>;
  /** Memory cap in MiB: Node's heap (--max-old-space-size) and, under bubblewrap, RLIMIT_DATA. */
  memoryMb: number;
  /** RLIMIT_DATA under bubblewrap, MiB: for module plugins the heap cap plus room for Node itself and its buffers. */
  dataLimitMb: number;
  /** Processes and threads under bubblewrap (RLIMIT_NPROC; the kernel exempts root). */
  maxProcesses: number;
  /** Declared capabilities that escape the sandbox. */
  fullTrust: CapabilityName[];
  /** Whether Node accepts --disable-warning (to keep the permission model's banner out of plugin logs). */
  quietWarnings: boolean;
}

const CAPABILITY_FLAGS: Record<CapabilityName, string> = { childProcess: '--allow-child-process', worker: '--allow-worker', addons: '--allow-addons' };
const PATH_HINT = 'use $DATA, $DATA/<sub>, ~/<path> or an absolute path under your home folder';

/** Resolves a plugin's permission policy on this platform; never throws for a bad path (it is listed in fs.refused). */
export function resolvePolicy(manifest: PolicyManifest, paths: PolicyPaths, opts: PolicyOptions = {}): PermissionPolicy {
  const platform = opts.platform ?? currentPlatform();
  const flags = platform.nodeFlags;
  const perm = manifest.permissions ?? {};
  const permissionFlag = flags.has('--permission') ? '--permission' : flags.has('--experimental-permission') ? '--experimental-permission' : undefined;
  const ctx = pathContext(paths);
  const own = (source: FsGrant['source'], declared: string, p: string): FsGrant => ({ source, declared, path: resolve(p), real: realPathNearest(p) });

  const refused: RefusedPath[] = [];
  const read: FsGrant[] = [
    ...(paths.runtimeFiles ?? []).map((f) => own('runtime', f, f)),
    own('plugin-folder', '(its own folder)', paths.pluginDir),
    own('data-folder', '$DATA', paths.dataDir),
  ];
  const write: FsGrant[] = [own('data-folder', '$DATA', paths.dataDir)];
  // The user's own command line (mcp-add) may name its script by absolute path: granted read-only.
  if (manifest.source?.type === 'local') for (const p of commandPaths(manifest.server, ctx)) if (!read.some((g) => isWithin(p, g.path))) read.push(own('command', p, p));
  for (const [permission, list, into] of [['fs.read', perm.fs?.read, read], ['fs.write', perm.fs?.write, write]] as const) {
    for (const declared of list ?? []) {
      const r = judgePath(declared, ctx);
      if ('reason' in r) refused.push({ permission, declared, reason: r.reason, hint: r.hint });
      else if (!into.some((g) => g.path === r.path && g.real === r.real)) into.push({ source: 'declared', declared, ...r });
    }
  }

  const kind = manifest.server !== undefined ? 'server' : 'module';
  const memoryMb = perm.memoryMb ?? (kind === 'server' ? DEFAULT_SERVER_MEMORY_MB : opts.defaultMemoryMb ?? DEFAULT_MEMORY_MB);
  const sandbox = decideLayer(kind, platform.osSandbox, permissionFlag !== undefined, opts.fullTrust);
  const bwrap = sandbox.layer === 'bwrap';
  const wantsNet = perm.network === true || (Array.isArray(perm.network) && perm.network.length > 0);
  const nodeGated = kind === 'module' && permissionFlag !== undefined && flags.has('--allow-net');
  const netEnforced = bwrap || nodeGated;
  const capabilities = {} as Record<CapabilityName, Capability>;
  for (const k of Object.keys(CAPABILITY_FLAGS) as CapabilityName[]) {
    const flag = kind === 'module' && flags.has(CAPABILITY_FLAGS[k]) ? CAPABILITY_FLAGS[k] : undefined;
    // Without its flag this Node does not gate the API, so an undeclared use is not refused.
    capabilities[k] = { declared: perm[k] === true, ...(flag ? { flag } : {}), enforced: permissionFlag !== undefined && flag !== undefined };
  }
  return {
    plugin: manifest.name,
    kind,
    platform: { node: platform.node, os: platform.os },
    sandbox,
    ...(permissionFlag ? { permissionFlag } : {}),
    fs: { read, write, refused, enforced: bwrap || (kind === 'module' && permissionFlag !== undefined) },
    network: {
      declared: perm.network === true ? 'any' : Array.isArray(perm.network) ? [...perm.network] : [],
      enforced: netEnforced,
      allowed: netEnforced ? wantsNet : true,
      perHost: false,
      nodeGated,
    },
    env: { names: [...new Set(perm.env ?? [])], enforced: true },
    capabilities,
    memoryMb,
    dataLimitMb: kind === 'module' ? memoryMb + NODE_HEADROOM_MB : memoryMb,
    maxProcesses: DEFAULT_MAX_PROCESSES,
    // Under bubblewrap a declared capability escapes Node's layer only; the OS sandbox still holds.
    fullTrust: bwrap ? [] : (Object.keys(capabilities) as CapabilityName[]).filter((k) => capabilities[k].declared),
    quietWarnings: flags.has('--disable-warning'),
  };
}

/** Absolute, existing paths a server's command line names: a file's folder, or the file alone where its folder is too wide. */
function commandPaths(server: unknown, ctx: PathContext): string[] {
  const spec = server as { command?: unknown; args?: unknown } | undefined;
  if (!spec) return [];
  const words = [spec.command, ...(Array.isArray(spec.args) ? spec.args : [])].filter((w): w is string => typeof w === 'string' && isAbsolute(w) && !w.includes('${'));
  const out: string[] = [];
  for (const w of words) {
    const st = statSync(w, { throwIfNoEntry: false });
    if (!st) continue;
    const folder = st.isDirectory() ? resolve(w) : dirname(resolve(w));
    // Never the home folder, PM_HOME or anything holding them: then only the named file.
    const wide = [...ctx.userHome, ...ctx.pmHome].some((h) => isWithin(h, folder)) || ctx.pmHome.some((h) => isWithin(folder, h));
    if (!wide) out.push(folder);
    else if (st.isFile()) out.push(resolve(w));
  }
  return [...new Set(out)];
}

interface PathContext {
  dataDir: string[];
  pmHome: string[];
  userHome: string[];
  /** For messages: the folders as given. */
  shown: { pmHome?: string; userHome: string };
}

/** Each folder as given and as it really is: a path must pass the checks in both forms. */
function pathContext(paths: PolicyPaths): PathContext {
  const both = (p: string) => [...new Set([resolve(p), realPathNearest(p)])];
  const userHome = paths.userHome ?? homedir();
  return {
    dataDir: both(paths.dataDir),
    pmHome: paths.pmHome ? both(paths.pmHome) : [],
    userHome: both(userHome),
    shown: { pmHome: paths.pmHome, userHome },
  };
}

/** Expands one declared path and decides on it, comparing real paths (links resolved) as well as the path as written. */
function judgePath(declared: string, ctx: PathContext): { path: string; real: string } | { reason: string; hint: string } {
  const home = ctx.shown.userHome;
  let p: string;
  if (declared.includes('\0')) return { reason: 'contains a NUL character', hint: PATH_HINT };
  if (declared.split(/[\\/]/).includes('..')) return { reason: 'contains ..', hint: PATH_HINT };
  if (declared === '$DATA' || declared.startsWith('$DATA/')) p = join(ctx.dataDir[0]!, declared.slice(5));
  else if (declared === '~' || declared.startsWith('~/')) p = join(home, declared.slice(1));
  else if (declared === '$HOME' || declared.startsWith('$HOME/')) p = join(home, declared.slice(5));
  else if (isAbsolute(declared)) p = resolve(declared);
  else return { reason: 'is relative', hint: PATH_HINT };
  const real = realPathNearest(p);
  // Node's flag parser splits on commas and treats * as a wildcard: neither may sneak in.
  if ([p, real].some((x) => x.includes(',') || x.includes('*'))) return { reason: 'contains "," or "*"', hint: 'name one concrete folder per entry' };
  const via = real !== p ? ` (through a link, to ${real})` : '';
  for (const x of [p, real]) {
    if (ctx.dataDir.some((d) => isWithin(x, d))) continue;
    if (ctx.pmHome.some((h) => isWithin(x, h))) {
      return { reason: `points into PM_HOME (${ctx.shown.pmHome})${via}, which holds keys and other plugins' data`, hint: 'use $DATA for the plugin\'s own files' };
    }
    if (!ctx.userHome.some((h) => isWithin(x, h) && x !== h)) {
      return { reason: `is not a folder under your home (${home})${via}`, hint: 'plugins may be granted $DATA or folders under your home folder, nothing wider' };
    }
  }
  return { path: p, real };
}
