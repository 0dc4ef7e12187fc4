import { PmError, isPmError, usageError } from '../../core/errors.js';
import { readRegularText } from '../../core/fs/read-regular-file.js';

/** A passphrase file holds one line; more than this is not one. */
export const MAX_PASSPHRASE_FILE_BYTES = 64 * 1024;

/** Reads a passphrase from the first line of a file (as gpg --passphrase-file does). */
export async function readPassphraseFile(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  let text: string;
  try {
    text = await readRegularText(path, { what: 'the passphrase file', maxBytes: MAX_PASSPHRASE_FILE_BYTES, hint: 'give a regular file whose first line is the passphrase' });
  } catch (err) {
    if (isPmError(err)) throw err;
    throw usageError(`cannot read the passphrase file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give a readable file whose first line is the passphrase');
  }
  const line = text.split(/\r?\n/)[0];
  if (!line) throw usageError(`the passphrase file ${path} is empty`, 'put the passphrase on its first line');
  return line;
}

/** True when pm may ask questions: both stdin and stderr are terminals. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Runs `fn`; when the key needs a passphrase and a terminal is there, asks for it and runs again. */
export async function withPassphrasePrompt<T>(passphrase: string | undefined, fn: (passphrase: string | undefined) => Promise<T>): Promise<T> {
  try {
    return await fn(passphrase);
  } catch (err) {
    if (!(err instanceof PmError && err.code === 'KEY_PASSPHRASE_REQUIRED' && canPrompt())) throw err;
    const { password } = await import('@inquirer/prompts');
    const answer = await password({ message: `${err.message}; passphrase:`, mask: '*' }, { output: process.stderr });
    return fn(answer);
  }
}

/** 1234567 → "1.2 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
