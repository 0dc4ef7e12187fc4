/**
 * One delivering process per PM_HOME (pm serve or pm webhook-flush), so delivery state is
 * written by one owner and events go out in order. A lock of a dead process is taken over.
 */
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { webhookPaths } from './paths.js';

export interface DeliverLockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Whether a process with this pid exists here (EPERM: it exists, not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function owner(file: string): Promise<DeliverLockOwner | undefined> {
  try {
    const o = JSON.parse(await readFile(file, 'utf8')) as DeliverLockOwner;
    return typeof o.pid === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock, or returns the live process holding it. */
export async function tryDeliverLock(home: string): Promise<{ release(): Promise<void> } | { heldBy: DeliverLockOwner }> {
  const file = webhookPaths(home).lock;
  await mkdir(dirname(file), { recursive: true });
  for (let i = 0; i < 3; i++) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      await fh.close();
      let released = false;
      return { release: async () => { if (!released) { released = true; await rm(file, { force: true }); } } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const o = await owner(file);
    if (o && (o.host !== hostname() || pidAlive(o.pid))) return { heldBy: o };
    // No pid yet: its owner may be writing it right now; only an old one was killed before it could.
    const age = Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? 0);
    if (!o && age < 2000) return { heldBy: { pid: 0, host: hostname(), since: '' } };
    // A dead owner, or one killed before it wrote its pid: take over.
    await rm(file, { force: true });
  }
  return { heldBy: (await owner(file)) ?? { pid: 0, host: hostname(), since: '' } };
}
