import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { tryDeliverLock } from '../../../../src/core/webhooks/deliver-lock.js';
import { webhookPaths } from '../../../../src/core/webhooks/paths.js';
import { tempDir } from '../../../helpers/pm.js';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: home, cleanup } = await tempDir('pm-wh-lock-')));
afterEach(() => cleanup());

describe('the delivery lock', () => {
  it('lets one process deliver at a time and names the holder to the others', async () => {
    const a = await tryDeliverLock(home);
    expect('release' in a).toBe(true);
    const b = await tryDeliverLock(home);
    expect(b).toMatchObject({ heldBy: { pid: process.pid } });
    if ('release' in a) await a.release();
    const c = await tryDeliverLock(home);
    expect('release' in c).toBe(true);
    if ('release' in c) await c.release();
  });

  it('takes over the lock of a process that was killed', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    await mkdir(webhookPaths(home).outbox, { recursive: true });
    await writeFile(webhookPaths(home).lock, JSON.stringify({ pid: Number(dead), host: hostname(), since: new Date().toISOString() }));
    const l = await tryDeliverLock(home);
    expect('release' in l).toBe(true);
    if ('release' in l) await l.release();
  });

  it('takes over an empty lock once it is old (its owner was killed before writing its pid), not while it is fresh', async () => {
    await mkdir(webhookPaths(home).outbox, { recursive: true });
    await writeFile(webhookPaths(home).lock, '');
    expect(await tryDeliverLock(home)).toMatchObject({ heldBy: { pid: 0 } });
    const old = (Date.now() - 10_000) / 1000;
    await utimes(webhookPaths(home).lock, old, old);
    const l = await tryDeliverLock(home);
    expect('release' in l).toBe(true);
    if ('release' in l) await l.release();
  });
});
