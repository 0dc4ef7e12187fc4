import { createHash } from 'node:crypto';
import { close, createWriteStream, open, read } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header } from 'tar/header';
import { Pax } from 'tar/pax';
import { PmError } from '../errors.js';
import { formatIntegrity } from './integrity.js';
import type { PackEntry } from './package-files.js';

/** The one mtime every entry carries (npm uses the same date): fixed so packing is reproducible. */
export const FIXED_MTIME = new Date('1985-10-26T08:15:00.000Z');

/** 0755 for folders and executables, 0644 for everything else. */
export function normalizedMode(entry: PackEntry): number {
  if (entry.type === 'dir') return 0o40755;
  return entry.stat.mode & 0o111 ? 0o100755 : 0o100644;
}

/** Files read ahead of the one being archived, by count and by bytes: enough to keep the thread pool busy, bounded memory. */
const READ_AHEAD_FILES = 16;
const READ_AHEAD_BYTES = 16 * 1024 * 1024;
/** Tar bytes handed to gzip per write: fewer, larger deflate calls on the thread pool. */
const GZIP_BATCH = 1024 * 1024;
/** End of archive: two zero blocks, as node-tar and GNU tar write. */
const END_OF_ARCHIVE = Buffer.alloc(1024);
const ZERO_BLOCK = Buffer.alloc(512);

/**
 * The ustar header block(s) of one entry: path under `package/`, normalized mode, no owner, no
 * user names, the fixed mtime; a PAX header first when the path does not fit ustar. These are the
 * exact bytes node-tar's `portable` mode writes for the same entry (a test holds us to that).
 */
export function entryHeader(entry: PackEntry): Buffer {
  const path = `package/${entry.path}${entry.type === 'dir' ? '/' : ''}`;
  const size = entry.type === 'dir' ? 0 : entry.stat.size;
  const header = new Header({ path, mode: normalizedMode(entry) & 0o7777, size, mtime: FIXED_MTIME, type: entry.type === 'dir' ? 'Directory' : 'File' });
  const needPax = header.encode();
  if (!header.block) throw new Error(`could not encode the tar header of ${entry.path}`);
  if (!needPax) return header.block;
  return Buffer.concat([new Pax({ path, size, mtime: FIXED_MTIME }).encode(), header.block]);
}

/** A file that changed between listing and archiving: packing it would ship bytes validation never saw. */
function changedWhilePacking(path: string): PmError {
  return new PmError('PACK_FILE_CHANGED', `${path} changed while it was being packaged`, {
    kind: 'failure',
    hint: 'stop whatever is writing to the plugin folder (a build or watcher), then package again',
    data: { path },
  });
}

/**
 * Reads a whole file of the expected size in as few reads as possible (one for a file that
 * fits), with the callback API: one thread-pool round trip per call and no promise machinery.
 * Refuses a file whose size differs from its listing.
 */
function readExactly(abs: string, rel: string, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    open(abs, 'r', (err, fd) => {
      if (err) return reject(err);
      // One byte more than expected, so a file that grew is noticed without another stat.
      const buf = Buffer.allocUnsafe(size + 1);
      let got = 0;
      const finish = (failure: Error | null) => close(fd, (closeErr) => {
        if (failure ?? closeErr) reject(failure ?? closeErr);
        else resolve(buf.subarray(0, size));
      });
      const step = () => read(fd, buf, got, buf.length - got, got, (readErr, n) => {
        if (readErr) return finish(readErr);
        got += n;
        if (n === 0 || got === buf.length) return finish(got === size ? null : changedWhilePacking(rel));
        step();
      });
      step();
    });
  });
}

export interface TarballWritten {
  size: number;
  integrity: string;
}

/**
 * Writes `entries` of `dir` as a gzip'd tar under `package/` to `outFile`, hashing as it writes.
 * Files are read ahead with bounded concurrency while zlib compresses on the thread pool, so
 * reading and compressing overlap. Same bytes as node-tar's `portable` create: no uid/gid/uname,
 * one mtime, normalized modes, gzip at zlib's default level (6, as tar -czf and npm use) with no
 * file name, mtime 0 and OS byte 255. Chunks reach zlib at content-determined boundaries, so the
 * same input gives the same bytes.
 */
export async function writeTarball(dir: string, entries: PackEntry[], outFile: string): Promise<TarballWritten> {
  const hash = createHash('sha512');
  let size = 0;
  // 256 KiB output chunks: fewer round trips than the 16 KiB default; the bytes do not depend on it.
  const gzip = createGzip({ chunkSize: 256 * 1024 });
  const written = pipeline(
    gzip,
    async function* (compressed: AsyncIterable<Buffer>) {
      let first = true;
      for await (const chunk of compressed) {
        // The gzip header is always in the first chunk: OS byte 255 ("unknown"), as node-tar's portable mode writes.
        if (first) chunk[9] = 255;
        first = false;
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(outFile, { mode: 0o644 }),
  );

  const feed = async () => {
    const files = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.type === 'file');
    const reads = new Map<number, Promise<Buffer>>();
    let launched = 0;
    let aheadBytes = 0;
    const launch = () => {
      while (launched < files.length && reads.size < READ_AHEAD_FILES && (reads.size === 0 || aheadBytes < READ_AHEAD_BYTES)) {
        const { e, i } = files[launched++];
        const p = readExactly(join(dir, e.path), e.path, e.stat.size);
        p.catch(() => undefined); // awaited in order below; this only keeps an early failure from counting as unhandled
        reads.set(i, p);
        aheadBytes += e.stat.size;
      }
    };
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const push = async (buf: Buffer) => {
      batch.push(buf);
      batchBytes += buf.length;
      if (batchBytes < GZIP_BATCH) return;
      const full = Buffer.concat(batch, batchBytes);
      batch = [];
      batchBytes = 0;
      if (!gzip.write(full)) await new Promise((resolve) => gzip.once('drain', resolve));
    };
    launch();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      await push(entryHeader(entry));
      if (entry.type !== 'file') continue;
      const data = await reads.get(i)!;
      reads.delete(i);
      aheadBytes -= entry.stat.size;
      launch();
      if (data.length) await push(data);
      const pad = data.length % 512;
      if (pad) await push(ZERO_BLOCK.subarray(pad));
    }
    await push(END_OF_ARCHIVE);
    gzip.end(Buffer.concat(batch, batchBytes));
  };

  // A failed read ends the pipeline with that error; a failed write ends feeding through the race.
  await Promise.all([feed().catch((err: unknown) => gzip.destroy(err as Error)), written]);
  return { size, integrity: formatIntegrity(hash.digest()) };
}
