import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const pmBin = join(repoRoot, 'bin', 'pm.js');

export interface PmResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Spawns the real bin/pm.js (built dist/) without a terminal and never throws on a non-zero exit. */
export async function pm(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string; timeout?: number } = {}): Promise<PmResult> {
  const r = await execa(process.execPath, [pmBin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { NO_COLOR: '1', ...opts.env },
    input: opts.input ?? '',
    reject: false,
    timeout: opts.timeout ?? 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
}

/** A fresh temporary folder; call the returned cleanup in afterEach/afterAll. */
export async function tempDir(prefix = 'pm-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
