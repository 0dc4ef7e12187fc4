import { createHash, webcrypto } from 'node:crypto';
import { statSync, type BigIntStats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Files from this size on are hashed in a worker thread; smaller ones are read whole and hashed
 * by WebCrypto on the thread pool. A worker costs ~25 ms to start (on another core), which pays
 * off only for files whose hashing would take that long on the main thread.
 */
const WORKER_FROM = 16 * 1024 * 1024;

/** Formats a SHA-512 digest as a Subresource-Integrity string (`sha512-<base64>`), as npm does. */
export function formatIntegrity(digest: Buffer): string {
  return `sha512-${digest.toString('base64')}`;
}

/** Hashes started early (startIntegrity), by absolute path, with the file's identity and times when they started. */
const started = new Map<string, { identity: string; integrity: Promise<string> }>();

/** Same file, unchanged: device, inode, size, and modification and change times in nanoseconds. */
function identityOf(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/**
 * Starts hashing a large file before anyone asks for it (the CLI calls this for
 * `pm plugin-verify <tgz>` while it is still loading its own code). integrityOfFile then uses
 * the result only if the file is still the same one, unchanged since before it was read;
 * otherwise it hashes again. Small files are not worth it and are left alone. Synchronous (one
 * stat) so that the worker starts before the caller goes on loading modules; never throws.
 */
export function startIntegrity(path: string): void {
  try {
    const file = resolve(path);
    const s = statSync(file, { bigint: true });
    if (!s.isFile() || s.size < BigInt(WORKER_FROM) || started.has(file)) return;
    const integrity = integrityInWorker(file);
    integrity.catch(() => {});
    started.set(file, { identity: identityOf(s), integrity });
  } catch {
    // The command reports a missing or unreadable file itself.
  }
}

/**
 * `sha512-<base64>` of a file, computed off the main thread so that the caller can work meanwhile
 * (plugin-verify loads OpenPGP). Small files: read whole, digested by WebCrypto on the thread pool.
 * Large files: streamed through a 1 MiB buffer in a worker thread. WebCrypto would copy the whole
 * file on the main thread first (≈ 13 ms and a garbage collection for 20 MiB) and chunked reads on
 * the main thread stall whenever it is busy; the worker needs the main thread for neither.
 */
export async function integrityOfFile(path: string): Promise<string> {
  const file = resolve(path);
  const s = await stat(file, { bigint: true });
  const early = started.get(file);
  if (early) {
    started.delete(file);
    // Unchanged since before the early hash read it (a change also sets the change time).
    if (early.identity === identityOf(s)) {
      const integrity = await early.integrity.catch(() => undefined);
      if (integrity !== undefined && identityOf(await stat(file, { bigint: true })) === early.identity) return integrity;
    }
  }
  if (s.size >= BigInt(WORKER_FROM)) return integrityInWorker(file);
  return formatIntegrity(Buffer.from(await webcrypto.subtle.digest('SHA-512', await readFile(file))));
}

// Plain CommonJS evaluated by the worker: no module resolution, so it starts as fast as a worker can.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
try {
  const fd = openSync(workerData, 'r');
  try {
    const hash = createHash('sha512');
    const buf = Buffer.allocUnsafe(1 << 20);
    let n;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
    parentPort.postMessage({ digest: hash.digest('base64') });
  } finally {
    closeSync(fd);
  }
} catch (err) {
  parentPort.postMessage({ error: { message: String(err && err.message), code: err && err.code } });
}
`;

function integrityInWorker(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: path });
    worker.once('message', (m: { digest?: string; error?: { message: string; code?: string } }) => {
      if (m.digest !== undefined) resolve(`sha512-${m.digest}`);
      else reject(Object.assign(new Error(m.error?.message ?? 'hashing failed'), { code: m.error?.code }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing worker stopped (exit code ${code}) before it finished`)));
  });
}

/** `sha512-<base64>` of bytes already in memory. */
export function integrityOfBytes(data: Uint8Array): string {
  return formatIntegrity(createHash('sha512').update(data).digest());
}
