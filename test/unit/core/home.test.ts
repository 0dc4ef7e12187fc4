import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, watch } from 'node:fs';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkHome } from '../../../src/core/home.js';
import { tempDir } from '../../helpers/pm.js';

const tmp = await tempDir('pm-home-');
afterAll(() => tmp.cleanup());

describe('checkHome', () => {
  it('accepts a PM_HOME that does not exist yet and creates nothing', async () => {
    await checkHome(join(tmp.dir, 'fresh', 'pm'));
    expect(await readdir(tmp.dir)).not.toContain('fresh');
  });

  it('accepts the same fresh PM_HOME checked by many pm processes at once (the probe folder race)', async () => {
    const home = join(tmp.dir, 'race', 'pm');
    for (let round = 0; round < 20; round++) {
      await expect(Promise.all(Array.from({ length: 16 }, () => checkHome(home)))).resolves.toHaveLength(16);
    }
  });

  it('never makes PM_HOME itself appear, even for a moment, so another pm cannot find it and lose it (the probe folder race)', async () => {
    const parent = join(tmp.dir, 'watched');
    await mkdir(parent);
    const seen: string[] = [];
    const watcher = watch(parent, (_event, name) => { if (name) seen.push(String(name)); });
    try {
      await Promise.all(Array.from({ length: 8 }, () => checkHome(join(parent, 'pm'))));
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      watcher.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain('pm');
    expect(await readdir(parent)).toEqual([]);
  });

  it('refuses a PM_HOME that is a file, exit 1', async () => {
    const file = join(tmp.dir, 'afile');
    await writeFile(file, 'x');
    await expect(checkHome(file)).rejects.toMatchObject({ code: 'HOME_UNUSABLE', exitCode: 1, message: `PM_HOME ${file} is a file, not a folder` });
    await expect(checkHome(join(file, 'pm'))).rejects.toMatchObject({ message: `PM_HOME ${join(file, 'pm')} cannot be created: ${file} is a file, not a folder` });
  });

  it.skipIf(!existsSync('/proc/self'))('refuses a PM_HOME under /proc at once instead of looping in mkdir -p (needs /proc)', async () => {
    const started = Date.now();
    await expect(checkHome('/proc/nope/pm')).rejects.toMatchObject({
      code: 'HOME_UNUSABLE', message: 'PM_HOME /proc/nope/pm does not exist and cannot be created: /proc does not accept new folders (ENOENT)',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a PM_HOME it cannot read (skipped as root, who reads everything)', async () => {
    const locked = join(tmp.dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o000);
    try {
      await expect(checkHome(locked)).rejects.toMatchObject({ code: 'HOME_UNUSABLE', message: `PM_HOME ${locked} cannot be read (EACCES)` });
    } finally {
      await chmod(locked, 0o755);
    }
  });
});
