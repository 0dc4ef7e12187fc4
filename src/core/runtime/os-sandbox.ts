/**
 * Whether this machine can put a plugin process in an OS sandbox (DESIGN §5): bubblewrap on
 * Linux, found on PATH and proven by a trial run. Decided once per process.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The OS sandbox this machine offers, and why (or why not). */
export interface OsSandboxFacts {
  available: boolean;
  /** One sentence: what was found, or what is missing. */
  reason: string;
  /** How to get it, when it is not available. */
  hint?: string;
  /** The real path of bwrap, when found. */
  bwrap?: string;
  /** The real path of util-linux's prlimit (rlimits inside the sandbox), when found. */
  prlimit?: string;
}

/** PM_SANDBOX=node (or none) forces the fallback; anything else means: use bwrap when it works. */
export const SANDBOX_ENV = 'PM_SANDBOX';

const INSTALL_HINT = 'install bubblewrap: apt-get install bubblewrap (Debian, Ubuntu) or dnf install bubblewrap (Fedora, RHEL)';

/** The first executable `name` on `path`, links resolved. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return realpathSync(p);
    } catch { /* next */ }
  }
  return undefined;
}

/** Detects bubblewrap without caching (tests and `detectOsSandbox`). */
export function probeOsSandbox(env: NodeJS.ProcessEnv = process.env, os: NodeJS.Platform = process.platform): OsSandboxFacts {
  const forced = env[SANDBOX_ENV];
  if (forced === 'node' || forced === 'none') return { available: false, reason: `${SANDBOX_ENV}=${forced} turns the OS sandbox off` };
  if (os !== 'linux') return { available: false, reason: `bubblewrap runs on Linux only (this is ${os})` };
  const bwrap = findOnPath('bwrap', env.PATH);
  if (!bwrap) return { available: false, reason: 'bwrap is not on PATH', hint: INSTALL_HINT };
  const prlimit = findOnPath('prlimit', env.PATH);
  // A trial run: a container without user namespaces has bwrap but cannot use it.
  const r = spawnSync(bwrap, ['--unshare-all', '--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--', 'true'], { encoding: 'utf8', timeout: 10_000, env: {} });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
    return { available: false, reason: `${bwrap} cannot create namespaces here: ${why}`, hint: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the container\'s seccomp/AppArmor profile)', bwrap };
  }
  return { available: true, reason: `${bwrap} creates user, PID, IPC, UTS, cgroup and network namespaces here`, bwrap, ...(prlimit ? { prlimit } : {}) };
}

let cached: { key: string; facts: OsSandboxFacts } | undefined;

/** The OS sandbox facts of this process (probed once; PM_SANDBOX and PATH changes re-probe). */
export function detectOsSandbox(): OsSandboxFacts {
  const key = `${process.env[SANDBOX_ENV] ?? ''}\0${process.env.PATH ?? ''}`;
  if (cached?.key !== key) cached = { key, facts: probeOsSandbox() };
  return cached.facts;
}
