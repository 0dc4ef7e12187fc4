import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { PmError, isPmError, type ErrorCode } from '../errors.js';
import { MAX_MANIFEST_BYTES, parseManifestBytes } from '../manifest/read.js';

/** Limits applied while reading a package (DESIGN §4). */
export interface ExtractLimits {
  maxEntries: number;
  maxUnpackedBytes: number;
  /** Unpacked bytes per packed byte. */
  maxRatio: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxEntries: 10_000,
  maxUnpackedBytes: 100 * 1024 * 1024,
  maxRatio: 1000,
};

/** What a package holds, learnt before anything is written. */
export interface PackageScan {
  integrity: string;
  packedBytes: number;
  unpackedBytes: number;
  entries: number;
  /** The parsed package/plugin.json. */
  manifest: { name?: unknown; version?: unknown; [k: string]: unknown };
}

const MANIFEST_PATH = 'package/plugin.json';

function refuse(code: ErrorCode, file: string, message: string, hint: string, data: Record<string, unknown> = {}): PmError {
  return new PmError(code, `refused ${file}: ${message}`, { hint, data: { file, ...data } });
}

const NOT_PLUGIN_HINT = 'this package is unsafe or damaged; do not install it — rebuild it with pm plugin-package or ask its author';

/** Checks one tar entry's type, path and mode; returns the path relative to package/. */
function checkEntry(file: string, e: { type: string; path: string; mode?: number; size: number }): string {
  const raw = e.path;
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) {
    throw refuse('TAR_ABSOLUTE_PATH', file, `entry "${raw}" has an absolute path`, NOT_PLUGIN_HINT, { entry: raw });
  }
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) {
    throw refuse('TAR_PATH_TRAVERSAL', file, `entry "${raw}" climbs out of the package with ".."`, NOT_PLUGIN_HINT, { entry: raw });
  }
  switch (e.type) {
    case 'File': case 'OldFile': case 'ContiguousFile': case 'Directory':
      break;
    case 'SymbolicLink': case 'Link':
      throw refuse('TAR_LINK', file, `entry "${raw}" is a ${e.type === 'Link' ? 'hard link' : 'symbolic link'}; packages hold regular files and folders only`, NOT_PLUGIN_HINT, { entry: raw, type: e.type });
    case 'CharacterDevice': case 'BlockDevice':
      throw refuse('TAR_DEVICE', file, `entry "${raw}" is a device file`, NOT_PLUGIN_HINT, { entry: raw, type: e.type });
    case 'FIFO':
      throw refuse('TAR_FIFO', file, `entry "${raw}" is a FIFO`, NOT_PLUGIN_HINT, { entry: raw, type: e.type });
    default:
      throw refuse('TAR_UNSUPPORTED_ENTRY', file, `entry "${raw}" has unsupported type ${e.type}`, NOT_PLUGIN_HINT, { entry: raw, type: e.type });
  }
  if (e.mode !== undefined && (e.mode & 0o7000) !== 0) {
    throw refuse('TAR_SETUID', file, `entry "${raw}" has setuid, setgid or sticky bits (mode ${e.mode.toString(8)})`, NOT_PLUGIN_HINT, { entry: raw, mode: e.mode });
  }
  if (parts[0] !== 'package') {
    throw refuse('TAR_NOT_PACKAGE', file, `entry "${raw}" is outside package/`, 'a pm package keeps every file under package/ (pm plugin-package makes one)', { entry: raw });
  }
  return parts.slice(1).join('/');
}

interface WalkEntry {
  rel: string;
  type: string;
  mode: number;
  size: number;
  entry: import('tar').ReadEntry;
  /** The body, already read, of package/plugin.json (its entry must not be read again). */
  content?: Buffer;
}

/**
 * Streams a .tgz through gunzip and node-tar's parser, checking every limit as bytes
 * arrive (so a 1 GiB bomb is refused at its header), and hands each checked entry to `visit`.
 */
