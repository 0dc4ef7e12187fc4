import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pm, tempDir } from '../../helpers/pm.js';
import { pack, storePlugin } from '../../helpers/store.js';
import { checkStore } from '../../../src/core/store/check.js';
import { readState } from '../../../src/core/store/state.js';

const tmp = await tempDir('pm-concurrency-');
afterAll(() => tmp.cleanup());

describe('concurrent pm processes on one PM_HOME', () => {
  it('8 installs of different plugins started at once all end installed', async () => {
    const home = join(tmp.dir, 'home8');
    const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const tgzs = await Promise.all(names.map(async (n) => pack(await storePlugin(join(tmp.dir, 'src', n), n, '1.0.0'), join(tmp.dir, 'pkgs'))));
    const results = await Promise.all(tgzs.map((t) => pm(['plugin-install', t, '--allow-unsigned', '--home', home])));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const state = await readState(home);
    expect(Object.keys(state.plugins).sort()).toEqual(names);
    expect((await checkStore(home)).problems).toEqual([]);
    const audit = await readFile(join(home, 'logs', 'audit.log'), 'utf8');
    expect(audit.trim().split('\n').map((l) => JSON.parse(l).plugin).sort()).toEqual(names);
  });

  it('2 installs of the same plugin at once leave exactly one, and the other says it is installed', async () => {
    const home = join(tmp.dir, 'home2');
    const tgz = await pack(await storePlugin(join(tmp.dir, 'src', 'same'), 'same', '1.0.0'), join(tmp.dir, 'pkgs'));
    const results = await Promise.all([1, 2].map(() => pm(['plugin-install', tgz, '--allow-unsigned', '--home', home])));
    expect(results.map((r) => r.exitCode).sort()).toEqual([0, 1]);
    expect(results.find((r) => r.exitCode === 1)!.stderr).toContain('error: same@1.0.0 is already installed');
    expect(Object.keys((await readState(home)).plugins)).toEqual(['same']);
    expect((await checkStore(home)).problems).toEqual([]);
  });

  it('a second pm waiting for the lock times out naming the holder pid, and changes nothing', async () => {
    const home = join(tmp.dir, 'locked');
    const tgz = await pack(await storePlugin(join(tmp.dir, 'src', 'late'), 'late', '1.0.0'), join(tmp.dir, 'pkgs'));
    // A live process (this test's own) holds the lock.
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const r = await pm(['plugin-install', tgz, '--allow-unsigned', '--home', home], { env: { PM_LOCK_TIMEOUT_MS: '400' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: PM_HOME ${home} is locked by pm process ${process.pid} (since 2026-01-01T00:00:00.000Z)`);
    expect(r.stderr).toContain(`hint: wait for that pm to finish and try again; if no pm is running, remove ${join(home, 'store.lock')}`);
    expect((await readState(home)).plugins).toEqual({});
  });

  it('a lock left by a killed pm (dead pid) is broken and the install proceeds', async () => {
    const home = join(tmp.dir, 'stale');
    const tgz = await pack(await storePlugin(join(tmp.dir, 'src', 'after'), 'after', '1.0.0'), join(tmp.dir, 'pkgs'));
    const dead = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('exit', () => resolve(c.pid!));
    });
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }));
    const r = await pm(['plugin-install', tgz, '--allow-unsigned', '--home', home], { env: { PM_LOCK_TIMEOUT_MS: '10000' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(Object.keys((await readState(home)).plugins)).toEqual(['after']);
  });
});
