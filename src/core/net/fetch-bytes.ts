import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PmError } from '../errors.js';
import { fileKind } from '../fs/read-regular-file.js';

export interface FetchOptions {
  /** Refuse a body larger than this many bytes (default 16 MiB). */
  maxBytes?: number;
  /** Milliseconds allowed for one attempt, headers and body (default 30 s). */
  timeoutMs?: number;
  /** Milliseconds until the server answers with headers (default: timeoutMs). */
  connectTimeoutMs?: number;
  /** Milliseconds the body may stall between two chunks (default: timeoutMs). */
  idleTimeoutMs?: number;
  /** Extra attempts after a network error, a timeout or a 5xx/429 (default 2). */
  retries?: number;
  /** First backoff delay in ms; doubles per retry (default 250). */
  backoffMs?: number;
  /** Conditional request validators from the previous response. */
  etag?: string;
  lastModified?: string;
  /** Progress callback: bytes received so far, and the total when known. */
  onProgress?: (received: number, total?: number) => void;
  /** Called before each attempt (1-based) with the error that ended the previous one, for a progress display. */
  onAttempt?: (attempt: number, attempts: number, lastError?: string) => void;
  /** What to tell the user when all attempts time out or fail (default: registry advice). */
  hints?: { timeout?: string; network?: string };
}

export type FetchResult =
  | { status: 'ok'; body: Uint8Array; etag?: string; lastModified?: string }
  | { status: 'not-modified' };

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** Whether a location is an http(s) URL rather than a path on disk. */
export function isHttpUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

function tooLarge(what: string, max: number): PmError {
  return new PmError('FETCH_TOO_LARGE', `${what} is larger than the ${max} byte limit`, {
    hint: 'the registry may be compromised or misconfigured; tell its operator',
    data: { url: what, maxBytes: max },
  });
}

/** Reads a local file with the same size cap as a download; a file's mtime+size stands in for Last-Modified. */
async function readLocal(path: string, opts: FetchOptions): Promise<FetchResult> {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PmError('FETCH_NOT_FOUND', `${path} cannot be read (${code ?? 'error'})`, { hint: 'check the path of the registry folder', data: { url: path, code } });
  }
  const validator = `${st.size}-${st.mtimeMs}`;
  if (opts.lastModified === validator) return { status: 'not-modified' };
  if (st.size > max) throw tooLarge(path, max);
  // O_NONBLOCK and a check of the opened handle: a FIFO or device must be refused, not waited on.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const opened = await fh.stat();
    if (!opened.isFile()) {
      throw new PmError('FILE_NOT_REGULAR', `${path} is ${fileKind(opened)}, not a regular file`, {
        hint: 'a registry folder holds regular files (index.json, index.json.asc, packages); check the path', data: { path, kind: fileKind(opened) },
      });
    }
    // Read at most max+1 bytes so a file that grows while we read is still capped.
    const buf = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let off = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
      if (off > max) throw tooLarge(path, max);
      if (off === buf.length) break;
    }
    return { status: 'ok', body: buf.subarray(0, off), lastModified: validator };
  } finally {
    await fh.close();
  }
}

class Retryable extends Error {
  /** Why, in a few words (e.g. the errno code or the HTTP status), for callers that summarise. */
  constructor(message: string, readonly reason?: string) { super(message); }
}
class TimedOut extends Retryable {
  constructor(message: string) { super(message, 'ETIMEDOUT'); }
}

async function attempt(url: string, opts: FetchOptions): Promise<FetchResult> {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new TimedOut(`no complete answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
  // One timer for the stall in progress: first the wait for headers, then each wait for the next chunk.
  let stall: NodeJS.Timeout | undefined;
  const watch = (ms: number, what: string) => {
    clearTimeout(stall);
    if (ms < timeoutMs) stall = setTimeout(() => ctrl.abort(new TimedOut(`${what} within ${ms} ms`)), ms);
  };
  const idleMs = opts.idleTimeoutMs ?? timeoutMs;
  watch(opts.connectTimeoutMs ?? timeoutMs, `no answer from ${url}`);
  try {
    const headers: Record<string, string> = { accept: 'application/json, application/octet-stream, */*' };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: ctrl.signal, redirect: 'follow' });
    } catch (err) {
      if (ctrl.signal.aborted) throw ctrl.signal.reason;
      const cause = (err as Error & { cause?: Error & { code?: string } }).cause;
      throw new Retryable(`cannot reach ${url}: ${cause?.message ?? (err as Error).message}`, cause?.code);
    }
    watch(idleMs, `the download of ${url} stalled: no data`);
    if (res.status === 304) return { status: 'not-modified' };
    if (res.status >= 500 || res.status === 429) throw new Retryable(`${url} answered HTTP ${res.status}`, `HTTP ${res.status}`);
    if (res.status !== 200) {
      throw new PmError('FETCH_HTTP', `${url} answered HTTP ${res.status}`, { hint: 'check the registry URL with pm marketplace-list', data: { url, status: res.status } });
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > max) {
      await res.body?.cancel();
      throw tooLarge(url, max);
    }
    const total = Number.isFinite(declared) ? declared : undefined;
    const chunks: Uint8Array[] = [];
    let received = 0;
    if (res.body) {
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          watch(idleMs, `the download of ${url} stalled: no data`);
          received += value.byteLength;
          // Count what arrives, not what the server declared: a lying Content-Length changes nothing.
          if (received > max) {
            await reader.cancel();
            throw tooLarge(url, max);
          }
          chunks.push(value);
          opts.onProgress?.(received, total);
        }
      } catch (err) {
        if (err instanceof PmError) throw err;
        if (ctrl.signal.aborted) throw ctrl.signal.reason;
        throw new Retryable(`download of ${url} broke off: ${(err as Error).message}`);
      }
    }
    return {
      status: 'ok',
      body: Buffer.concat(chunks, received),
      etag: res.headers.get('etag') ?? undefined,
      lastModified: res.headers.get('last-modified') ?? undefined,
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(stall);
  }
}

/**
 * Downloads a URL (or reads a local path) into memory with a size cap and a timeout,
 * retrying network errors, timeouts and 5xx with exponential backoff; sends
 * If-None-Match / If-Modified-Since when validators are given.
 */
export async function fetchBytes(location: string, opts: FetchOptions = {}): Promise<FetchResult> {
  if (!isHttpUrl(location)) return readLocal(location.startsWith('file:') ? fileURLToPath(location) : location, opts);
  const retries = opts.retries ?? 2;
  const backoff = opts.backoffMs ?? 250;
  let last: Retryable | undefined;
  for (let i = 0; i <= retries; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, backoff * 2 ** (i - 1)));
    opts.onAttempt?.(i + 1, retries + 1, last?.reason ?? last?.message);
    try {
      return await attempt(location, opts);
    } catch (err) {
      if (!(err instanceof Retryable)) throw err;
      last = err;
    }
  }
  const timedOut = last instanceof TimedOut;
  throw new PmError(timedOut ? 'FETCH_TIMEOUT' : 'FETCH_NETWORK', `${last?.message} (after ${retries + 1} attempt${retries ? 's' : ''})`, {
    hint: timedOut
      ? opts.hints?.timeout ?? 'the registry did not answer in time; try again later, raise --timeout, or use --offline for the cached index'
      : opts.hints?.network ?? 'check your network and the registry URL, or use --offline for the cached index',
    data: { url: location, attempts: retries + 1, ...(last?.reason ? { reason: last.reason } : {}) },
  });
}