async function walkPackage(file: string, limits: ExtractLimits, visit: (w: WalkEntry) => Promise<void> | void): Promise<PackageScan> {
  const { Parser } = await import('tar');
  const packedBytes = (await stat(file)).size;
  const hash = createHash('sha512');
  let entries = 0;
  let unpacked = 0;
  let inflated = 0;
  let manifestBytes: Buffer | undefined;
  let failure: unknown;
  const pending: Promise<void>[] = [];
  const fail = (err: unknown) => { failure ??= err; };

  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: import('tar').ReadEntry) => {
    if (failure) { entry.resume(); return; }
    try {
      entries += 1;
      if (entries > limits.maxEntries) {
        throw refuse('TAR_TOO_MANY_ENTRIES', file, `more than ${limits.maxEntries} entries`, 'a plugin needs far fewer files; raise the limit with --max-entries only if you trust this package', { limit: limits.maxEntries });
      }
      const rel = checkEntry(file, entry);
      unpacked += entry.size;
      if (unpacked > limits.maxUnpackedBytes) {
        throw refuse('TAR_TOO_LARGE', file, `unpacks to more than ${limits.maxUnpackedBytes} bytes (entry "${entry.path}" alone is ${entry.size})`, 'raise the limit with --max-unpacked <MiB> only if you trust this package', { limit: limits.maxUnpackedBytes });
      }
      const type = entry.type === 'Directory' ? 'Directory' : 'File';
      if (rel === 'plugin.json' && type === 'File') {
        if (entry.size > MAX_MANIFEST_BYTES) throw refuse('TAR_MANIFEST_TOO_LARGE', file, `package/plugin.json is larger than the ${MAX_MANIFEST_BYTES}-byte (1 MiB) limit of a manifest`, NOT_PLUGIN_HINT);
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          const content = Buffer.concat(chunks);
          manifestBytes = content;
          pending.push(Promise.resolve(visit({ rel, type, mode: entry.mode ?? 0o644, size: entry.size, entry, content })).catch(fail));
        });
        return;
      }
      pending.push(Promise.resolve(visit({ rel, type, mode: entry.mode ?? 0o644, size: entry.size, entry })).catch(fail));
    } catch (err) {
      fail(err);
      entry.resume();
    }
  });
  parser.on('warn', (code: string, message: string | Error) => {
    if (code !== 'TAR_ENTRY_INFO') fail(refuse('TAR_CORRUPT', file, `not a valid tar archive (${typeof message === 'string' ? message : message.message})`, NOT_PLUGIN_HINT));
  });
  parser.on('error', (err: Error) => fail(refuse('TAR_CORRUPT', file, `not a valid tar archive (${err.message})`, NOT_PLUGIN_HINT)));

  // Large reads and inflate chunks: every chunk is a round trip through the thread pool and the
  // stream machinery, and the defaults (64 KiB reads, 16 KiB inflate chunks) make ~100 of them per
  // MiB. The limits are still checked on every chunk, so a bomb stops within 256 KiB.
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  input.on('data', (c) => hash.update(c as Buffer));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > limits.maxRatio * Math.max(packedBytes, 1) && inflated > 1024 * 1024) {
        throw refuse('TAR_RATIO', file, `decompresses more than ${limits.maxRatio} times its size (a decompression bomb)`, NOT_PLUGIN_HINT, { limit: limits.maxRatio });
      }
      if (!parser.write(chunk)) await new Promise<void>((r) => parser.once('drain', () => r()));
      if (failure) throw failure;
    }
  } catch (err) {
    input.destroy();
    gunzip.destroy();
    if (failure) throw failure;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test((err as Error).message)) {
      throw refuse('TAR_TRUNCATED', file, 'the gzip data ends early (truncated download or damaged file)', 'download or copy the package again, then retry');
    }
    if (code && code.startsWith('Z_')) {
      throw refuse('TAR_NOT_GZIP', file, `not a gzip file (${(err as Error).message})`, 'pm installs .tgz files made by pm plugin-package');
    }
    throw err;
  }
  await new Promise<void>((res) => { parser.once('end', () => res()); parser.end(); });
  await Promise.all(pending);
  if (failure) throw failure;
  if (entries === 0) throw refuse('TAR_EMPTY', file, 'the archive holds no entries', NOT_PLUGIN_HINT);
  if (manifestBytes === undefined) {
    throw refuse('TAR_NO_MANIFEST', file, 'package/plugin.json is missing', 'a pm package has its manifest at package/plugin.json (pm plugin-package makes one)');
  }
  let manifest: PackageScan['manifest'];
  try {
    manifest = parseManifestBytes(manifestBytes, MANIFEST_PATH) as PackageScan['manifest'];
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error('package/plugin.json is not a JSON object');
  } catch (err) {
    throw refuse('TAR_BAD_MANIFEST', file, (err as Error).message, 'fix plugin.json and package it again (pm plugin-validate shows the problem)', isPmError(err) ? { reason: err.code } : {});
  }
  return { integrity: `sha512-${hash.digest('base64')}`, packedBytes, unpackedBytes: unpacked, entries, manifest };
}

/** Reads a package without writing anything: integrity, sizes, manifest; throws on anything unsafe. */
export async function scanPackage(file: string, limits: ExtractLimits = DEFAULT_LIMITS): Promise<PackageScan> {
  return walkPackage(file, limits, ({ entry, content }) => { if (!content) entry.resume(); });
}

/**
 * Extracts a package's files (package/ stripped) into `dest`, re-checking every entry; only
 * regular files (modes 0644/0755) and folders are ever created, all inside `dest`. Writes are
 * synchronous on purpose: data reaches a file only while the parser is fed, so once a limit
 * trips nothing is written any more and no write is left pending when this rejects.
 */
export async function extractPackage(file: string, dest: string, limits: ExtractLimits = DEFAULT_LIMITS): Promise<PackageScan> {
  const root = resolve(dest);
  await mkdir(root, { recursive: true });
  const open = new Set<number>();
  const writeAll = (fd: number, buf: Buffer) => {
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
  };
  try {
    return await walkPackage(file, limits, ({ rel, type, mode, entry, content }) => {
      const target = resolve(root, rel);
      if (target !== root && !target.startsWith(root + sep)) {
        if (!content) entry.resume();
        throw refuse('TAR_PATH_TRAVERSAL', file, `entry "${entry.path}" resolves outside the package`, NOT_PLUGIN_HINT);
      }
      if (type === 'Directory') {
        if (!content) entry.resume();
        mkdirSync(target, { recursive: true, mode: 0o755 });
        return;
      }
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      let fd: number;
      try {
        // 'wx': a second entry with the same path is refused instead of overwriting the first.
        fd = openSync(target, 'wx', mode & 0o111 ? 0o755 : 0o644);
      } catch (err) {
        if (!content) entry.resume();
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw refuse('TAR_DUPLICATE', file, `entry "${entry.path}" appears twice`, NOT_PLUGIN_HINT);
        throw err;
      }
      if (content) {
        try { writeAll(fd, content); } finally { closeSync(fd); }
        return;
      }
      open.add(fd);
      entry.on('data', (chunk: Buffer) => writeAll(fd, chunk));
      entry.on('end', () => { open.delete(fd); closeSync(fd); });
    });
  } finally {
    for (const fd of open) closeSync(fd);
  }
}
