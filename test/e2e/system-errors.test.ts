import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

// Ordinary failures of the disk and of PM_HOME are one clear line and exit 1, never "a bug in pm" (issue 13.8).
const tmp = await tempDir('pm-syserr-e2e-');
const plugin = join(repoRoot, 'plugins-examples', 'usage-analytics');

/** Every path under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  return ((await readdir(dir, { recursive: true })) as string[]).sort();
}

const oneLine = (stderr: string) => {
  const lines = stderr.split('\n');
  expect(lines.length, stderr).toBe(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[1]).toMatch(/^hint: /);
  expect(stderr).not.toMatch(/bug in pm/);
};

afterAll(async () => {
  if (canMount) await execa('umount', [mountPoint], { reject: false });
  await tmp.cleanup();
});

describe('PM_HOME that cannot be used', () => {
  it.skipIf(!existsSync('/proc/self'))('--home /proc/nope/pm plugin-list: one line naming the path, exit 1, not "No plugins installed"', async () => {
    const r = await pm(['plugin-list', '--home', '/proc/nope/pm'], { timeout: 10_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    oneLine(r.stderr);
    expect(r.stderr).toContain('error: PM_HOME /proc/nope/pm does not exist and cannot be created: /proc does not accept new folders');
  });

  it('a file given as --home: exit 1 naming it, for reading and writing commands', async () => {
    const file = join(tmp.dir, 'not-a-folder');
    await writeFile(file, 'x');
    for (const args of [['plugin-list'], ['keys-generate', '--name', 'x'], ['plugin-install', plugin]]) {
      const r = await pm([...args, '--home', file]);
      expect(r.exitCode, args.join(' ')).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toContain(`error: PM_HOME ${file} is a file, not a folder`);
    }
  });

  it('a file where PM_HOME needs a folder (ENOTDIR): plugin-install says which, exit 1, and leaves PM_HOME as it was', async () => {
    const home = join(tmp.dir, 'enotdir');
    await mkdir(home);
    await writeFile(join(home, 'plugins'), 'x');
    const r = await pm(['plugin-install', plugin, '--home', home]);
    expect(r.exitCode).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`error: ${join(home, 'plugins')} is a file where pm needs a folder`);
    expect(await tree(home)).toEqual(['plugins']);
  });

  it('a file where the keyring needs a folder (EEXIST): keys-generate says which, exit 1', async () => {
    const home = join(tmp.dir, 'eexist');
    await mkdir(join(home, 'keys'), { recursive: true });
    await writeFile(join(home, 'keys', 'secret'), 'x');
    const r = await pm(['keys-generate', '--name', 'x', '--home', home]);
    expect(r.exitCode).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`error: ${join(home, 'keys', 'secret')} is a file where pm needs a folder`);
  });
});

// Real full and read-only file systems: a small tmpfs, which needs root (and mount rights).
const mountPoint = join(tmp.dir, 'mnt');
await mkdir(mountPoint);
const canMount = process.getuid?.() === 0 && (await execa('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { reject: false })).exitCode === 0;
if (!canMount) console.warn('system-errors: skipping full-disk and read-only tests: they need root and mount(8) for a small tmpfs');

describe.skipIf(!canMount)('a full disk and a read-only PM_HOME (tmpfs; needs root and mount)', () => {
  const home = join(mountPoint, 'pm');

  beforeAll(async () => {
    const r = await pm(['plugin-install', plugin, '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('a full disk (ENOSPC): keys-generate and plugin-install say so in one line, exit 1, leave no temp or lock file, and the next command does not wait', async () => {
    const before = await tree(home);
    // Fill the file system to the last byte.
    const fh = await open(join(mountPoint, 'filler'), 'w');
    try {
      for (;;) await fh.write(Buffer.alloc(4096));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      await fh.close();
    }
    for (const args of [['keys-generate', '--name', 'x'], ['plugin-install', join(repoRoot, 'plugins-examples', 'prompt-pack')]]) {
      const r = await pm([...args, '--home', home]);
      expect(r.exitCode, args.join(' ')).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/^error: cannot write .*: no space left on the device$/m);
      const now = await tree(home);
      expect(now.filter((p) => /\.tmp$|store\.lock/.test(p)), args.join(' ')).toEqual([]);
      expect(now, args.join(' ')).toEqual(before);
    }
    const started = Date.now();
    const list = await pm(['plugin-list', '--home', home]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('usage-analytics');
    expect(Date.now() - started).toBeLessThan(2_000);
    await execa('rm', [join(mountPoint, 'filler')]);
  });

  it('a read-only PM_HOME (EROFS): plugin-install says so in one line naming the path, exit 1; reading still works', async () => {
    expect((await execa('mount', ['-o', 'remount,ro', mountPoint], { reject: false })).exitCode).toBe(0);
    try {
      const r = await pm(['plugin-install', join(repoRoot, 'plugins-examples', 'prompt-pack'), '--home', home]);
      expect(r.exitCode).toBe(1);
      oneLine(r.stderr);
      expect(r.stderr).toContain(`error: cannot write ${join(home, 'store.lock')}: the file system is read-only`);
      const k = await pm(['keys-generate', '--name', 'x', '--home', home]);
      expect(k.exitCode).toBe(1);
      expect(k.stderr).toMatch(/the file system is read-only/);
      const list = await pm(['plugin-list', '--home', home]);
      expect([list.exitCode, list.stdout.includes('usage-analytics')]).toEqual([0, true]);
    } finally {
      await execa('mount', ['-o', 'remount,rw', mountPoint], { reject: false });
    }
  });
});
