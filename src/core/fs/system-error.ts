import { accessSync, constants, statSync } from 'node:fs';
import { dirname, parse } from 'node:path';
import { PmError, isPmError, type ErrorCode } from '../errors.js';

const CODES: Record<string, ErrorCode> = {
  EROFS: 'FS_READ_ONLY',
  ENOSPC: 'FS_NO_SPACE',
  EDQUOT: 'FS_NO_SPACE',
  ENOTDIR: 'FS_NOT_A_FOLDER',
  EISDIR: 'FS_IS_A_FOLDER',
  EEXIST: 'FS_EXISTS',
  EACCES: 'FS_PERMISSION_DENIED',
  EPERM: 'FS_PERMISSION_DENIED',
  EMFILE: 'FS_TOO_MANY_FILES',
  ENFILE: 'FS_TOO_MANY_FILES',
  ENOENT: 'FS_NOT_FOUND',
};

type Errno = NodeJS.ErrnoException & { code: string };

function isErrno(err: unknown): err is Errno {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((err as NodeJS.ErrnoException).code!);
}

/** The first part of `path`, from the root down, that exists and is not a folder (what ENOTDIR is about). */
export function fileInTheWay(path: string): string | undefined {
  const chain: string[] = [];
  for (let p = path; p !== parse(p).root; p = dirname(p)) chain.unshift(p);
  for (const p of chain) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** mkdir -p reports ENOENT when the real trouble is further up: ask the nearest existing folder. */
function realMkdirError(err: Errno): Errno {
  if (err.code !== 'ENOENT' || err.syscall !== 'mkdir' || !err.path) return err;
  let p = dirname(err.path);
  while (p !== parse(p).root && !statSync(p, { throwIfNoEntry: false })) p = dirname(p);
  try {
    accessSync(p, constants.W_OK);
    return err;
  } catch (e) {
    return Object.assign(e as Errno, { syscall: 'mkdir', path: err.path });
  }
}

/**
 * Turns a Node system error (EROFS, ENOSPC, ENOTDIR, EISDIR, EEXIST, EACCES, …) into one clear
 * PmError naming the path and what to do; undefined for anything else. `home` names PM_HOME
 * when the error carries no path (a failed write on an open file).
 */
export function fromSystemError(thrown: unknown, home?: string): PmError | undefined {
  if (isPmError(thrown) || !isErrno(thrown)) return undefined;
  const err = realMkdirError(thrown);
  const code = CODES[err.code];
  if (!code) return undefined;
  const path = err.path ?? (err as { dest?: string }).dest;
  if (code === 'FS_NOT_FOUND' && !path) return undefined;
  const where = path ?? (home ? `PM_HOME ${home}` : 'the disk');
  const data = { errno: err.code, syscall: err.syscall, ...(path ? { path } : {}), ...(home ? { home } : {}) };
  const make = (message: string, hint?: string, as: ErrorCode = code) => new PmError(as, message, { hint, data, cause: err });
  switch (code) {
    case 'FS_READ_ONLY':
      return make(`cannot write ${where}: the file system is read-only`, home ? `point --home (or PM_HOME) at a writable folder; ${home} is read-only` : undefined);
    case 'FS_NO_SPACE':
      return make(`cannot write ${where}: ${err.code === 'EDQUOT' ? 'the disk quota is exceeded' : 'no space left on the device'}`);
    case 'FS_NOT_A_FOLDER': {
      const file = path ? fileInTheWay(path) : undefined;
      return make(file ? `${file} is a file where pm needs a folder${file === path ? '' : ` (for ${path})`}` : `a part of ${where} is a file where pm needs a folder`,
        file ? `move ${file} aside, then run the command again` : undefined);
    }
    case 'FS_IS_A_FOLDER':
      return make(path ? `${path} is a folder where pm needs a file` : `pm found a folder where it needs a file${home ? ` in PM_HOME ${home}` : ''}`, path ? `move ${path} aside, then run the command again` : undefined);
    case 'FS_EXISTS':
      if (err.syscall === 'mkdir' && path && !statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
        return make(`${path} is a file where pm needs a folder`, `move ${path} aside, then run the command again`, 'FS_NOT_A_FOLDER');
      }
      return make(`${where} already exists and is in the way`, path ? `move ${path} aside, then run the command again` : undefined);
    case 'FS_PERMISSION_DENIED':
      return make(`pm may not ${/^(open|read|scandir|stat|lstat|access)$/.test(err.syscall ?? '') ? 'read' : 'write'} ${where} (${err.code})`,
        path ? `fix the permissions of ${path}, or choose another --home` : undefined);
    case 'FS_TOO_MANY_FILES':
      return make(`too many open files while using ${where}`);
    default:
      return make(`${where} does not exist`);
  }
}
