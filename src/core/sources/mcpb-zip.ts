/**
 * Extracting an MCP Bundle's ZIP (DESIGN §6b) with the refusals of pm's tarballs (§4,
 * core/store/extract.ts): absolute paths, `..`, links and special files, setuid bits, entry
 * count, unpacked size and ratio. Every entry is checked from the central directory before
 * anything is written; yauzl then checks each entry's real size against the declared one.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import yauzl from 'yauzl';
import { PmError, type ErrorCode } from '../errors.js';
import { DEFAULT_LIMITS, type ExtractLimits } from '../store/extract.js';

const HINT = 'this bundle is unsafe or damaged; do not install it — ask its author for a new one';

function refuse(code: ErrorCode, file: string, message: string, hint = HINT, data: Record<string, unknown> = {}): PmError {
  return new PmError(code, `refused ${file}: ${message}`, { hint, data: { file, ...data } });
}

/** One checked entry: its path inside the bundle and whether it is a folder. */
interface CheckedEntry {
  rel: string;
  dir: boolean;
  executable: boolean;
  entry: yauzl.Entry;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** The entry's name as stored (decodeStrings: false hands yauzl's check over to pm). */
function rawName(e: yauzl.Entry): string {
  return (e.fileName as unknown as Buffer).toString('utf8');
}

/** Checks one entry's name, type and mode; returns its path relative to the bundle root. */
function checkEntry(file: string, e: yauzl.Entry): CheckedEntry {
  // Names are read raw (decodeStrings: false) so a hostile name gets pm's refusal, not yauzl's.
  const raw = rawName(e);
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) throw refuse('TAR_ABSOLUTE_PATH', file, `entry "${raw}" has an absolute path`, HINT, { entry: raw });
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw refuse('TAR_PATH_TRAVERSAL', file, `entry "${raw}" climbs out of the bundle with ".."`, HINT, { entry: raw });
  if (parts.length === 0 || raw.includes('\0')) throw refuse('TAR_UNSUPPORTED_ENTRY', file, `entry "${raw}" has no usable name`, HINT, { entry: raw });
  // Unix modes live in the high half of the external attributes when the entry was made on Unix (version made by 3).
  const unix = (e.versionMadeBy >> 8) === 3;
  const mode = unix ? (e.externalFileAttributes >>> 16) & 0xffff : 0;
  const type = mode & S_IFMT;
  const dir = p.endsWith('/') || type === S_IFDIR;
  if (type === S_IFLNK) throw refuse('TAR_LINK', file, `entry "${raw}" is a symbolic link; bundles installed by pm hold regular files and folders only`, HINT, { entry: raw });
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw refuse('TAR_UNSUPPORTED_ENTRY', file, `entry "${raw}" is not a regular file or folder (mode ${mode.toString(8)})`, HINT, { entry: raw, mode });
  if ((mode & 0o7000) !== 0) throw refuse('TAR_SETUID', file, `entry "${raw}" has setuid, setgid or sticky bits (mode ${mode.toString(8)})`, HINT, { entry: raw, mode });
  if ((e.generalPurposeBitFlag & 0x1) !== 0) throw refuse('TAR_UNSUPPORTED_ENTRY', file, `entry "${raw}" is encrypted`, HINT, { entry: raw });
  return { rel: parts.join('/'), dir, executable: (mode & 0o111) !== 0, entry: e };
}

function openZip(zip: Buffer, file: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (err, z) => {
      if (err || !z) rej(refuse('TAR_CORRUPT', file, `not a valid ZIP archive (${err?.message ?? 'unreadable'})`));
      else res(z);
    });
  });
}

