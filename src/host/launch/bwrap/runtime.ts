/**
 * What a program needs from outside the system folders to run in the sandbox: the real
 * installation of its interpreter. Version-manager shims (pyenv, asdf, mise) are resolved
 * by asking the interpreter itself, so the sandbox runs the real program.
 */
import { spawnSync } from 'node:child_process';
import { openSync, readSync, closeSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute } from 'node:path';
import { findOnPath } from '../../../core/runtime/os-sandbox.js';
import { isWithin } from '../../../core/fs/real-path.js';
import type { SystemLayout } from './system-layout.js';

/** A program resolved for the sandbox. */
export interface ResolvedRuntime {
  /** The path to run inside the sandbox. */
  command: string;
  /** Installations to bind read-only. */
  runtime: string[];
  /** Folders to put on the sandbox's PATH. */
  path: string[];
}

const PYTHON = /^python(\d+(\.\d+)?)?$/;
const cache = new Map<string, ResolvedRuntime>();

function underSystem(p: string, layout: SystemLayout): boolean {
  return layout.roots.some((r) => r.link === undefined && isWithin(p, r.path));
}

/** The installation folder of a program: the parent of its bin/ folder, else its own folder. */
function installation(real: string): string {
  const dir = dirname(real);
  return basename(dir) === 'bin' ? dirname(dir) : dir;
}

/** A program at its real path: bind its installation unless the system folders hold it; never a folder holding the home folder. */
function plain(command: string, real: string, layout: SystemLayout): ResolvedRuntime {
  if (underSystem(real, layout)) return { command, runtime: [], path: [] };
  const inst = installation(real);
  const wide = isWithin(homedir(), inst) || dirname(inst) === inst;
  return { command, runtime: [wide ? real : inst], path: [dirname(real)] };
}

/** Node (the plugin runner's interpreter) at `execPath`. */
export function nodeRuntime(execPath: string, layout: SystemLayout): ResolvedRuntime {
  const real = realpathSync(execPath);
  return plain(real, real, layout);
}

/** Asks a Python (possibly a shim) where it really lives: sys.executable, sys.prefix, sys.base_prefix. */
function askPython(path: string, env: NodeJS.ProcessEnv): { executable: string; prefixes: string[] } | undefined {
  const r = spawnSync(path, ['-c', 'import sys, json; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix]))'], { encoding: 'utf8', env, timeout: 15_000 });
  if (r.status !== 0) return undefined;
  try {
    const [executable, ...prefixes] = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as string[];
    return executable ? { executable, prefixes: [...new Set(prefixes)] } : undefined;
  } catch { return undefined; }
}

/** The interpreter a script's `#!` line names (`/usr/bin/env node` → node), if any. */
function shebang(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(256);
    const line = buf.subarray(0, readSync(fd, buf, 0, 256, 0)).toString('utf8').split('\n')[0] ?? '';
    if (!line.startsWith('#!')) return undefined;
    const words = line.slice(2).trim().split(/\s+/);
    return basename(words[0] ?? '') === 'env' ? words.find((w, i) => i > 0 && !w.startsWith('-')) : words[0];
  } catch { return undefined; } finally { if (fd !== undefined) closeSync(fd); }
}

/** Resolves a server plugin's command (a name on PATH or a path) for the sandbox; undefined when it is not found. */
export function commandRuntime(command: string, env: NodeJS.ProcessEnv, layout: SystemLayout, depth = 0): ResolvedRuntime | undefined {
  const key = `${command}\0${env.PATH ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let found: string | undefined;
  try { found = isAbsolute(command) ? realpathSync(command) : findOnPath(command, env.PATH); } catch { found = undefined; }
  if (!found) return undefined;
  let out: ResolvedRuntime;
  const py = PYTHON.test(basename(command)) || PYTHON.test(basename(found)) ? askPython(command, env) : undefined;
  if (py) {
    // A venv's python must run at its own path (that is how it finds pyvenv.cfg); bind both prefixes.
    const outside = py.prefixes.filter((p) => !underSystem(p, layout) && !isWithin(homedir(), p));
    out = { command: py.executable, runtime: outside, path: underSystem(py.executable, layout) ? [] : [dirname(py.executable)] };
  } else {
    out = plain(found, found, layout);
    const interp = depth === 0 ? shebang(found) : undefined;
    const inner = interp ? commandRuntime(interp, env, layout, 1) : undefined;
    if (inner) out = { command: out.command, runtime: [...new Set([...out.runtime, ...inner.runtime])], path: [...new Set([...out.path, ...inner.path])] };
  }
  cache.set(key, out);
  return out;
}
