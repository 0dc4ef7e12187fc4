import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from './errors.js';

/** Longest token file read; a token is 43 characters, anything far bigger is not one. */
const MAX_TOKEN_FILE = 4096;
/** Shortest token accepted, from a flag, PM_TOKEN or the file. */
export const MIN_TOKEN_LENGTH = 16;

/** Where `pm serve --http` keeps the token it generated. */
export function serveTokenPath(home: string): string {
  return join(home, 'serve-token');
}

export interface ServeTokenFile {
  path: string;
  token: string;
  /** True when this call generated and wrote it. */
  created: boolean;
}

function unsafe(path: string, why: string, hint: string): PmError {
  return new PmError('SERVE_TOKEN_FILE_UNSAFE', `refusing to use the HTTP token in ${path}: ${why}`, { hint, data: { path } });
}

/** Reads the token file without following links or blocking on a FIFO, refusing one others could read or replace. */
async function readTokenFile(path: string): Promise<string> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') throw unsafe(path, 'it is a symbolic link', `remove it (rm ${path}); pm serve --http writes a new one`);
    if (err.code === 'ENOENT') throw err;
    throw new PmError('SERVE_TOKEN_FILE_UNREADABLE', `cannot read the HTTP token in ${path}: ${err.code ?? err.message}`, { hint: `fix its permissions (chmod 600 ${path}) or remove it`, data: { path }, cause: err });
  });
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw unsafe(path, 'it is not a regular file', `remove it (rm -r ${path}); pm serve --http writes a new one`);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
      throw unsafe(path, `it belongs to another user (uid ${st.uid})`, `remove it (rm ${path}); pm serve --http writes a new one`);
    }
    if ((st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw unsafe(path, `its mode ${mode} lets other users read or change it`, `run chmod 600 ${path} if only you could have read it, otherwise remove it and restart to get a new token`);
    }
    if (st.size > MAX_TOKEN_FILE) throw unsafe(path, `it is ${st.size} bytes, not a token`, `remove it (rm ${path}); pm serve --http writes a new one`);
    const token = (await fh.readFile('utf8')).trim();
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      throw unsafe(path, `it does not hold a token (one word of at least ${MIN_TOKEN_LENGTH} characters)`, `remove it (rm ${path}); pm serve --http writes a new one`);
    }
    return token;
  } finally {
    await fh.close();
  }
}

/**
 * The HTTP token kept in PM_HOME: the existing one (so configured clients keep working),
 * or a new random one written with mode 0600. Refuses a file others could read or replace.
 */
export async function loadOrCreateServeToken(home: string): Promise<ServeTokenFile> {
  const path = serveTokenPath(home);
  try {
    return { path, token: await readTokenFile(path), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    return await createTokenFile(home, path);
  } catch (err) {
    if (err instanceof PmError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new PmError('SERVE_TOKEN_WRITE_FAILED', `cannot write the HTTP token to ${path}: ${code}`, {
      hint: `make ${home} writable, or give a token with PM_TOKEN (or --token)`,
      data: { path },
      cause: err,
    });
  }
}

async function createTokenFile(home: string, path: string): Promise<ServeTokenFile> {
  await mkdir(home, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  // Written aside and linked into place: readers never see a half-written file, and a
  // server starting at the same moment keeps the token that got there first.
  const tmp = join(home, `.serve-token.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await fh.chmod(0o600);
      await fh.writeFile(token + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { path, token: await readTokenFile(path), created: false };
  } finally {
    await rm(tmp, { force: true });
  }
  return { path, token, created: true };
}

export interface ServeTokenStatus {
  path: string;
  state: 'missing' | 'ok' | 'unsafe';
  /** Why the file would be refused, when unsafe. */
  problem?: string;
  hint?: string;
}

/** What `pm doctor` says about the token file; reads it the way pm serve does, changes nothing. */
export async function serveTokenStatus(home: string): Promise<ServeTokenStatus> {
  const path = serveTokenPath(home);
  try {
    await lstat(path);
  } catch {
    return { path, state: 'missing' };
  }
  try {
    await readTokenFile(path);
    return { path, state: 'ok' };
  } catch (err) {
    if (err instanceof PmError) return { path, state: 'unsafe', problem: err.message, hint: err.hint };
    return { path, state: 'unsafe', problem: `${path} cannot be read: ${(err as Error).message}`, hint: `remove it (rm ${path}); pm serve --http writes a new one` };
  }
}
