import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/pm.js';
import { acquireStoreLock, withStoreLock } from '../../../../src/core/store/lock.js';

const tmp = await tempDir('pm-lock-');
afterAll(() => tmp.cleanup());

describe('the PM_HOME lock', () => {
  it('records the owner pid while held and removes the lock file on release', async () => {
    const home = join(tmp.dir, 'a');
    const lock = await acquireStoreLock(home);
    expect(JSON.parse(await readFile(join(home, 'store.lock'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
    expect(existsSync(join(home, 'store.lock'))).toBe(false);
  });

  it('serializes holders: the second waits until the first releases', async () => {
    const home = join(tmp.dir, 'b');
    const order: string[] = [];
    const first = await acquireStoreLock(home);
    const second = withStoreLock(home, async () => { order.push('second'); });
    await new Promise((r) => setTimeout(r, 50));
    order.push('first done');
    await first.release();
    await second;
    expect(order).toEqual(['first done', 'second']);
  });

  it('times out with the holder pid when a live process keeps it', async () => {
    const home = join(tmp.dir, 'c');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: 'then' }));
    await expect(acquireStoreLock(home, { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'STORE_LOCKED', message: expect.stringContaining(`is locked by pm process ${process.pid} (since then)`),
    });
  });

  it('breaks a lock whose owner is dead', async () => {
    const home = join(tmp.dir, 'd');
    await mkdir(home, { recursive: true });
    // pid 2^22+1 is above Linux's pid_max default range, so no such process exists.
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: 4194305, host: hostname(), since: 'then' }));
    const lock = await acquireStoreLock(home, { timeoutMs: 2000 });
    expect(JSON.parse(await readFile(join(home, 'store.lock'), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('keeps a lock held on another host (its pid cannot be checked from here)', async () => {
    const home = join(tmp.dir, 'e');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: 4194305, host: 'elsewhere.example', since: 'then' }));
    await expect(acquireStoreLock(home, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
  });
});
