/**
 * The read side of the outbox: parses segment files from a byte offset. A last line without
 * its newline is a write cut short (kill -9, full disk) or still being written: it is left
 * for later, never an error. A complete line that does not parse is skipped and counted.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxRecord } from './outbox-record.js';
import { webhookPaths } from './paths.js';

/** A record and where its line lies in its segment. */
export interface LocatedRecord {
  rec: OutboxRecord;
  seg: string;
  /** Byte offsets of the line (end includes the newline). */
  start: number;
  end: number;
}

export interface SegmentRead {
  records: LocatedRecord[];
  /** Offset after the last complete line: where the next read starts. */
  end: number;
  /** Complete lines that were not outbox records. */
  corrupt: number;
}

/** The segment files, oldest first. */
export async function listSegments(home: string): Promise<string[]> {
  const names = await readdir(webhookPaths(home).segments).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return names.filter((n) => n.endsWith('.jsonl')).sort();
}

function isRecord(v: unknown): v is OutboxRecord {
  const r = v as OutboxRecord;
  return !!r && typeof r === 'object' && typeof r.id === 'string' && typeof r.type === 'string' && typeof r.timestamp === 'string'
    && !!r.data && typeof r.data === 'object' && Array.isArray(r.to);
}

/** Parses the complete lines of `seg` from byte `from` on. */
export async function readSegment(home: string, seg: string, from = 0): Promise<SegmentRead> {
  const file = join(webhookPaths(home).segments, seg);
  let buf: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      buf = Buffer.alloc(Math.max(0, size - from));
      if (buf.length) await fh.read(buf, 0, buf.length, from);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], end: from, corrupt: 0 };
    throw err;
  }
  const records: LocatedRecord[] = [];
  let corrupt = 0;
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const line = buf.subarray(pos, nl).toString('utf8');
    try {
      const rec = JSON.parse(line) as unknown;
      if (isRecord(rec)) records.push({ rec, seg, start: from + pos, end: from + nl + 1 });
      else corrupt++;
    } catch {
      corrupt++;
    }
    pos = nl + 1;
  }
  return { records, end: from + pos, corrupt };
}

/** The size of a segment (0 when gone). */
export async function segmentSize(home: string, seg: string): Promise<number> {
  return (await stat(join(webhookPaths(home).segments, seg)).catch(() => undefined))?.size ?? 0;
}
