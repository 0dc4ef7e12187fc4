/**
 * The append side of the outbox: each process appends to a segment file of its own
 * (outbox/events/<time>-<pid>-<rand>.jsonl), so lines of two writers never interleave.
 * Events appended together share one write and one fsync; append() settles once its
 * events are on disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../fs/atomic-write.js';
import type { OutboxRecord } from './outbox-record.js';
import { webhookPaths } from './paths.js';

/** A segment is closed and a new one begun past this size, so delivered ones can be deleted. */
const SEGMENT_MAX_BYTES = 1024 * 1024;

interface Pending {
  lines: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Test hook: `PM_CRASH_AT=outbox-append` dies half-way through a line, as kill -9 would. */
function crashMidLine(fh: FileHandle, text: string): Promise<void> | undefined {
  if (process.env.PM_CRASH_AT !== 'outbox-append') return undefined;
  return fh.write(text.slice(0, Math.max(1, text.length >> 1))).then(() => fh.sync()).then(() => {
    process.kill(process.pid, 'SIGKILL');
  });
}

export class OutboxWriter {
  private fh?: FileHandle;
  private file?: string;
  private size = 0;
  private queue: Pending[] = [];
  private flushing?: Promise<void>;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly home: string) {}

  /** The segment this process writes now (undefined before the first append). */
  get segment(): string | undefined {
    return this.file;
  }

  /** Called after every durable append (the in-process delivery worker wakes on it). */
  onAppend(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Appends records; settles when they are fsync'd. */
  append(records: OutboxRecord[]): Promise<void> {
    if (!records.length) return Promise.resolve();
    let lines: string;
    try {
      lines = records.map((r) => JSON.stringify(r) + '\n').join('');
    } catch (err) {
      return Promise.reject(err);
    }
    const done = new Promise<void>((resolve, reject) => this.queue.push({ lines, resolve, reject }));
    this.flushing ??= this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    // Whatever queued while the previous write ran goes out in the next single write + fsync.
    while (this.queue.length) {
      await Promise.resolve();
      const batch = this.queue;
      this.queue = [];
      const text = batch.map((p) => p.lines).join('');
      try {
        const fh = await this.handle();
        await crashMidLine(fh, text);
        await fh.write(text);
        await fh.datasync();
        this.size += Buffer.byteLength(text);
        if (this.size > SEGMENT_MAX_BYTES) await this.rotate();
        for (const p of batch) p.resolve();
        for (const fn of this.listeners) fn();
      } catch (err) {
        // A half-written line must not be followed by more: the next append starts a new segment.
        await this.rotate().catch(() => {});
        for (const p of batch) p.reject(err);
      }
    }
    // Cleared in the same turn the queue was seen empty, so no append is left without a drain.
    this.flushing = undefined;
  }

  private async handle(): Promise<FileHandle> {
    if (this.fh) return this.fh;
    const dir = webhookPaths(this.home).segments;
    await mkdir(dir, { recursive: true });
    const name = `${Date.now().toString(36).padStart(9, '0')}-${process.pid}-${randomBytes(3).toString('hex')}.jsonl`;
    this.fh = await open(join(dir, name), 'a', 0o600);
    this.file = name;
    this.size = 0;
    // The new file's name must survive a crash as much as its lines do.
    await fsyncDir(dir);
    return this.fh;
  }

  private async rotate(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    this.file = undefined;
    await fh?.close();
  }

  /** Waits for pending appends and closes the segment. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    await this.rotate();
  }
}

const writers = new Map<string, OutboxWriter>();

/** This process's writer for `home`. */
export function outboxWriter(home: string): OutboxWriter {
  let w = writers.get(home);
  if (!w) writers.set(home, (w = new OutboxWriter(home)));
  return w;
}
