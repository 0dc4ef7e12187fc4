import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';

export interface PythonOptions {
  /** The Python to build the environment with (default `python3` on PATH). */
  python?: string;
}

const INSTALL_HINT = 'install Python 3 with its venv module: apt-get install python3 python3-venv (Debian, Ubuntu), dnf install python3 (Fedora, RHEL), brew install python (macOS)';
const VENV_HINT = 'install the venv module: apt-get install python3-venv (Debian, Ubuntu); on Fedora/RHEL (dnf install python3) and macOS it comes with Python';

/** Runs a program, never throwing: exit code (or the spawn error) and its output. */
export async function runProgram(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ exitCode: number; stdout: string; stderr: string; failed?: string }> {
  const { execa } = await import('execa');
  const r = await execa(cmd, args, { reject: false, stdin: 'ignore', cwd: opts.cwd, env: opts.env, extendEnv: false });
  const failed = r.exitCode === undefined ? (r as { shortMessage?: string }).shortMessage ?? 'did not run' : undefined;
  return { exitCode: r.exitCode ?? 127, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), ...(failed ? { failed } : {}) };
}

/** The environment pip and Python run in: the user's (so PIP_INDEX_URL, PIP_FIND_LINKS, PIP_NO_INDEX and pip.conf apply), minus what would redirect the install. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // These would send pip's files outside the venv, or load another Python's library.
  for (const k of ['PIP_TARGET', 'PIP_PREFIX', 'PIP_ROOT', 'PIP_USER', 'PIP_REQUIRE_VIRTUALENV', 'PYTHONHOME', 'PYTHONPATH', 'PYTHONUSERBASE', 'VIRTUAL_ENV']) delete env[k];
  return { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' };
}

/**
 * Creates `dir` as a virtual environment that still works after the folder is moved into
 * PM_HOME: the interpreter copied (no links, which a plugin folder may not hold), no pip in
 * it, and no lib64 link. Throws PYTHON_MISSING or PYTHON_VENV_MISSING with the install hint.
 */
export async function createVenv(dir: string, opts: PythonOptions = {}): Promise<string> {
  const python = opts.python ?? 'python3';
  const env = pythonEnv();
  const version = await runProgram(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { env });
  if (version.failed || version.exitCode !== 0) {
    throw new PmError('PYTHON_MISSING', `cannot run ${python}: ${version.failed ?? version.stderr.trim().split('\n').pop() ?? `exit ${version.exitCode}`}`, { hint: INSTALL_HINT, data: { python } });
  }
  const [major, minor] = version.stdout.trim().split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 8) {
    throw new PmError('PYTHON_MISSING', `${python} is Python ${version.stdout.trim()}; pypi: needs Python 3.8 or newer`, { hint: INSTALL_HINT, data: { python, version: version.stdout.trim() } });
  }
  const made = await runProgram(python, ['-m', 'venv', '--copies', '--without-pip', dir], { env });
  if (made.exitCode !== 0) {
    throw new PmError('PYTHON_VENV_MISSING', `${python} cannot create a virtual environment: ${(made.failed ?? made.stderr.trim().split('\n').pop()) || `exit ${made.exitCode}`}`, { hint: VENV_HINT, data: { python } });
  }
  await rm(join(dir, 'lib64'), { force: true });
  return join(dir, 'bin', 'python');
}

// Run inside the venv: the pip wheel its Python bundles for ensurepip (CPython's _bundled, or Debian's python-wheels).
const FIND_PIP_WHEEL = [
  'import ensurepip, glob, os',
  'd = os.path.dirname(ensurepip.__file__)',
  'c = sorted(glob.glob(os.path.join(d, "_bundled", "pip-*.whl"))) or sorted(glob.glob("/usr/share/python-wheels/pip-*.whl"))',
  'print(c[-1] if c else "")',
].join('\n');

/**
 * How to run pip for the venv: from the pip wheel Python ships for ensurepip, on the venv's
 * own interpreter, so pip installs into the venv without being installed there. Throws
 * PYTHON_VENV_MISSING when the Python has no ensurepip (Debian without python3-venv).
 */
export async function pipCommand(venvPython: string): Promise<string[]> {
  const r = await runProgram(venvPython, ['-c', FIND_PIP_WHEEL], { env: pythonEnv() });
  const wheel = r.exitCode === 0 ? r.stdout.trim() : '';
  if (!wheel) {
    throw new PmError('PYTHON_VENV_MISSING', `this Python has no bundled pip (ensurepip) to install packages with${r.exitCode !== 0 ? `: ${r.stderr.trim().split('\n').pop() ?? ''}` : ''}`, { hint: VENV_HINT, data: { python: venvPython } });
  }
  // pip's --report (the resolved versions and hashes pm records) came with pip 22.2.
  const version = /pip-(\d+)\.(\d+)/.exec(wheel);
  if (version && (Number(version[1]) < 22 || (Number(version[1]) === 22 && Number(version[2]) < 2))) {
    throw new PmError('PYTHON_VENV_MISSING', `the pip this Python bundles (${version[1]}.${version[2]}) is older than 22.2, which pm needs to record what it installs`, {
      hint: 'use a newer Python (3.11 or later bundles a recent pip), or update your distribution\'s python3-pip-whl', data: { python: venvPython, wheel },
    });
  }
  return [venvPython, join(wheel, 'pip')];
}

/**
 * Leaves only `bin/python` in the venv: pip's console scripts and the activate files hold the
 * staging folder's absolute path, and python3 / python3.X are further copies of the interpreter.
 */
export async function pruneVenvBin(venv: string): Promise<void> {
  const bin = join(venv, 'bin');
  for (const name of await readdir(bin)) {
    if (name !== 'python') await rm(join(bin, name), { force: true, recursive: true });
  }
}
