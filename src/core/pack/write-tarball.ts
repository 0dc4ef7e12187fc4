import { createHash } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { formatIntegrity } from './integrity.js';
import type { PackEntry } from './package-files.js';

/** The one mtime every entry carries (npm uses the same date): fixed so packing is reproducible. */
export const FIXED_MTIME = new Date('1985-10-26T08:15:00.000Z');

/** 0755 for folders and executables, 0644 for everything else. */
export function normalizedMode(entry: PackEntry): number {
  if (entry.type === 'dir') return 0o40755;
  return entry.stat.mode & 0o111 ? 0o100755 : 0o100644;
}

/** A copy of `stat` with only what may reach the archive: normalized mode, one link (never a hard-link entry). */
function normalizeStat(entry: PackEntry): Stats {
  const s = Object.assign(Object.create(Object.getPrototypeOf(entry.stat)), entry.stat) as Stats;
  s.mode = normalizedMode(entry);
  s.nlink = 1;
  s.uid = 0;
  s.gid = 0;
  s.mtime = FIXED_MTIME;
  if (entry.type === 'dir') s.size = 0;
  return s;
}

export interface TarballWritten {
  size: number;
  integrity: string;
}

/**
 * Writes `entries` of `dir` as a gzip'd tar under `package/` to `outFile`, hashing as it writes.
 * node-tar's `portable` drops uid/gid/uname/atime/ctime and writes the gzip OS byte as 255;
 * Node's gzip has no file name and mtime 0, so the same input gives the same bytes.
 */
export async function writeTarball(dir: string, entries: PackEntry[], outFile: string): Promise<TarballWritten> {
  const tar = await import('tar');
  const statCache = new Map<string, Stats>();
  for (const e of entries) statCache.set(join(dir, e.path), normalizeStat(e));
  const pack = tar.create(
    {
      cwd: dir,
      prefix: 'package/',
      // zlib's default level (6), as tar -czf and npm use: level 9 costs time for little gain.
      gzip: {},
      portable: true,
      mtime: FIXED_MTIME,
      noDirRecurse: true,
      // More files read at once than the default 4: packages are many small files.
      jobs: 8,
      strict: true,
      statCache,
      onWriteEntry(entry) {
        // portable mode drops the mtime of folders; keep the one fixed mtime on every entry.
        entry.noMtime = false;
        entry.mtime = FIXED_MTIME;
      },
    },
    entries.map((e) => e.path),
  );
  const hash = createHash('sha512');
  const file = createWriteStream(outFile, { mode: 0o644 });
  let size = 0;
  const failed = new Promise<never>((_, reject) => {
    pack.on('error', reject);
    file.on('error', reject);
  });
  const copy = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (!file.write(chunk)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
  })();
  await Promise.race([copy, failed]);
  return { size, integrity: formatIntegrity(hash.digest()) };
}
