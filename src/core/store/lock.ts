import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PmError } from '../errors.js';
import { storePaths } from './paths.js';

export interface LockOptions {
  /** How long to wait for another pm to finish (default $PM_LOCK_TIMEOUT_MS or 60 s). */
  timeoutMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Whether a process with this pid exists on this machine (EPERM means it exists but is not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<{ owner?: LockOwner; raw: string } | undefined> {
  try {
    const raw = await readFile(file, 'utf8');
    try {
      return { owner: JSON.parse(raw) as LockOwner, raw };
    } catch {
      return { raw };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function tryCreate(file: string, content: string): Promise<boolean> {
  try {
    // No fsync: a lock means nothing after a reboot, and the owner pid outlives a crash in the page cache.
    const fh = await open(file, 'wx', 0o644);
    try {
      await fh.writeFile(content);
    } catch (err) {
      // A full disk fails the write after the create: an empty lock left behind would stall the next pm.
      await fh.close().catch(() => {});
      await unlink(file).catch(() => {});
      throw err;
    }
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Removes the lock if it still holds exactly `raw` (a dead owner). A second, short-lived
 * lock serializes breakers, so one waiter cannot delete the fresh lock another just took.
 */
async function breakStale(file: string, raw: string): Promise<void> {
  const breaker = `${file}.break`;
  if (!(await tryCreate(breaker, String(process.pid)))) {
    // A breaker killed mid-way leaves its file behind; it is only ever held for microseconds.
    const s = await stat(breaker).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > 10_000) await rm(breaker, { force: true });
    return;
  }
  try {
    const now = await readOwner(file);
    if (now && now.raw === raw) await unlink(file).catch(() => {});
  } finally {
    await rm(breaker, { force: true });
  }
}

function isStale(found: { owner?: LockOwner; raw: string }, ageMs: number): boolean {
  const o = found.owner;
  // An unreadable or empty lock file is a writer killed between open and write; give it a moment.
  if (!o || typeof o.pid !== 'number') return ageMs > 2_000;
  if (o.host !== hostname()) return false;
  return !alive(o.pid);
}

/** A held lock on PM_HOME; release it exactly once. */
export interface StoreLock {
  release(): Promise<void>;
}

/** Takes the exclusive lock on PM_HOME, waiting for another pm and breaking locks of dead processes. */
export async function acquireStoreLock(home: string, options: LockOptions = {}): Promise<StoreLock> {
  const { lock } = storePaths(home);
  await mkdir(home, { recursive: true });
  const timeoutMs = options.timeoutMs ?? (Number(process.env.PM_LOCK_TIMEOUT_MS) || 60_000);
  const content = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockOwner);
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    if (await tryCreate(lock, content)) break;
    const found = await readOwner(lock);
    if (found) {
      const s = await stat(lock).catch(() => undefined);
      if (isStale(found, s ? Date.now() - s.mtimeMs : 0)) {
        await breakStale(lock, found.raw);
        continue;
      }
    }
    if (Date.now() >= deadline) {
      const o = found?.owner;
      throw new PmError('STORE_LOCKED', `PM_HOME ${home} is locked by pm process ${o?.pid ?? '?'}${o?.since ? ` (since ${o.since})` : ''}; gave up after ${Math.round(timeoutMs / 1000)} s`, {
        hint: `wait for that pm to finish and try again; if no pm is running, remove ${lock}`,
        data: { lock, holder: o ?? null },
      });
    }
    await sleep(delay + Math.floor(Math.random() * delay));
    delay = Math.min(delay * 2, 200);
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await rm(lock, { force: true });
    },
  };
}

/** Runs `fn` while holding the store lock. */
export async function withStoreLock<T>(home: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const held = await acquireStoreLock(home, options);
  try {
    return await fn();
  } finally {
    await held.release();
  }
}