/** Every entry of the central directory, checked, with the limits applied to the declared sizes. */
async function scanEntries(zip: Buffer, file: string, limits: ExtractLimits): Promise<{ z: yauzl.ZipFile; entries: CheckedEntry[]; unpacked: number }> {
  const z = await openZip(zip, file);
  // The central directory says how many entries there are: a 20,000-entry bundle is refused before reading one.
  if (z.entryCount > limits.maxEntries) {
    z.close();
    throw refuse('TAR_TOO_MANY_ENTRIES', file, `more than ${limits.maxEntries} entries (${z.entryCount})`, 'a bundle needs far fewer files; raise the limit with --max-entries only if you trust it', { limit: limits.maxEntries });
  }
  const entries: CheckedEntry[] = [];
  let unpacked = 0;
  await new Promise<void>((res, rej) => {
    const fail = (err: unknown) => { z.close(); rej(err); };
    z.on('error', (err: Error) => fail(err instanceof PmError ? err : refuse('TAR_CORRUPT', file, `not a valid ZIP archive (${err.message})`)));
    z.on('end', () => res());
    z.on('entry', (e: yauzl.Entry) => {
      try {
        const c = checkEntry(file, e);
        unpacked += e.uncompressedSize;
        if (unpacked > limits.maxUnpackedBytes) {
          throw refuse('TAR_TOO_LARGE', file, `unpacks to more than ${limits.maxUnpackedBytes} bytes`, 'raise the limit with --max-unpacked <MiB> only if you trust this bundle', { limit: limits.maxUnpackedBytes });
        }
        if (unpacked > limits.maxRatio * Math.max(zip.length, 1) && unpacked > 1024 * 1024) {
          throw refuse('TAR_RATIO', file, `decompresses more than ${limits.maxRatio} times its size (a decompression bomb)`, HINT, { limit: limits.maxRatio });
        }
        entries.push(c);
        z.readEntry();
      } catch (err) {
        fail(err);
      }
    });
    z.readEntry();
  });
  if (entries.length === 0) throw refuse('TAR_EMPTY', file, 'the bundle holds no entries');
  return { z, entries, unpacked };
}

function readInto(z: yauzl.ZipFile, e: yauzl.Entry, fd: number, file: string): Promise<void> {
  return new Promise((res, rej) => {
    z.openReadStream(e, (err, stream) => {
      if (err || !stream) { rej(refuse('TAR_CORRUPT', file, `entry cannot be read (${err?.message ?? 'no data'})`)); return; }
      stream.on('data', (chunk: Buffer) => { for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off); });
      stream.on('error', (e2: Error) => rej(refuse('TAR_CORRUPT', file, `entry data is damaged (${e2.message})`)));
      stream.on('end', () => res());
    });
  });
}

/** What an extracted bundle held. */
export interface BundleScan {
  entries: number;
  unpackedBytes: number;
}

/**
 * Extracts the ZIP bytes `zip` (the signature block already cut off) into `dest`: only regular
 * files (0644/0755) and folders, all inside `dest`; refuses before writing when any entry or limit fails.
 */
export async function extractBundleZip(zip: Buffer, file: string, dest: string, limits: ExtractLimits = DEFAULT_LIMITS): Promise<BundleScan> {
  const { entries, unpacked, z: scanned } = await scanEntries(zip, file, limits);
  scanned.close();
  const root = resolve(dest);
  await mkdir(root, { recursive: true });
  const byRel = new Map(entries.map((c) => [rawName(c.entry), c]));
  const z = await openZip(zip, file);
  try {
    await new Promise<void>((res, rej) => {
      z.on('error', (err: Error) => rej(err instanceof PmError ? err : refuse('TAR_CORRUPT', file, `not a valid ZIP archive (${err.message})`)));
      z.on('end', () => res());
      z.on('entry', (e: yauzl.Entry) => {
        void (async () => {
          const c = byRel.get(rawName(e)) ?? checkEntry(file, e);
          const target = resolve(root, c.rel);
          if (target !== root && !target.startsWith(root + sep)) throw refuse('TAR_PATH_TRAVERSAL', file, `entry "${c.rel}" resolves outside the bundle`);
          if (c.dir) { mkdirSync(target, { recursive: true, mode: 0o755 }); return; }
          mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
          let fd: number;
          try {
            // 'wx': a second entry with the same path is refused instead of overwriting the first.
            fd = openSync(target, 'wx', c.executable ? 0o755 : 0o644);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw refuse('TAR_DUPLICATE', file, `entry "${c.rel}" appears twice`);
            throw err;
          }
          try { await readInto(z, e, fd, file); } finally { closeSync(fd); }
        })().then(() => z.readEntry(), rej);
      });
      z.readEntry();
    });
  } finally {
    z.close();
  }
  return { entries: entries.length, unpackedBytes: unpacked };
}
