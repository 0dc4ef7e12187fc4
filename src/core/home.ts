import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PmError } from './errors.js';
import { fileInTheWay } from './fs/system-error.js';

/** Resolves PM_HOME: --home, else $PM_HOME, else ~/.pm (DESIGN §4). */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.PM_HOME) return resolve(env.PM_HOME);
  return join(homedir(), '.pm');
}

function unusable(home: string, why: string, errno?: string): PmError {
  return new PmError('HOME_UNUSABLE', `PM_HOME ${home} ${why}`, { data: { home, ...(errno ? { errno } : {}) } });
}

/**
 * Checks, without leaving anything behind, that PM_HOME is a folder pm can read, or is absent
 * and can be created; throws HOME_UNUSABLE naming the path otherwise (a file, an unreadable
 * folder, a read-only or pseudo file system such as /proc).
 */
export async function checkHome(home: string): Promise<void> {
  let found;
  try {
    found = await stat(home);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw unusable(home, `cannot be created: ${fileInTheWay(home) ?? 'a part of its path'} is a file, not a folder`, code);
    if (code !== 'ENOENT') throw unusable(home, `cannot be reached (${code})`, code);
  }
  if (found) {
    if (!found.isDirectory()) throw unusable(home, 'is a file, not a folder', 'ENOTDIR');
    await access(home, constants.R_OK | constants.X_OK).catch((err: NodeJS.ErrnoException) => {
      throw unusable(home, `cannot be read (${err.code})`, err.code);
    });
    return;
  }
  // Absent: its parent chain must take a new folder. Probe with a folder of our own beside the
  // first missing one (and take it back) rather than trust mkdir -p, which loops forever on file
  // systems such as /proc that answer ENOENT; never PM_HOME's own path, which another pm starting
  // on the same fresh home would see appear and vanish.
  let first = home;
  while (!(await stat(dirname(first)).then(() => true, () => false))) first = dirname(first);
  const parent = dirname(first);
  const probe = join(parent, `.pm-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? `${parent} is on a read-only file system`
      : code === 'EACCES' || code === 'EPERM' ? `you may not create folders in ${parent}`
        : code === 'ENOTDIR' ? `${parent} is a file, not a folder`
          : `${parent} does not accept new folders (${code})`;
    throw unusable(home, `does not exist and cannot be created: ${why}`, code);
  }
  await rmdir(probe).catch(() => {});
}
