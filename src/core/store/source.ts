import { mkdir, open, readdir, stat, copyFile, chmod, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PmError, isPmError } from '../errors.js';
import { fileKind } from '../fs/read-regular-file.js';

/** A package source after classification: a folder, a local .tgz, or an http(s) URL. */
export type SourceKind = 'dir' | 'tgz' | 'url';

/** Tells a folder, a .tgz path and an http(s) URL apart; throws SOURCE_NOT_FOUND for anything else. */
export async function classifySource(source: string, home?: string): Promise<{ kind: SourceKind; location: string }> {
  if (/^https?:\/\//i.test(source)) return { kind: 'url', location: source };
  const abs = resolve(source);
  const s = await stat(abs).catch(() => undefined);
  if (!s && home !== undefined && /^[a-z0-9][a-z0-9-]*$/.test(source)) {
    // A bare name, as npm users type it: say where it is if a configured registry lists it.
    const { registriesListing } = await import('../marketplace/cached-listing.js');
    const registries = await registriesListing(home, source);
    if (registries.length) {
      throw new PmError('SOURCE_NOT_FOUND', `${source} is not a folder, .tgz or URL; it is a plugin in registry ${registries.join(', ')}`, {
        hint: `install it from there: pm marketplace-install ${source}`, data: { source, registries },
      });
    }
  }
  if (!s) {
    throw new PmError('SOURCE_NOT_FOUND', `${source} does not exist`, {
      hint: 'give a plugin folder, a .tgz made by pm plugin-package, or an http(s) URL of one', data: { source },
    });
  }
  if (s.isDirectory()) return { kind: 'dir', location: abs };
  if (!s.isFile()) {
    throw new PmError('FILE_NOT_REGULAR', `${source} is ${fileKind(s)}, not a plugin folder or package file`, {
      hint: 'give a plugin folder, a .tgz made by pm plugin-package, or an http(s) URL of one', data: { source, kind: fileKind(s) },
    });
  }
  return { kind: 'tgz', location: abs };
}

export interface DownloadOptions {
  /** Connect and idle timeout in ms: how long the server may take to answer, and to send the next bytes (default 30 s). */
  timeoutMs?: number;
  /** Extra attempts after a reset, a timeout or a 5xx (default 1). */
  retries?: number;
  /** Called before each attempt, for a progress display. */
  onAttempt?: (url: string, attempt: number, attempts: number, lastError?: string) => void;
}

/** Longest one attempt may take in all, however steadily bytes arrive (a trickle is a freeze too). */
const MAX_ATTEMPT_MS = 10 * 60_000;

/**
 * Downloads `url` to `dest` through the marketplace's fetch path (core/net): connect and idle
 * timeouts, the `maxBytes` cap, one retry on a reset or timeout; returns false on 404 when `optional`.
 */
export async function download(url: string, dest: string, maxBytes: number, optional = false, opts: DownloadOptions = {}): Promise<boolean> {
  const { fetchBytes } = await import('../net/fetch-bytes.js');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let got;
  try {
    got = await fetchBytes(url, {
      maxBytes, connectTimeoutMs: timeoutMs, idleTimeoutMs: timeoutMs, timeoutMs: Math.max(timeoutMs, MAX_ATTEMPT_MS), retries: opts.retries ?? 1,
      onAttempt: opts.onAttempt ? (attempt, attempts, lastError) => opts.onAttempt!(url, attempt, attempts, lastError) : undefined,
      hints: {
        timeout: 'the server accepted the connection but did not answer in time; try again later, or raise --timeout if it is known to be slow',
        network: 'check the URL and your network connection, then retry',
      },
    });
  } catch (err) {
    if (!isPmError(err)) throw err;
    const status = err.data?.status;
    if (err.code === 'FETCH_HTTP' && optional && status === 404) return false;
    if (err.code === 'FETCH_HTTP') throw new PmError('DOWNLOAD_FAILED', `cannot download ${url}: HTTP ${String(status)}`, { hint: 'check the URL, then retry', data: { url, status } });
    if (err.code === 'FETCH_TOO_LARGE') {
      throw new PmError('DOWNLOAD_TOO_LARGE', `${url} sends more than the ${maxBytes}-byte limit`, { hint: 'raise the limit with --max-unpacked only if you trust this source', data: { url, maxBytes } });
    }
    throw err;
  }
  if (got.status !== 'ok') throw new PmError('FETCH_PROTOCOL', `${url}: unexpected not-modified`, { data: { url } });
  await writeFile(dest, got.body, { flag: 'wx' });
  return true;
}

/** The file name a URL points at (for the tgz@version pattern and messages). */
export function urlFileName(url: string): string {
  return basename(new URL(url).pathname) || 'package.tgz';
}

/**
 * Copies the files `plugin-package` would pack (.pmignore and the never-packed list applied,
 * links refused) into `dest`, so a folder install holds what a package of it would; returns the bytes.
 */
export async function copyPluginFolder(src: string, dest: string): Promise<number> {
  const { listPackageFiles } = await import('../pack/package-files.js');
  let bytes = 0;
  await mkdir(dest, { recursive: true, mode: 0o755 });
  for (const e of await listPackageFiles(src)) {
    const to = join(dest, e.path);
    if (e.type === 'dir') {
      await mkdir(to, { recursive: true, mode: 0o755 });
      continue;
    }
    await copyFile(join(src, e.path), to);
    await chmod(to, e.stat.mode & 0o111 ? 0o755 : 0o644);
    bytes += e.stat.size;
  }
  return bytes;
}

/** Sums the sizes of the regular files under `dir`. */
export async function folderSize(dir: string): Promise<number> {
  let bytes = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) bytes += await folderSize(p);
    else if (e.isFile()) bytes += (await stat(p)).size;
  }
  return bytes;
}

/** Whether a path exists (file or folder). */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await (await open(p, 'r')).close();
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EISDIR';
  }
}
