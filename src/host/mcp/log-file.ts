import { closeSync, mkdirSync, openSync, renameSync, fstatSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LogFileOptions {
  /** Rotate once the file would grow past this many bytes (default 5 MiB). */
  maxBytes?: number;
  /** Rotated files kept beside it: `<file>.1` (newest) … `<file>.<keep>` (default 3). */
  keep?: number;
}

/**
 * An append-only log file with size-based rotation, so a noisy server cannot fill the disk.
 * Writes are synchronous single writes (lines never interleave); any error turns it off,
 * because logging is best effort and a full disk must not stop the server.
 */
export class LogFile {
  private fd?: number;
  private size = 0;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(private readonly path: string, opts: LogFileOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    this.keep = Math.max(1, opts.keep ?? 3);
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.open();
    } catch {
      this.fd = undefined;
    }
  }

  /** Appends one line (with its newline). */
  write(line: string): void {
    if (this.fd === undefined) return;
    const buf = Buffer.from(line);
    try {
      if (this.size > 0 && this.size + buf.length > this.maxBytes) this.rotate();
      this.size += writeSync(this.fd, buf);
    } catch {
      this.close();
    }
  }

  /** Closes the file; later writes are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Nothing to do about a failed close of a log file.
    }
    this.fd = undefined;
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    closeSync(this.fd!);
    this.fd = undefined;
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    renameSync(this.path, `${this.path}.1`);
    this.open();
  }
}
