import { createHash, webcrypto } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
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

/**
 * `sha512-<base64>` of a file, computed off the main thread so that the caller can work meanwhile
 * (plugin-verify loads OpenPGP). Small files: read whole, digested by WebCrypto on the thread pool.
 * Large files: streamed through a 1 MiB buffer in a worker thread. WebCrypto would copy the whole
 * file on the main thread first (≈ 13 ms and a garbage collection for 20 MiB) and chunked reads on
 * the main thread stall whenever it is busy; the worker needs the main thread for neither.
 */
export async function integrityOfFile(path: string): Promise<string> {
  if ((await stat(path)).size >= WORKER_FROM) return integrityInWorker(path);
  return formatIntegrity(Buffer.from(await webcrypto.subtle.digest('SHA-512', await readFile(path))));
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
