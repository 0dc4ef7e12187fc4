import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { PmError, type ErrorCode } from '../errors.js';

export interface ReadRegularFileOptions {
  /** Refuse a file larger than this, before reading it. */
  maxBytes: number;
  /** What the file is, for messages: "the provenance file", "the key file". */
  what: string;
  /** Hint of the refusals. */
  hint?: string;
  /** Code thrown for a file that is not a regular file (default FILE_NOT_REGULAR). */
  notRegularCode?: ErrorCode;
  /** Code thrown for a file over maxBytes (default FILE_TOO_LARGE). */
  tooLargeCode?: ErrorCode;
}

/** What a non-regular file is, in words: "a FIFO", "a character device", "a folder". */
export function fileKind(s: Stats): string {
  if (s.isFile()) return 'a regular file';
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function notRegular(path: string, kind: string, opts: Pick<ReadRegularFileOptions, 'what' | 'hint' | 'notRegularCode'>): PmError {
  const codes: Record<'notRegular', ErrorCode> = { notRegular: opts.notRegularCode ?? 'FILE_NOT_REGULAR' };
  return new PmError(codes['notRegular'], `${opts.what} ${path} is ${kind}, not a regular file`, {
    hint: opts.hint ?? 'give the path of a regular file', data: { path, kind },
  });
}

/**
 * Reads a file pm was given (by the user, or from a plugin folder or package) without hanging
 * or filling memory: opens it non-blocking, refuses anything but a regular file and anything over
 * `maxBytes` before reading, and reads at most `maxBytes + 1` bytes. Throws FILE_NOT_REGULAR,
 * FILE_TOO_LARGE (or the codes given); other errors (ENOENT, EACCES) are Node's.
 */
export async function readRegularFile(path: string, opts: ReadRegularFileOptions): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw notRegular(path, fileKind(s), opts);
    const codes: Record<'tooLarge', ErrorCode> = { tooLarge: opts.tooLargeCode ?? 'FILE_TOO_LARGE' };
    const tooLarge = (size: string) => new PmError(codes['tooLarge'], `${opts.what} ${path} is ${size} bytes; the limit is ${opts.maxBytes}`, {
      hint: opts.hint ?? `pm reads at most ${opts.maxBytes} bytes of ${opts.what}; check that this is the right file`, data: { path, maxBytes: opts.maxBytes },
    });
    if (s.size > opts.maxBytes) throw tooLarge(String(s.size));
    // The file may grow between fstat and read: never read more than one byte past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(opts.maxBytes + 1 - total, Math.max(s.size - total, 0) + 64 * 1024);
      if (want <= 0) break;
      const chunk = Buffer.alloc(want);
      const { bytesRead } = await fh.read(chunk, 0, want, total);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > opts.maxBytes) throw tooLarge(`more than ${opts.maxBytes}`);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}

/** readRegularFile decoded as UTF-8 (invalid bytes become U+FFFD, as readFile's 'utf8' does). */
export async function readRegularText(path: string, opts: ReadRegularFileOptions): Promise<string> {
  return (await readRegularFile(path, opts)).toString('utf8');
}
