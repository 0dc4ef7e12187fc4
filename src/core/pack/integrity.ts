import { createHash, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** Files up to this size are hashed in one piece on the thread pool; larger ones are streamed. */
const IN_MEMORY_LIMIT = 64 * 1024 * 1024;

/** Formats a SHA-512 digest as a Subresource-Integrity string (`sha512-<base64>`), as npm does. */
export function formatIntegrity(digest: Buffer): string {
  return `sha512-${digest.toString('base64')}`;
}

/**
 * `sha512-<base64>` of a file. Up to 64 MiB it is read whole and hashed by WebCrypto, which runs
 * on libuv's thread pool: the main thread stays free (plugin-verify loads OpenPGP meanwhile).
 * Larger files are streamed so memory stays flat.
 */
export async function integrityOfFile(path: string): Promise<string> {
  if ((await stat(path)).size <= IN_MEMORY_LIMIT) {
    return formatIntegrity(Buffer.from(await webcrypto.subtle.digest('SHA-512', await readFile(path))));
  }
  const hash = createHash('sha512');
  // 1 MiB reads: fewer round trips through the thread pool than the 64 KiB default.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return formatIntegrity(hash.digest());
}

/** `sha512-<base64>` of bytes already in memory. */
export function integrityOfBytes(data: Uint8Array): string {
  return formatIntegrity(createHash('sha512').update(data).digest());
}
