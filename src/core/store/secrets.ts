import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { PmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import { appendAuditRecord } from './audit.js';
import { withStoreLock } from './lock.js';
import { storePaths } from './paths.js';

/** A secret's name: what `${secret.NAME}` in a server spec refers to (an environment-variable-like word). */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Shortest value accepted: the host masks secret values in logs from this length on (host/server/redact.ts); a shorter one could not be kept out. */
export const MIN_SECRET_LENGTH = 4;

/** Longest value accepted: far above any token or key, below what one environment variable may hold (128 KiB on Linux). */
export const MAX_SECRET_BYTES = 32 * 1024;

/** secrets.json larger than this is not one pm wrote. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** What `pm secret-list` shows of a secret: never its value. */
export interface SecretInfo {
  name: string;
  createdAt: string;
  updatedAt: string;
}

interface SecretRecord extends SecretInfo {
  value: string;
}

interface SecretsFile {
  version: 1;
  secrets: Record<string, Omit<SecretRecord, 'name'>>;
}

type StoreOpts = { home: string; lockTimeoutMs?: number };

function unsafe(path: string, why: string, hint: string): PmError {
  return new PmError('SECRETS_FILE_UNSAFE', `refusing to read the secrets in ${path}: ${why}`, { hint, data: { path } });
}

/** Throws SECRET_NAME_INVALID unless `name` can be referenced as `${secret.NAME}`. */
export function checkSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new PmError('SECRET_NAME_INVALID', `'${name}' is not a secret name`, {
      hint: 'use letters, digits and _ and start with a letter or _, e.g. GITHUB_TOKEN', data: { name },
    });
  }
}

/** The value as stored: one trailing newline (from `echo` or a file) dropped; empty, NUL or oversized values refused. */
export function normalizeSecretValue(name: string, raw: string): string {
  const value = raw.replace(/\r?\n$/, '');
  if (value === '') {
    throw new PmError('SECRET_VALUE_EMPTY', `no value given for the secret ${name}`, {
      hint: `pipe it in (printf '%s' "$VALUE" | pm secret-set ${name}) or run pm secret-set ${name} in a terminal to type it`, data: { name },
    });
  }
  if (value.length < MIN_SECRET_LENGTH) {
    throw new PmError('SECRET_VALUE_INVALID', `the value of ${name} is shorter than ${MIN_SECRET_LENGTH} characters`, { hint: 'a value that short cannot be kept out of logs, nor is it a secret; give the real token or key', data: { name } });
  }
  if (value.includes('\0')) {
    throw new PmError('SECRET_VALUE_INVALID', `the value of ${name} holds a NUL byte, which no environment variable can carry`, { hint: 'give the value as text', data: { name } });
  }
  if (Buffer.byteLength(value) > MAX_SECRET_BYTES) {
    throw new PmError('SECRET_VALUE_INVALID', `the value of ${name} is over ${MAX_SECRET_BYTES} bytes`, { hint: 'secrets are tokens and keys; give a file path in the plugin\'s config for larger data', data: { name } });
  }
  return value;
}

/** Reads secrets.json without following links or blocking on a FIFO; refuses one another user owns or others could read. */
async function readSecretsFile(home: string): Promise<SecretsFile> {
  const path = storePaths(home).secrets;
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    if (err.code === 'ELOOP') throw unsafe(path, 'it is a symbolic link', `replace the link with the file itself (mode 0600), or remove it and set the secrets again`);
    throw err;
  });
  if (!fh) return { version: 1, secrets: Object.create(null) as SecretsFile['secrets'] };
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw unsafe(path, 'it is not a regular file', `remove it and set the secrets again with pm secret-set`);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
      throw unsafe(path, `it belongs to another user (uid ${st.uid})`, 'remove it and set the secrets again with pm secret-set');
    }
    if ((st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw unsafe(path, `its mode ${mode} lets other users read or change it`, `run chmod 600 ${path}; if others could have read it, change the secrets at their source too`);
    }
    if (st.size > MAX_FILE_BYTES) throw unsafe(path, `it is ${st.size} bytes, not a file pm wrote`, 'remove it and set the secrets again with pm secret-set');
    return parseSecrets(path, await fh.readFile('utf8'));
  } finally {
    await fh.close();
  }
}

