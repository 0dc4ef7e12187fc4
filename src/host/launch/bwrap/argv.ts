/**
 * The bubblewrap command line for one plugin process (DESIGN §5), built from the same
 * PermissionPolicy plugin-info describes. Pure: every fact about the machine comes in `plan`.
 */
import type { PermissionPolicy } from '../../../core/permissions/policy.js';
import type { SystemLayout } from './system-layout.js';

/** The PATH every sandboxed process gets (plus its interpreter's bin folder). */
export const SAFE_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The PATH for a sandboxed program: its interpreter's bin folders, then SAFE_PATH. */
export function safePath(extra: string[] = []): string {
  return [...extra, SAFE_PATH].join(':');
}

/** Everything bwrapArgv needs besides the policy. */
export interface BwrapPlan {
  policy: PermissionPolicy;
  /** The program inside the sandbox (a real path) and its arguments. */
  command: string;
  args: string[];
  /** Read-only paths the program needs to run: its interpreter's installation, pm's runner files. */
  runtime: string[];
  /** The whole environment of the process. */
  env: Record<string, string>;
  cwd: string;
  layout: SystemLayout;
  /** util-linux prlimit, to set RLIMIT_DATA and RLIMIT_NPROC inside the sandbox; absent: no rlimits. */
  prlimit?: string;
}

interface Mount { dest: string; src: string; rw: boolean; optional: boolean }

const MiB = 1024 * 1024;
const ENV = '/usr/bin/env';

/** The argv after `bwrap` for `plan`: namespaces, environment, binds, limits, then the command. */
export function bwrapArgv(plan: BwrapPlan): string[] {
  const { policy, layout } = plan;
  const argv = ['--unshare-all'];
  if (policy.network.allowed) argv.push('--share-net');
  argv.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv');
  for (const [k, v] of Object.entries(plan.env)) argv.push('--setenv', k, v);

  for (const r of layout.roots) {
    if (r.link !== undefined) argv.push('--symlink', r.link, r.path);
    else argv.push('--ro-bind', r.path, r.path);
  }
  const etc = policy.network.allowed ? [...layout.etc, ...layout.etcNetwork] : layout.etc;
  for (const e of etc) argv.push('--ro-bind-try', e, e);
  argv.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');

  for (const m of mounts(plan)) {
    argv.push(m.rw ? (m.optional ? '--bind-try' : '--bind') : (m.optional ? '--ro-bind-try' : '--ro-bind'), m.src, m.dest);
  }
  argv.push('--chdir', plan.cwd, '--');
  if (plan.prlimit) {
    argv.push(plan.prlimit, `--data=${policy.dataLimitMb * MiB}`, `--nproc=${policy.maxProcesses}`, '--');
  }
  // bwrap sets PWD after --chdir; env drops it so the process gets exactly `plan.env`.
  argv.push(ENV, '-u', 'PWD', plan.command, ...plan.args);
  return argv;
}

/** Runtime paths, then the granted folders, parents before children and read-write winning on the same path. */
function mounts(plan: BwrapPlan): Mount[] {
  const byDest = new Map<string, Mount>();
  const add = (m: Mount) => {
    const had = byDest.get(m.dest);
    if (!had || (m.rw && !had.rw)) byDest.set(m.dest, m);
  };
  for (const p of plan.runtime) add({ dest: p, src: p, rw: false, optional: false });
  for (const [grants, rw] of [[plan.policy.fs.read, false], [plan.policy.fs.write, true]] as const) {
    for (const g of grants) {
      // The plugin's own folders exist (the launcher makes the data folder); a declared path may not yet.
      const optional = g.source === 'declared';
      add({ dest: g.path, src: g.real, rw, optional });
      if (g.real !== g.path) add({ dest: g.real, src: g.real, rw, optional });
    }
  }
  const depth = (p: string) => p.split('/').length;
  return [...byDest.values()].sort((a, b) => depth(a.dest) - depth(b.dest) || a.dest.localeCompare(b.dest));
}
