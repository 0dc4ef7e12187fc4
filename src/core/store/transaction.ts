import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic, fsyncDir } from '../fs/atomic-write.js';
import { storePaths } from './paths.js';
import { readState, writeState, type StoreState } from './state.js';

/** One plugin folder a change touches. */
export interface JournalOp {
  name: string;
  /** A folder under staging/ that becomes plugins/<name>; absent when the folder is only removed. */
  staged?: string;
  /** Remove data/<name> once the change is committed (uninstall --purge). */
  purgeData?: boolean;
}

/** journal.json: written before any folder moves, removed once the change is finished. */
interface Journal {
  tx: string;
  started: string;
  ops: JournalOp[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A fresh transaction id, also the name of its staging and trash folders. */
export function newTxId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** The staging folder of a transaction (beside plugins/, same filesystem, so renames are atomic). */
export function stagingDir(home: string, tx: string): string {
  return join(storePaths(home).staging, tx);
}

/** Test hook: `PM_CRASH_AT=<step>` makes the process die there, as kill -9 would. */
function crashPoint(step: string): void {
  if (process.env.PM_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}

/**
 * Applies a change to the store: moves each touched plugins/<name> aside, renames the staged
 * folders in, writes state.json (the commit point), then deletes what was moved aside.
 * A crash before the commit is rolled back by recoverStore; after it, rolled forward.
 */
export async function commitChange(home: string, tx: string, next: StoreState, ops: JournalOp[]): Promise<void> {
  const p = storePaths(home);
  const trash = join(p.trash, tx);
  await writeJsonAtomic(p.journal, { tx, started: new Date().toISOString(), ops } satisfies Journal);
  crashPoint('journal');
  for (const op of ops) {
    const live = join(p.plugins, op.name);
    if (await exists(live)) {
      await mkdir(trash, { recursive: true });
      await rename(live, join(trash, op.name));
      crashPoint('moved-aside');
    }
    if (op.staged) {
      await mkdir(p.plugins, { recursive: true });
      await rename(op.staged, live);
      crashPoint('moved-in');
    }
  }
  await fsyncDir(p.plugins);
  await writeState(home, { ...next, lastTx: tx });
  crashPoint('committed');
  await finish(home, { tx, started: '', ops });
}

/** Roll-forward after the commit: delete old versions, purge data, drop the journal. */
async function finish(home: string, journal: Journal): Promise<void> {
  const p = storePaths(home);
  for (const op of journal.ops) {
    if (op.purgeData) await rm(join(p.data, op.name), { recursive: true, force: true });
  }
  await rm(join(p.trash, journal.tx), { recursive: true, force: true });
  await rm(stagingDir(home, journal.tx), { recursive: true, force: true });
  await rm(p.journal, { force: true });
}

/** Undo of an uncommitted change: put every moved-aside folder back. */
async function rollback(home: string, journal: Journal): Promise<void> {
  const p = storePaths(home);
  const trash = join(p.trash, journal.tx);
  for (const op of [...journal.ops].reverse()) {
    const live = join(p.plugins, op.name);
    const aside = join(trash, op.name);
    const movedAside = await exists(aside);
    // The live folder is the new one if the old one was moved aside, or if the plugin was new.
    const liveIsNew = movedAside || (op.staged !== undefined && !(await isPreviouslyKnown(home, op.name)));
    if (liveIsNew && (await exists(live))) {
      await rename(live, join(trash, `${op.name}.new`)).catch(async () => rm(live, { recursive: true, force: true }));
    }
    if (movedAside) await rename(aside, live);
  }
  await fsyncDir(p.plugins).catch(() => {});
  await rm(trash, { recursive: true, force: true });
  await rm(stagingDir(home, journal.tx), { recursive: true, force: true });
  await rm(p.journal, { force: true });
}

/** Whether state.json (the committed truth) has a non-linked plugin folder for `name`. */
async function isPreviouslyKnown(home: string, name: string): Promise<boolean> {
  const state = await readState(home);
  const rec = state.plugins[name];
  return rec !== undefined && rec.linked === undefined;
}

/** Whether an interrupted change or leftovers wait to be cleaned up. */
export async function needsRecovery(home: string): Promise<boolean> {
  const p = storePaths(home);
  if (await exists(p.journal)) return true;
  for (const dir of [p.staging, p.trash]) {
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.length) return true;
  }
  return false;
}

/**
 * Finishes or undoes an interrupted change, then empties staging/ and trash/. Call only while
 * holding the store lock. Returns what it did, for doctor and tests.
 */
export async function recoverStore(home: string): Promise<'none' | 'rolled-back' | 'rolled-forward'> {
  const p = storePaths(home);
  let outcome: 'none' | 'rolled-back' | 'rolled-forward' = 'none';
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(await readFile(p.journal, 'utf8')) as Journal;
  } catch (err) {
    // A journal is written atomically, so it is whole or absent; an unreadable one is dropped.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') await rm(p.journal, { force: true });
  }
  if (journal) {
    const state = await readState(home);
    if (state.lastTx === journal.tx) {
      await finish(home, journal);
      outcome = 'rolled-forward';
    } else {
      await rollback(home, journal);
      outcome = 'rolled-back';
    }
  }
  // Anything left in staging/ or trash/ belongs to no live change while we hold the lock.
  await rm(p.staging, { recursive: true, force: true });
  await rm(p.trash, { recursive: true, force: true });
  return outcome;
}