function parseSecrets(path: string, text: string): SecretsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const secrets = (parsed as SecretsFile | undefined)?.secrets;
  const ok = secrets && typeof secrets === 'object' && !Array.isArray(secrets)
    && Object.entries(secrets).every(([k, v]) => SECRET_NAME.test(k) && v && typeof v === 'object' && typeof v.value === 'string');
  // The message never quotes the file: it holds the values.
  if (!ok) throw new PmError('SECRETS_FILE_CORRUPT', `${path} is not a secrets file pm wrote`, { hint: 'fix it by hand or remove it and set the secrets again with pm secret-set', data: { path } });
  // No prototype: a secret may be named __proto__ or constructor.
  return { version: 1, secrets: Object.assign(Object.create(null) as SecretsFile['secrets'], secrets) };
}

async function writeSecretsFile(home: string, file: SecretsFile): Promise<void> {
  // Created 0600 from the start (temp file, fsync, rename): the values are never readable by others, not even briefly.
  await writeJsonAtomic(storePaths(home).secrets, file, { mode: 0o600 });
}

/** Stores (or replaces) a secret under the store lock; returns its dates, never the value. */
export async function setSecret(name: string, value: string, opts: StoreOpts): Promise<SecretInfo & { replaced: boolean }> {
  checkSecretName(name);
  const v = normalizeSecretValue(name, value);
  return withStoreLock(opts.home, async () => {
    const file = await readSecretsFile(opts.home);
    const now = new Date().toISOString();
    const old = file.secrets[name];
    file.secrets[name] = { value: v, createdAt: old?.createdAt ?? now, updatedAt: now };
    await writeSecretsFile(opts.home, file);
    await appendAuditRecord(opts.home, { action: 'secret-set', secret: name, replaced: Boolean(old) });
    return { name, createdAt: file.secrets[name]!.createdAt, updatedAt: now, replaced: Boolean(old) };
  }, { timeoutMs: opts.lockTimeoutMs });
}

/** Removes a secret; SECRET_NOT_FOUND when there is none of that name. */
export async function removeSecret(name: string, opts: StoreOpts): Promise<SecretInfo> {
  checkSecretName(name);
  return withStoreLock(opts.home, async () => {
    const file = await readSecretsFile(opts.home);
    const old = file.secrets[name];
    if (!old) throw notFound(name);
    delete file.secrets[name];
    await writeSecretsFile(opts.home, file);
    await appendAuditRecord(opts.home, { action: 'secret-remove', secret: name });
    return { name, createdAt: old.createdAt, updatedAt: old.updatedAt };
  }, { timeoutMs: opts.lockTimeoutMs });
}

function notFound(name: string): PmError {
  return new PmError('SECRET_NOT_FOUND', `no secret named ${name}`, { hint: "see the secrets with 'pm secret-list'", data: { name } });
}

/** The stored secrets' names and dates, sorted by name. */
export async function listSecrets(opts: { home: string }): Promise<SecretInfo[]> {
  const file = await readSecretsFile(opts.home);
  return Object.entries(file.secrets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, r]) => ({ name, createdAt: r.createdAt, updatedAt: r.updatedAt }));
}

/** The values of the named secrets, and the names that are not set (for the host's plugin loading). */
export async function secretValues(home: string, names: readonly string[]): Promise<{ values: Record<string, string>; missing: string[] }> {
  const values = Object.create(null) as Record<string, string>;
  const missing: string[] = [];
  if (names.length === 0) return { values, missing };
  const file = await readSecretsFile(home);
  for (const n of names) {
    const r = Object.hasOwn(file.secrets, n) ? file.secrets[n] : undefined;
    if (r) values[n] = r.value;
    else missing.push(n);
  }
  return { values, missing };
}
