import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { PmError } from '../errors.js';
import { MAX_MANIFEST_BYTES, parseManifestBytes } from '../manifest/read.js';

const MANIFEST_PATH = 'package/plugin.json';

/**
 * Reads and parses `package/plugin.json` from a .tgz without extracting anything. Stops reading
 * as soon as the manifest is found (pm puts it first, so this touches only the first block).
 */
export async function readTarballManifest(tgz: string): Promise<Record<string, unknown>> {
  const text = (await manifestFromFirstEntry(tgz)) ?? (await manifestByParsing(tgz));
  if (text === undefined) {
    throw new PmError('PACKAGE_NO_MANIFEST', `${tgz} has no ${MANIFEST_PATH}`, { hint: "this is not a pm package; make one with 'pm plugin-package'" });
  }
  try {
    const value = parseManifestBytes(text, MANIFEST_PATH);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new PmError('PACKAGE_MANIFEST_INVALID', `${MANIFEST_PATH} in ${tgz} is not usable: ${(err as Error).message}`, { hint: 'package it again from a valid plugin folder' });
  }
}

/** Reads a NUL-terminated string field of a tar header. */
function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/**
 * Fast path for packages made by pm, where plugin.json is the first entry: inflate only the
 * start of the file and read the first ustar header (checksum checked). Returns undefined when
 * the package is laid out otherwise, so the full parser takes over.
 */
async function manifestFromFirstEntry(tgz: string): Promise<Buffer | undefined> {
  const fh = await open(tgz, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  let tar: Buffer;
  try {
    tar = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
  if (tar.length < 512) return undefined;
  const block = tar.subarray(0, 512);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  if (parseInt(field(block, 148, 8).trim(), 8) !== sum) return undefined;
  const type = String.fromCharCode(block[156]);
  const prefix = field(block, 345, 155);
  const path = (prefix ? `${prefix}/` : '') + field(block, 0, 100);
  if (path !== MANIFEST_PATH || (type !== '0' && type !== '\0')) return undefined;
  const size = parseInt(field(block, 124, 12).trim(), 8);
  if (!Number.isSafeInteger(size) || size > MAX_MANIFEST_BYTES || tar.length < 512 + size) return undefined;
  return tar.subarray(512, 512 + size);
}

/** Slow path: stream the archive through node-tar until package/plugin.json turns up. */
async function manifestByParsing(tgz: string): Promise<Buffer | undefined> {
  const { Parser } = await import('tar');
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const input = createReadStream(tgz);
    let settled = false;
    const done = (err: Error | undefined, value?: Buffer) => {
      if (settled) return;
      settled = true;
      input.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const parser = new Parser({
      strict: true,
      onReadEntry(entry) {
        const path = entry.path.replace(/^\.\//, '');
        if (path !== MANIFEST_PATH || entry.type !== 'File') {
          entry.resume();
          return;
        }
        if (entry.size > MAX_MANIFEST_BYTES) {
          done(new PmError('PACKAGE_MANIFEST_TOO_LARGE', `${MANIFEST_PATH} in ${tgz} is larger than the ${MAX_MANIFEST_BYTES}-byte (1 MiB) limit of a manifest`, { hint: 'this is not a pm package' }));
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => done(undefined, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (err: Error) => done(new PmError('PACKAGE_CORRUPT', `${tgz} is not a readable .tgz: ${err.message}`, { hint: 'download or package it again', cause: err })));
    parser.on('end', () => done(undefined, undefined));
    input.on('error', (err) => done(err));
    input.pipe(parser);
  });
}
