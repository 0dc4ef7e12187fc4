import { readFile } from 'node:fs/promises';
import { PmError, usageError } from '../../core/errors.js';

/** Reads a passphrase from the first line of a file (as gpg --passphrase-file does). */
export async function readPassphraseFile(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
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
